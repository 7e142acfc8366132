"""The /enterprises/compliance page: per enterprise, what the records say of its compliance.

Thin, as every route: read the query string into a ComplianceQuery, ask the records layer
(portal.records.compliance) and render. The same query string gives
/api/v1/enterprises/compliance and its CSV, NDJSON and Parquet downloads.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext

from portal.cache import overdue_by_enterprise, remembered
from portal.conditional import base_url
from portal.db import request_session
from portal.models import vocab
from portal.models.enterprise import Sector
from portal.records import compliance as cp
from portal.records.listing import data_version
from portal.records.query import QueryError
from portal.web.i18n import current_lang
from portal.web.obligations import today
from portal.web.problems import in_page_language

bp = Blueprint("compliance", __name__)


@bp.get("/enterprises/compliance")
def page() -> tuple[str, int] | str:
    """The compliance table, filtered by province, city, sector and park, sorted by any column."""
    lang = current_lang()
    day = today()
    title = gettext("This address asks for something the portal cannot show")
    try:
        query = cp.parse_compliance_query(
            request.args, default_limit=current_app.config["PAGE_SIZE"], ignore=("lang",)
        )
    except QueryError as exc:
        problems = in_page_language(exc.issues)
        return render_template("error.html", status=400, title=title, problems=problems), 400
    session = request_session(current_app)
    version, _ = data_version(session)

    def render() -> str:
        found = cp.compliance_page(session, query, overdue_by_enterprise(session, day))
        filters: dict[str, Any] = query.filters()
        limit = {"limit": query.limit} if request.args.get("limit") else {}

        def page_args(number: int) -> dict[str, Any]:
            return {**filters, **limit, "page": number, "lang": lang}

        def sort_args(column: str) -> dict[str, Any]:
            # A column's link sorts by it; on the sorted column, the other way round.
            again = query.sort == column and query.order == cp.Order.asc
            down = "desc" if again or (query.sort != column and column in NUMBERS) else "asc"
            rest = {k: v for k, v in filters.items() if k not in ("sort", "order")}
            return {**rest, **limit, "sort": column, "order": down, "lang": lang}

        return render_template(
            "compliance.html",
            rows=found.rows,
            total=found.total,
            pages=found.pages,
            query=query,
            filters=filters,
            as_of=day,
            provinces=list(vocab.provinces()),
            sectors=[s.value for s in Sector],
            sorts=cp.SORTS,
            prev_args=page_args(query.page - 1) if query.page > 1 else None,
            next_args=page_args(query.page + 1) if query.page < found.pages else None,
            sort_args=sort_args,
            api=url_for("api.compliance_table", **filters),
            downloads={
                fmt: url_for(f"api.download_compliance_{fmt}", **filters)
                for fmt in ("csv", "ndjson", "parquet")
            },
            excel=url_for("api.download_compliance_csv", **filters, bom=1),
        )

    try:
        return remembered(
            "compliance-page",
            version,
            (lang, request.query_string, base_url(), day.isoformat()),
            render,
        )
    except cp.PageOutOfRange as exc:  # a page that does not exist
        problems = in_page_language(exc.issues)
        return render_template("error.html", status=404, title=title, problems=problems), 404


# Columns whose first click sorts the largest first (counts, totals, dates).
NUMBERS = frozenset(cp.SORTS) - {"name", "id", "province", "city", "sector", "park"}
