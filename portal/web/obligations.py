"""The /obligations page: who had to disclose, what was due and whether it was filed.

Thin, as every route: read the query string into an ObligationQuery, ask the records layer
(portal.records.obligations) and render. The same query string gives /api/v1/obligations and, for
what became overdue, /feeds/obligations.atom.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext

from portal.cache import all_obligations, remembered
from portal.conditional import base_url
from portal.db import request_session
from portal.models import vocab
from portal.models.enterprise import Sector
from portal.records import names
from portal.records import obligations as ob
from portal.records.listing import data_version
from portal.web.i18n import current_lang
from portal.web.problems import in_page_language

bp = Blueprint("obligations", __name__)


def today() -> date:
    """The day obligations are judged on: the app's OBLIGATIONS_TODAY, else today in China."""
    return ob.clock(current_app.config.get("OBLIGATIONS_TODAY"))


def _feed(filters: dict[str, str], lang: str) -> dict[str, str]:
    """The overdue feed with the page's filters (status aside: the feed fixes it)."""
    values: dict[str, Any] = {k: v for k, v in filters.items() if k != "status"}
    if lang != "zh":
        values["lang"] = lang
    base = base_url()
    out = {
        fmt: base + url_for("feeds.obligations_feed", fmt=fmt, **values) for fmt in ("atom", "rss")
    }
    out["title"] = gettext("Overdue environmental disclosures")
    return out


@bp.get("/obligations")
def page() -> tuple[str, int] | str:
    """Obligations under the disclosure rules, filtered by year, province, sector and status."""
    lang = current_lang()
    day = today()
    try:
        query = ob.parse_obligation_query(
            request.args, day, default_limit=current_app.config["PAGE_SIZE"], ignore=("lang",)
        )
    except ob.ObligationQueryError as exc:
        title = gettext("This address asks for something the portal cannot show")
        return (
            render_template(
                "error.html", status=400, title=title, problems=in_page_language(exc.issues)
            ),
            400,
        )
    session = request_session(current_app)
    version, _ = data_version(session)

    def render() -> str:
        found = ob.select_page(all_obligations(session, day), query)
        filters: dict[str, Any] = dict(query.filters())
        next_args: dict[str, Any] | None = None
        if found.next_cursor is not None:
            next_args = {**filters, "cursor": found.next_cursor.encode(), "lang": lang}
            if request.args.get("limit"):
                next_args["limit"] = str(query.limit)
        enterprise_name = names(session, [query.enterprise]) if query.enterprise else {}
        return render_template(
            "obligations.html",
            obligations=found.items,
            total=found.total,
            counts=found.counts,
            query=query,
            filters=filters,
            as_of=day,
            years=list(range(day.year, ob.FIRST_YEAR - 1, -1)),
            provinces=list(vocab.provinces()),
            sectors=[s.value for s in Sector],
            statuses=[s.value for s in ob.Status],
            types=[s.value for s in ob.ObligationType],
            enterprise_name=enterprise_name.get(query.enterprise or ""),
            next_args=next_args,
            first_args={**filters, "lang": lang} if query.cursor else None,
            rules_in_force=ob.RULES_IN_FORCE,
            first_year=ob.FIRST_YEAR,
            feed=_feed(filters, lang),
            api=url_for("api.list_obligations", **filters),
        )

    # Kept under the data version and the day (portal/cache.py): a write shows at once, and a
    # page asked again is not filtered out of every obligation again.
    return remembered(
        "obligations-page",
        version,
        (lang, request.query_string, base_url(), day.isoformat()),
        render,
    )
