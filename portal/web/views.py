"""Routes of the HTML pages: each parses its arguments, asks records or search, and renders."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext

from portal import records, search
from portal.cache import remembered
from portal.codes import Issue
from portal.conditional import base_url
from portal.db import request_session
from portal.models import vocab
from portal.models.common import requested_id
from portal.records import PUBLIC_KINDS, QueryError, RecordQuery, obligations
from portal.records.listing import data_version
from portal.search import IndexUnavailable, SearchTooSlow, parse_search
from portal.web import context, recordpage
from portal.web.facets import facet_counts
from portal.web.i18n import current_lang
from portal.web.listing import alternates, form_choices, read_query, run_page
from portal.web.problems import in_page_language

bp = Blueprint("web", __name__)
context.install(bp)
KIND_RULE = "any(" + ", ".join(PUBLIC_KINDS) + ")"


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
    # What an email alert on this page follows: the feed's address in any language.
    out["alert"] = url_for(endpoint, fmt="atom", **{k: v for k, v in values.items() if k != "lang"})
    return out


def _names_for(items: list[Any]) -> dict[str, tuple[str, str | None]]:
    """Display names of every department and enterprise the items mention."""
    ids: set[str] = set()
    for item in items:
        for attr in (
            "publisher_id",
            "enterprise_id",
            "parent_id",
            "withdrawn_by",
            "author_id",
            "department_id",
        ):
            value = getattr(item, attr, None)
            if value:
                ids.add(value)
        for part in getattr(item, "responsible", []) + getattr(item, "updates", []):
            ids.add(getattr(part, "enterprise_id", None) or part.department_id)
        for penalty in getattr(item, "penalties", []):
            ids.update((penalty.enterprise_id, penalty.department_id))
    return records.names(request_session(current_app), sorted(i for i in ids if i))


def _bad_query(problems: list[Issue], kind: str | None = None) -> tuple[str, int]:
    """The 400 page of an address whose filters cannot be read: each problem in the page
    language where it is a known sentence, and a way back to the listing without filters."""
    back = None
    if kind is not None:
        back = (
            url_for("web.listing", kind=kind, lang=current_lang()),
            gettext("All %(kind)s, without filters", kind=context.kind_label(kind)),
        )
    return render_template(
        "error.html",
        status=400,
        title=gettext("This address asks for something the portal cannot show"),
        problems=in_page_language(problems),
        back=back,
    ), 400


@bp.get("/")
def home() -> str:
    """What Clearwater is, the documented incidents, the latest records and the figures."""
    session = request_session(current_app)
    version, _ = data_version(session)

    def render() -> str:
        documented = records.list_records(
            session, RecordQuery(kind="incidents", sample=False, limit=5)
        )[1]
        latest_incidents = records.list_records(session, RecordQuery(kind="incidents", limit=8))[1]
        latest_inspections = records.list_records(
            session, RecordQuery(kind="inspections", limit=6)
        )[1]
        mapped = records.list_records(session, RecordQuery(kind="incidents", limit=30))[1]
        counted = {
            "violations": RecordQuery(kind="inspections", outcome="violation", limit=1),
            "ordered": RecordQuery(kind="inspections", outcome="rectification_ordered", limit=1),
            "investigating": RecordQuery(kind="incidents", status="investigating", limit=1),
        }
        figures = {name: records.run(session, q).total for name, q in counted.items()}
        items = documented + latest_incidents + latest_inspections
        return render_template(
            "home.html",
            counts=records.counts(session),
            figures=figures,
            documented=documented,
            latest_incidents=latest_incidents,
            latest_inspections=latest_inspections,
            incidents_map=recordpage.incidents_map(mapped, current_lang()),
            mapped=mapped,
            names=_names_for(items),
        )

    # Everything here changes only with the data: kept under the data version (portal/cache.py),
    # so a write shows at once and other requests cost one lookup and a cache read.
    return remembered("home", version, (current_lang(), request.query_string, base_url()), render)


@bp.get(f"/<{KIND_RULE}:kind>")
def listing(kind: str) -> tuple[str, int] | str:
    """One page of a kind's records, filtered by the query string, with facets and alternates."""
    try:
        query, before = read_query(kind, request.args, current_app.config["PAGE_SIZE"])
    except QueryError as exc:
        return _bad_query(exc.issues, kind)
    session = request_session(current_app)
    lang = current_lang()
    page = run_page(session, query, before, request.args, lang)
    filters = query.filters()
    mentioned = [i for i in (query.department, query.enterprise) if i]
    names = _names_for(page.items)
    names.update(records.names(session, mentioned))
    return render_template(
        "listing.html",
        kind=kind,
        listing=page,
        items=page.items,
        query=query,
        filters=filters,
        facets=facet_counts(session, query),
        choices=form_choices(kind),
        alternates=alternates(kind, filters),
        incidents_map=recordpage.incidents_map(page.items, lang) if kind == "incidents" else None,
        names=names,
        feed=feed_of("feeds.kind_feed", context.kind_label(kind), kind=kind, **filters),
    )


def _record_or_404(kind: str, record_id: str) -> Any:
    wanted = requested_id(record_id)
    item = records.get_record(request_session(current_app), wanted) if wanted else None
    if item is None or item.kind != kind:
        abort(
            404,
            description=gettext(
                "There is no record %(id)s among the %(kind)s. Check the address, or search "
                "for it.",
                id=record_id[:60],
                kind=context.kind_label(kind),
            ),
        )
    return item


@bp.get(f"/<{KIND_RULE}:kind>/<record_id>")
def record(kind: str, record_id: str) -> str:
    """One record with its parts, the replies to it, and what else concerns it."""
    item = _record_or_404(kind, record_id)
    session = request_session(current_app)
    lang = current_lang()
    responses = records.responses_to(session, item.id)
    extra: dict[str, Any] = {"related": {}, "map": None, "charts": []}
    if kind == "enterprises":
        extra.update(recordpage.enterprise_page(session, item, recordpage.today_in_china(), lang))
        today = obligations.clock(current_app.config.get("OBLIGATIONS_TODAY"))
        extra["obligations"] = obligations.for_enterprise(session, item.id, today)
    elif kind == "departments":
        extra.update(recordpage.department_page(session, item))
    elif kind == "incidents":
        extra.update(recordpage.incident_page(session, item, lang))
    elif kind == "disclosures":
        extra["charts"] = recordpage.figure_charts(item)
    related = [r for group in extra["related"].values() for r in group]
    timeline = [e.item for e in extra.get("timeline", [])]
    penalties = getattr(extra.get("compliance"), "penalty_list", [])
    names = _names_for(
        [item, *responses, *related, *timeline, *extra.get("bureaus", []), *penalties]
    )
    # The record's own feed first, then what else follows it: everything about an enterprise
    # or a department, and the kind's feed.
    feed = feed_of(
        "feeds.record_feed", gettext("This record (%(id)s)", id=item.id), record_id=item.id
    )
    also = [feed_of("feeds.kind_feed", context.kind_label(kind), kind=kind)]
    if kind == "enterprises":
        about = gettext("Everything about this enterprise")
        also.insert(0, feed_of("feeds.enterprise_feed", about, record_id=item.id))
    elif kind == "departments":
        about = gettext("What this department and its bureaus publish")
        also.insert(0, feed_of("feeds.department_feed", about, record_id=item.id))
    if kind in ("enterprises", "departments"):
        # An email alert on an enterprise or a department follows everything about it.
        feed["alert"] = also[0]["alert"]
    return render_template(
        f"record_{kind}.html",
        kind=kind,
        item=item,
        responses=responses,
        names=names,
        feed=feed,
        also=also,
        **extra,
    )


@bp.get(f"/<{KIND_RULE}:kind>/<record_id>/history")
def record_history(kind: str, record_id: str) -> str:
    """Every revision of a record, with reasons and what changed, newest first."""
    item = _record_or_404(kind, record_id)
    revisions = records.history(request_session(current_app), item.id)
    return render_template(
        "history.html",
        kind=kind,
        item=item,
        revisions=list(reversed(revisions)),
        names=_names_for([item, *revisions]),
    )


@bp.get("/search")
def search_page() -> tuple[str, int, dict[str, str]] | tuple[str, int] | str:
    """Full-text search across kinds, with the listing filters as facets."""
    lang = current_lang()
    try:
        query = parse_search(request.args, ignore=("lang",))
    except QueryError as exc:
        return _bad_query(exc.issues)
    service = search.service_of(current_app)
    try:
        result = service.search(query, lang=lang) if (query.text or query.filters) else None
    except SearchTooSlow as exc:
        return _bad_query(exc.issues)
    except IndexUnavailable:
        message = gettext(
            "The search index is being rebuilt. Try again in a minute; the listings work meanwhile."
        )
        return (
            render_template("search.html", query=query, result=None, unavailable=message, names={}),
            503,
            {"Retry-After": "30"},
        )
    ids = [v for v, _ in (result.facets.get("department", []) if result else [])]
    ids += [hit.id for hit in (result.hits if result else [])]
    names = records.names(request_session(current_app), ids)
    feed = None
    if query.text or query.filters:
        title = gettext("Search: %(words)s", words=query.text)
        feed = feed_of("feeds.search_feed", title, **query.args())
    return render_template(
        "search.html", query=query, result=result, unavailable=None, names=names, feed=feed
    )


@bp.get("/standards")
def standards() -> str:
    """Every limit the portal compares measurements against, by standard, with its source."""
    by_standard: dict[str, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    classes: dict[str, list[str]] = defaultdict(list)
    sources: dict[str, str] = {}
    for row in vocab.limits():
        by_standard[row.standard][row.pollutant][row.standard_class] = row
        if row.standard_class not in classes[row.standard]:
            classes[row.standard].append(row.standard_class)
        sources[row.standard] = row.source
    return render_template(
        "standards.html",
        standards=by_standard,
        classes=classes,
        sources=sources,
        total=len(vocab.limits()),
    )


@bp.get("/data")
def data() -> str:
    """Feeds, downloads, snapshots and the API, explained."""
    return render_template("data.html")


@bp.get("/about")
def about() -> str:
    """What the data is, who publishes it, and which records are illustrative."""
    session = request_session(current_app)
    samples = {
        kind: records.run(session, RecordQuery(kind=kind, sample=True, limit=1)).total
        for kind in PUBLIC_KINDS
    }
    documented = records.list_records(
        session, RecordQuery(kind="incidents", sample=False, limit=10)
    )[1]
    return render_template(
        "about.html", counts=records.counts(session), samples=samples, documented=documented
    )
