"""Routes of the HTML pages: each parses its arguments, asks records, and renders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, url_for

from portal import records, search
from portal.conditional import base_url
from portal.db import request_session
from portal.models import vocab
from portal.models.labels import label
from portal.records import PUBLIC_KINDS, QueryError, RecordQuery, parse_query
from portal.records.query import CHINA
from portal.search import IndexUnavailable, parse_search
from portal.web.i18n import current_lang, pick, t

bp = Blueprint("web", __name__)
KIND_RULE = "any(" + ", ".join(PUBLIC_KINDS) + ")"

KIND_LABELS = {
    "enterprises": ("企业", "Enterprises"),
    "incidents": ("污染事件", "Incidents"),
    "inspections": ("检查", "Inspections"),
    "disclosures": ("信息披露", "Disclosures"),
    "departments": ("部门", "Departments"),
    "responses": ("企业回应", "Responses"),
}


def _china(value: date | datetime | None, fmt: str) -> str:
    """Show a time in China Standard Time (the records' own time zone); dates as they are."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.astimezone(CHINA).strftime(fmt)
    return value.strftime("%Y-%m-%d")


@bp.app_template_filter("day")
def day_filter(value: date | datetime | None) -> str:
    """2012-01-15, in China time."""
    return _china(value, "%Y-%m-%d")


@bp.app_template_filter("minute")
def minute_filter(value: date | datetime | None) -> str:
    """2012-01-19 17:00, in China time."""
    return _china(value, "%Y-%m-%d %H:%M")


@bp.app_context_processor
def page_helpers() -> dict[str, Any]:
    """Helpers every template can call: language, text picking, labels, names."""
    lang = current_lang()

    def lang_url(code: str) -> str:
        args: dict[str, Any] = {**request.args.to_dict(), **(request.view_args or {})}
        args["lang"] = code
        return url_for(request.endpoint or "web.home", **args)

    return {
        "lang": lang,
        "t": lambda zh, en: t(zh, en, lang),
        "pick": lambda rec, stem: pick(rec, stem, lang),
        "kind_label": lambda k: t(*KIND_LABELS[k], lang),
        "kinds": PUBLIC_KINDS,
        "lang_url": lang_url,
        "province_name": lambda code: _province(code, lang),
        "pollutant_name": lambda code: _pollutant(code, lang),
        "label": lambda value: label(value, lang),
        "pollutant_list": lambda codes: ("、" if lang == "zh" else ", ").join(
            _pollutant(c, lang) for c in codes
        ),
    }


def _province(code: str | None, lang: str) -> str:
    p = vocab.provinces().get(code or "")
    return (p.name_en if lang == "en" else p.short_zh) if p else (code or "")


def _pollutant(code: str, lang: str) -> str:
    p = vocab.pollutants().get(code)
    return (p.name_en if lang == "en" else p.name_zh) if p else code


def feed_of(endpoint: str, title: str, **args: Any) -> dict[str, str]:
    """The Atom and RSS addresses of a page's feed (absolute: readers are given them to copy),
    and its title, for `<link rel="alternate">` and the Subscribe box."""
    lang = current_lang()
    values = {k: v for k, v in args.items() if v not in (None, "") and k not in ("sort", "cursor")}
    if lang != "zh":
        values["lang"] = lang
    base = base_url()
    out = {fmt: base + url_for(endpoint, fmt=fmt, **values) for fmt in ("atom", "rss")}
    out["title"] = title
    return out


def _names_for(items: list[Any]) -> dict[str, tuple[str, str | None]]:
    ids: set[str] = set()
    for item in items:
        for attr in ("publisher_id", "enterprise_id", "parent_id", "withdrawn_by", "author_id"):
            value = getattr(item, attr, None)
            if value:
                ids.add(value)
        for part in getattr(item, "responsible", []) + getattr(item, "updates", []):
            ids.add(getattr(part, "enterprise_id", None) or part.department_id)
    return records.names(request_session(current_app), sorted(i for i in ids if i))


@bp.get("/")
def home() -> str:
    """What Clearwater is, the documented incidents, the latest records and the figures."""
    session = request_session(current_app)
    documented = records.list_records(
        session, RecordQuery(kind="incidents", sample=False, limit=5)
    )[1]
    latest_incidents = records.list_records(session, RecordQuery(kind="incidents", limit=5))[1]
    latest_inspections = records.list_records(session, RecordQuery(kind="inspections", limit=6))[1]
    items = documented + latest_incidents + latest_inspections
    return render_template(
        "home.html",
        counts=records.counts(session),
        documented=documented,
        latest_incidents=latest_incidents,
        latest_inspections=latest_inspections,
        names=_names_for(items),
    )


@bp.get(f"/<{KIND_RULE}:kind>")
def listing(kind: str) -> tuple[str, int] | str:
    """One page of a kind's records, filtered by the query string."""
    try:
        query = parse_query(
            kind, request.args, default_limit=current_app.config["PAGE_SIZE"], ignore=("lang",)
        )
    except QueryError as exc:
        return render_template(
            "error.html",
            status=400,
            title=t("查询有误", "Bad query", current_lang()),
            problems=exc.problems,
        ), 400
    page, items = records.list_records(request_session(current_app), query)
    next_url = None
    if page.next_cursor:
        args: dict[str, Any] = {**request.args.to_dict(), "cursor": page.next_cursor.encode()}
        next_url = url_for("web.listing", kind=kind, **args)
    return render_template(
        "listing.html",
        kind=kind,
        page=page,
        items=items,
        next_url=next_url,
        filters=query.filters(),
        names=_names_for(items),
        feed=feed_of(
            "feeds.kind_feed", t(*KIND_LABELS[kind], current_lang()), kind=kind, **query.filters()
        ),
    )


def _record_or_404(kind: str, record_id: str) -> Any:
    item = records.get_record(request_session(current_app), record_id.upper())
    if item is None or item.kind != kind:
        abort(
            404,
            description=t(
                f"没有编号为 {record_id} 的记录。",
                f"There is no record {record_id} among the {kind}.",
                current_lang(),
            ),
        )
    return item


@bp.get(f"/<{KIND_RULE}:kind>/<record_id>")
def record(kind: str, record_id: str) -> str:
    """One record with its parts, the replies to it, and what else concerns it."""
    item = _record_or_404(kind, record_id)
    session = request_session(current_app)
    responses = records.responses_to(session, item.id)
    related = records.related_to(session, item)
    everything = [item, *responses, *(r for group in related.values() for r in group)]
    lang = current_lang()
    if kind in ("enterprises", "departments"):
        title = pick(item, "name", lang)[0] or item.id
        endpoint = {"enterprises": "feeds.enterprise_feed", "departments": "feeds.department_feed"}
        feed = feed_of(endpoint[kind], title, record_id=item.id)
    else:
        feed = feed_of("feeds.kind_feed", t(*KIND_LABELS[kind], lang), kind=kind)
    return render_template(
        "record.html",
        kind=kind,
        item=item,
        responses=responses,
        related=related,
        names=_names_for(everything),
        feed=feed,
    )


@bp.get(f"/<{KIND_RULE}:kind>/<record_id>/history")
def record_history(kind: str, record_id: str) -> str:
    """Every revision of a record, with reasons and what changed."""
    item = _record_or_404(kind, record_id)
    session = request_session(current_app)
    revisions = records.history(session, item.id)
    return render_template(
        "history.html",
        kind=kind,
        item=item,
        revisions=revisions,
        names=_names_for([item, *revisions]),
    )


@bp.get("/search")
def search_page() -> tuple[str, int, dict[str, str]] | tuple[str, int] | str:
    """Full-text search across kinds, with the listing filters as facets."""
    lang = current_lang()
    try:
        query = parse_search(request.args, ignore=("lang",))
    except QueryError as exc:
        return render_template(
            "error.html", status=400, title=t("查询有误", "Bad query", lang), problems=exc.problems
        ), 400
    service = search.service_of(current_app)
    try:
        result = service.search(query, lang=lang) if (query.text or query.filters) else None
    except IndexUnavailable:
        message = t(
            "检索索引正在重建，请稍后再试；各类记录列表照常可用。",
            "The search index is being rebuilt. Try again in a minute; the listings "
            "work meanwhile.",
            lang,
        )
        return (
            render_template("search.html", query=query, result=None, unavailable=message, names={}),
            503,
            {"Retry-After": "30"},
        )
    ids = [
        v
        for name, values in (result.facets.items() if result else [])
        if name == "department"
        for v, _ in values
    ]
    names = records.names(request_session(current_app), ids)
    feed = (
        feed_of("feeds.search_feed", t("检索：", "Search: ", lang) + query.text, **query.args())
        if (query.text or query.filters)
        else None
    )
    return render_template(
        "search.html", query=query, result=result, unavailable=None, names=names, feed=feed
    )


@bp.get("/standards")
def standards() -> str:
    """Every limit the portal compares measurements against, with its source."""
    return render_template("standards.html", limits=vocab.limits())


@bp.get("/data")
def data() -> str:
    """Feeds, downloads and the API, explained."""
    return render_template("data.html")


@bp.get("/about")
def about() -> str:
    """What the data is, who publishes it, and which records are illustrative."""
    return render_template("about.html", counts=records.counts(request_session(current_app)))
