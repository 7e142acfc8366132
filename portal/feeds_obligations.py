"""The feed of disclosure obligations that became overdue: /feeds/obligations.atom and .rss.

A journalist who follows it learns the day after 15 March which obliged enterprises did not
publish their annual report, and five working days after a penalty decision which did not publish
the temporary report. One entry per obligation, its tag URI made from the obligation's id (the
same for ever), `updated` the day it became overdue. An obligation filed late stays in the feed
and says when it was filed.

Its routes join `portal.feeds.bp`, so import this module before that blueprint is registered.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlencode

from feedgen.feed import FeedGenerator
from flask import Response, current_app, request

from portal.cache import all_obligations, remembered
from portal.catalogue import words
from portal.conditional import base_url, not_modified, stamp, validator
from portal.db import request_session
from portal.feeds import (
    FMT,
    FORMATS,
    MAX_AGE,
    TAG_DATE,
    QueryRefused,
    bp,
    feed_args,
    tag_authority,
)
from portal.feeds import xml_text as _xml
from portal.models.labels import label
from portal.models.vocab import provinces
from portal.records import QueryError
from portal.records import obligations as ob
from portal.records.listing import data_version
from portal.records.query import CHINA


def _name(o: ob.Obligation, lang: str) -> str:
    return (o.enterprise_name_en or o.enterprise_name_zh) if lang == "en" else o.enterprise_name_zh


def _money(value: int | None, lang: str) -> str:
    if not value:
        return ""
    amount = f"{value:,}"
    return words(lang).gettext("¥%(amount)s", amount=amount)


def describe_filters(filters: Mapping[str, str], lang: str) -> str:
    """The filters for a title: 2024 · 广西 · 年度报告."""
    shown = []
    for name, value in filters.items():
        if name == "province" and value in provinces():
            p = provinces()[value]
            shown.append(p.name_en if lang == "en" else p.short_zh)
        elif name == "sector":
            shown.append(label(value, lang))
        elif name in ("type", "status"):
            shown.append(ob.obligation_label(value, lang))
        else:
            shown.append(value)
    return " · ".join(shown)


def entry_title(o: ob.Obligation, lang: str) -> str:
    """The headline: who, what, and that it was missed."""
    say, who = words(lang), _name(o, lang)
    if o.type == ob.ObligationType.annual:
        what = say.gettext("annual disclosure report for %(year)d", year=o.year)
    else:
        decision = o.decision.inspection_id if o.decision else ""
        what = say.gettext("temporary report on penalty decision %(decision)s", decision=decision)
    if o.status == ob.Status.filed_late:
        # "day(s)": the feed's English has always said it so (entries are compared as text).
        return say.gettext(
            "%(who)s: %(what)s filed %(days)d day(s) late", who=who, what=what, days=o.days_late
        )
    return say.gettext("%(who)s: %(what)s overdue", who=who, what=what)


def _reason_text(reason: ob.Reason, lang: str) -> str:
    what = ob.obligation_label(reason.kind, lang)
    if reason.decisions:
        punished = "; ".join(
            f"{d.inspection_id} ({d.decided_on.isoformat()}: "
            + ", ".join(
                _money(d.penalty_yuan, lang) if g == ob.LARGE_FINE else ob.obligation_label(g, lang)
                for g in d.grounds
            )
            + ")"
            for d in reason.decisions
        )
        return words(lang).pgettext(
            "why an obligation was owed", "%(what)s: %(decisions)s", what=what, decisions=punished
        )
    who = (
        (reason.department_name_en or reason.department_name_zh)
        if lang == "en"
        else reason.department_name_zh
    ) or (reason.department_id or "")
    source = reason.source.title if reason.source else ""
    return words(lang).pgettext(
        "why an obligation was owed",
        "%(what)s (%(department)s; %(source)s)",
        what=what,
        department=who,
        source=source,
    )


def entry_summary(o: ob.Obligation, today: date, lang: str, base: str) -> str:
    """The entry's summary as HTML: what was due, when, what happened, and why it was owed."""
    say, who = words(lang), _name(o, lang)
    parts = []
    if o.type == ob.ObligationType.annual:
        due = say.gettext(
            "%(who)s had to publish its annual disclosure report for %(year)d by %(due)s.",
            who=who,
            year=o.year,
            due=o.due.isoformat(),
        )
    else:
        d = o.decision
        assert d is not None
        fine = _money(d.penalty_yuan, lang)
        due = say.gettext(
            "%(who)s was penalised on %(day)s (inspection record %(inspection)s%(fined)s), and had "
            "to publish a temporary disclosure report within 5 working days, by %(due)s.",
            who=who,
            day=d.decided_on.isoformat(),
            inspection=d.inspection_id,
            fined=say.gettext(", fined %(amount)s", amount=fine) if fine else "",
            due=o.due.isoformat(),
        )
    parts.append(due)
    if o.status == ob.Status.filed_late and o.filed_on and o.disclosure_id:
        parts.append(
            say.gettext(
                "It was published on %(day)s, %(days)d day(s) late (%(disclosure)s).",
                day=o.filed_on.isoformat(),
                days=o.days_late,
                disclosure=o.disclosure_id,
            )
        )
    else:
        parts.append(
            say.gettext("As of %(day)s, no such report is on Clearwater.", day=today.isoformat())
        )
    reasons = "; ".join(_reason_text(r, lang) for r in o.reasons)
    parts.append(say.gettext("Why it was obliged: %(reasons)s.", reasons=reasons))
    if o.sample:
        parts.append(
            say.gettext("Derived from illustrative example records, not a real enterprise's.")
        )
    parts.append(
        say.gettext(
            "Derived by Clearwater from the published records; an enterprise may also be "
            "obliged for reasons no department has published here."
        )
    )
    body = "".join(f"<p>{html.escape(p)}</p>" for p in parts)
    rules = f"{base}/obligations?lang={lang}"
    more = say.gettext("The rules and every obligation")
    return body + f'<p><a href="{html.escape(rules)}">{html.escape(more)}</a></p>'


def _became_overdue_at(o: ob.Obligation) -> datetime:
    """The start (China time) of the day the obligation became overdue."""
    return datetime.combine(o.overdue_since or o.due, time.min, CHINA)


def render(
    items: Sequence[ob.Obligation],
    filters: Mapping[str, str],
    *,
    today: date,
    fmt: str,
    lang: str,
    self_url: str,
    html_url: str,
    base: str,
) -> bytes:
    """The feed document: Atom 1.0 or RSS 2.0."""

    def plain(text: str) -> str:  # readers take an RSS title as HTML
        return _xml(html.escape(text, quote=False) if fmt == "rss" else text)

    fg = FeedGenerator()
    query = urlencode(sorted(filters.items()))
    fg.id(f"tag:{tag_authority()},{TAG_DATE}:feeds/obligations" + (f"?{query}" if query else ""))
    described = describe_filters(filters, lang)
    say = words(lang)
    site = say.gettext("Clearwater")
    title = f"{site} · {say.gettext('Overdue environmental disclosures')}" + (
        f" · {described}" if described else ""
    )
    fg.title(plain(title))
    fg.subtitle(
        _xml(
            say.gettext(
                "Enterprises that did not publish an annual or temporary disclosure report by "
                "its due day, the most recently overdue first."
            )
        )
    )
    fg.link(href=self_url, rel="self", type=FORMATS[fmt])
    fg.link(href=html_url, rel="alternate", type="text/html")
    fg.language("en" if lang == "en" else "zh-CN")
    fg.generator("Clearwater")
    fg.rights("CC BY 4.0")
    fg.author({"name": site, "uri": base})
    newest = max((_became_overdue_at(o) for o in items), default=None)
    fg.updated(newest or datetime.now(UTC))
    for o in items:
        fe = fg.add_entry(order="append")
        fe.id(f"tag:{tag_authority()},{TAG_DATE}:obligations/{o.id}")
        fe.title(plain(entry_title(o, lang)))
        page = f"{base}/obligations?{urlencode({'enterprise': o.enterprise_id, 'lang': lang})}"
        fe.link(href=f"{page}#{o.id}", rel="alternate", type="text/html")
        when = _became_overdue_at(o)
        fe.published(when)
        fe.updated(when)
        fe.author({"name": site, "uri": base})
        fe.category(
            term=o.type.value,
            scheme=f"{base}/obligations",
            label=ob.obligation_label(o.type, lang),
        )
        fe.summary(_xml(entry_summary(o, today, lang, base)), type="html")
    out: bytes = fg.atom_str(pretty=False) if fmt == "atom" else fg.rss_str(pretty=False)
    return out


@bp.get(f"/obligations.{FMT}")
def obligations_feed(fmt: str) -> Any:
    """Disclosure obligations that became overdue; the /obligations filters apply (not status)."""
    try:
        args, lang, limit = feed_args(request.args)
    except QueryError as exc:
        raise QueryRefused(exc) from None
    today = ob.clock(current_app.config.get("OBLIGATIONS_TODAY"))
    try:
        query = ob.parse_obligation_query(
            args, today, ignore=("lang", "limit"), fixed=("status", "cursor")
        )
    except ob.ObligationQueryError as exc:
        raise QueryRefused(exc) from None
    session = request_session(current_app)
    version, changed_at = data_version(session)
    tag = validator("obligations-feed", request.full_path, fmt, lang, version, today)
    base = base_url()

    def rendered() -> tuple[datetime | None, bytes]:
        items = ob.became_overdue(all_obligations(session, today), query)[:limit]
        times = [_became_overdue_at(o) for o in items] + ([changed_at] if changed_at else [])
        filters = query.filters()
        html_args = {**filters, "status": "overdue", "lang": lang}
        body = render(
            items,
            filters,
            today=today,
            fmt=fmt,
            lang=lang,
            self_url=base + request.full_path.rstrip("?"),
            html_url=f"{base}/obligations?{urlencode(html_args)}",
            base=base,
        )
        return max(times, default=None), body

    # Kept rendered under the data version and the day (portal/cache.py): reading every
    # obligation back costs far more than one feed, and a revalidation needs only its date.
    last_modified, body = remembered(
        "obligations-feed",
        version,
        (request.full_path, fmt, lang, today, base, tag_authority()),
        rendered,
    )
    cached = not_modified(tag, last_modified, max_age=MAX_AGE)
    if cached is not None:
        return cached
    response = Response(body, content_type=f"{FORMATS[fmt]}; charset=utf-8")
    return stamp(response, tag, last_modified, max_age=MAX_AGE)
