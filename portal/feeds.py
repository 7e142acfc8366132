"""Feeds: any record query (a listing, a search, one enterprise, one department) as Atom 1.0 and
RSS 2.0, built with feedgen.

A feed lists the records its query matches, most recently changed first, so a correction moves
its entry back to the top with a new `updated` and a paragraph saying what changed and why, and a
withdrawal stays as an entry saying who withdrew the record and why. Entry ids are tag URIs made
from the record id alone, so a reader never sees one record as two entries.

Routes are thin: parse the query string into record queries, take the keys of the newest changes
(cheap), answer 304 when the reader's copy is current, and only then load records and render.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, current_app, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, HTTPException

from portal import records, search
from portal.cache import remembered
from portal.catalogue import words
from portal.codes import Issue
from portal.conditional import base_url, not_modified, stamp, validator
from portal.db import request_session
from portal.models.common import RecordPublic, requested_id
from portal.models.labels import label
from portal.models.revision import Action, RevisionPublic
from portal.models.times import shown_in
from portal.models.vocab import pollutants, provinces, units
from portal.records import KINDS, PUBLIC_KINDS, Change, QueryError, RecordQuery, parse_query
from portal.records.listing import data_version
from portal.records.query import CHINA, bad_lang, not_whole
from portal.search import IndexUnavailable, SearchTooSlow, parse_search

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

FORMATS = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
ALL_KINDS = (*PUBLIC_KINDS, "responses")
FEED_KINDS = ALL_KINDS  # /feeds/<kind>.atom: responses have no HTML listing, but a feed
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
MAX_AGE = 300  # seconds a reader may reuse a feed before revalidating
SUMMARY_CHARS = 1200
TAG_DATE = "2026"  # the date part of every entry's tag URI; never change it
OWN = ("lang", "limit")  # parameters the feed handles itself; the rest are the query's

# Characters XML 1.0 cannot carry at all (records refuse most of them on the way in already).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def kind_name(kind: str, lang: str) -> str:
    """The name of a kind of record, as a feed's title and category label say it."""
    say = words(lang)
    return {
        "enterprises": say.gettext("Enterprises"),
        "incidents": say.gettext("Incidents"),
        "inspections": say.gettext("Inspections"),
        "disclosures": say.gettext("Disclosures"),
        "departments": say.gettext("Departments"),
        "responses": say.gettext("Responses"),
    }[kind]


def xml_text(value: str) -> str:
    """Text that XML can carry: characters XML 1.0 forbids are dropped (escaping is lxml's)."""
    return _NOT_XML.sub("", value)


# -- what a feed is ---------------------------------------------------------------------------
@dataclass
class Feed:
    """A feed before rendering: what it follows and the record queries behind it."""

    key: str  # stable part of the feed's id: "incidents", "enterprises/ENT-0001", ...
    title: str  # in the feed's language
    html_url: str  # the page showing the same records
    queries: list[RecordQuery] = field(default_factory=list)
    pinned: list[RecordPublic] = field(default_factory=list)  # the followed record itself
    filters: dict[str, str] = field(default_factory=dict)


class QueryRefused(BadRequest):
    """A feed's query a person must fix: its problem+json gives each problem with its code."""

    def __init__(self, exc: QueryError) -> None:
        super().__init__(description=" ".join(exc.problems))
        self.issues = exc.issues


def feed_args(args: Mapping[str, str]) -> tuple[dict[str, str], str, int]:
    """Split a feed's query string into the record query's arguments, the language and the
    number of entries; QueryError for what a person must fix."""
    problems: list[Issue] = []
    lang = args.get("lang", "zh") or "zh"
    if lang not in ("zh", "en"):
        problems.extend(bad_lang().issues)
    raw_limit = (args.get("limit") or "").strip()
    limit = DEFAULT_LIMIT
    if raw_limit:
        try:
            limit = int(raw_limit)
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_LIMIT:
            problems.extend(not_whole("limit", 1, MAX_LIMIT).issues)
    for name in ("sort", "cursor"):
        if name in args:
            message = f"Feeds always list the most recently changed records first; remove '{name}'."
            problems.append(Issue("order_fixed", message, {"name": name}))
    if problems:
        raise QueryError(problems)
    rest = {k: v for k, v in args.items() if k not in (*OWN, "sort", "cursor")}
    return rest, lang, limit


def _once(issues: list[Issue]) -> list[Issue]:
    """Each issue once (several kinds may refuse the same value in the same words)."""
    seen: dict[str, Issue] = {}
    for issue in issues:
        seen.setdefault(issue.message, issue)
    return list(seen.values())


def kind_queries(
    kinds: Iterable[str], args: Mapping[str, str], fixed: Mapping[str, Any] | None = None
) -> list[RecordQuery]:
    """One query per kind that takes every filter given; QueryError when no kind does.

    A record of a kind without a filter's field cannot match it (an enterprise has no
    inspection outcome), so `outcome=violation` leaves only inspections in the feed."""
    fixed = dict(fixed or {})
    taken = [n for n in args if n in fixed or n == "kind"]
    if taken:
        raise QueryError(
            [
                Issue(
                    "filter_fixed",
                    f"This feed already follows its own {n}; remove '{n}' from the address.",
                    {"name": n},
                )
                for n in taken
            ]
        )
    names = set(args)
    queries: list[RecordQuery] = []
    problems: list[Issue] = []
    for kind in kinds:
        if not names <= KINDS[kind].filters:
            continue
        try:
            queries.append(replace(parse_query(kind, args), **fixed))
        except QueryError as exc:
            problems.extend(exc.issues)
    if not queries:
        unknown = sorted(n for n in names if not any(n in KINDS[k].filters for k in kinds))
        for name in unknown:
            usable = sorted(set().union(*(KINDS[k].filters for k in kinds)))
            problems.append(
                Issue(
                    "unknown_parameter",
                    f"Unknown filter '{name[:40]}'; this feed takes {', '.join(usable)}, lang "
                    "and limit.",
                    {"name": name[:40], "kind": "feed", "usable": [*usable, "lang", "limit"]},
                )
            )
        if not problems:
            message = "No kind of record in this feed takes all of these filters together."
            problems.append(Issue("no_kind_takes_all", message))
        raise QueryError(_once(problems))
    return queries


def _describe(filters: Mapping[str, str], lang: str) -> str:
    """Filters for a feed's title: 广西 · 镉, Guangxi · cadmium."""
    shown = []
    for name, value in filters.items():
        if name == "province" and value in provinces():
            p = provinces()[value]
            shown.append(p.name_en if lang == "en" else p.short_zh)
        elif name == "pollutant" and value in pollutants():
            p2 = pollutants()[value]
            shown.append(p2.name_en if lang == "en" else p2.name_zh)
        elif name in ("sector", "outcome", "status", "category"):
            shown.append(label(value, lang))
        else:
            shown.append(f"{name}={value}")
    return " · ".join(shown)


# -- entries ------------------------------------------------------------------------------------
def entry_id(record_id: str) -> str:
    """The tag URI (RFC 4151) of a record's entry: the same in every feed, for ever."""
    return f"tag:{tag_authority()},{TAG_DATE}:{record_id}"


def tag_authority() -> str:
    """PORTAL_FEED_TAG_AUTHORITY, else the host of PORTAL_BASE_URL, else localhost."""
    configured: str = current_app.config.get("FEED_TAG_AUTHORITY") or ""
    if configured:
        return configured
    host = urlsplit(current_app.config.get("BASE_URL") or "").hostname
    return host or "localhost"


def record_url(item: RecordPublic, base: str) -> str:
    """The page of a record; a response is shown on the page of what it answers."""
    if item.kind == "responses":
        subject = str(getattr(item, "subject_id", ""))
        subject_kind = records.kind_of_id(subject).name
        return f"{base}/{subject_kind}/{subject}#{item.id}"
    return f"{base}/{item.kind}/{item.id}"


def _name(names: Mapping[str, tuple[str, str | None]], record_id: str | None, lang: str) -> str:
    if not record_id:
        return ""
    zh, en = names.get(record_id, (record_id, None))
    return (en or zh) if lang == "en" else zh


def _text(item: Any, stem: str, lang: str) -> str | None:
    return getattr(item, f"{stem}_{lang}", None) or None


def entry_title(item: Any, names: Mapping[str, tuple[str, str | None]], lang: str) -> str:
    """A record's headline in a feed, marked when the record was withdrawn."""
    title = headline(item, names, lang)
    if item.withdrawn_at is not None:
        return words(lang).gettext("[Withdrawn] %(title)s", title=title)
    return title


def headline(item: Any, names: Mapping[str, tuple[str, str | None]], lang: str) -> str:
    """A record's headline, withdrawn or not."""
    say = words(lang)
    kind = item.kind
    if kind in ("incidents", "disclosures"):
        title = (_text(item, "title", lang) or item.title_zh) if lang == "en" else item.title_zh
    elif kind in ("enterprises", "departments"):
        title = (_text(item, "name", lang) or item.name_zh) if lang == "en" else item.name_zh
    elif kind == "inspections":
        who = _name(names, item.enterprise_id, lang)
        what, outcome = label(item.inspection_type, lang), label(item.outcome, lang)
        title = say.pgettext(
            "feed entry of an inspection",
            "%(who)s: %(what)s, %(outcome)s",
            who=who,
            what=what,
            outcome=outcome,
        )
    else:
        who = _name(names, item.enterprise_id, lang)
        title = say.gettext(
            "Response from %(who)s to %(subject)s", who=who, subject=item.subject_id
        )
    return title


_BODY = {
    "incidents": "summary",
    "inspections": "findings",
    "disclosures": "text",
    "enterprises": "description",
    "departments": "description",
    "responses": "text",
}


def _clip(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def paragraph(text: str, lang: str | None = None) -> str:
    """Text as one HTML paragraph (escaped, clipped), marked with its language when given."""
    attr = f' lang="{"zh-CN" if lang == "zh" else "en"}"' if lang else ""
    return f"<p{attr}>{html.escape(_clip(text))}</p>"


def _day(moment: datetime) -> str:
    return shown_in(moment, CHINA).strftime("%Y-%m-%d %H:%M")


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value) if value is not None else "—"
    return text if len(text) <= 80 else text[:79] + "…"


def withdrawal_note(
    item: Any,
    revision: RevisionPublic | None,
    names: Mapping[str, tuple[str, str | None]],
    lang: str,
) -> str:
    """When a record was withdrawn, by whom and why (HTML)."""
    who = _name(names, item.withdrawn_by, lang)
    reason = item.withdrawal_reason or (revision.reason if revision else None) or "—"
    text = words(lang).gettext(
        "Withdrawn on %(day)s by %(who)s. Reason: %(reason)s",
        day=_day(item.withdrawn_at),
        who=who,
        reason=reason,
    )
    return f'<p class="withdrawn"><strong>{html.escape(text)}</strong></p>'


def correction_note(
    revision: RevisionPublic, names: Mapping[str, tuple[str, str | None]], lang: str
) -> str:
    """What a correction changed (each field, old → new), by whom, when and why (HTML)."""
    changed = []
    for name, change in sorted(revision.changes.items()):
        if isinstance(change, dict) and not isinstance(change.get("new"), list | dict):
            arrow = "→"
            changed.append(
                f"{name}: {_value(change.get('old'))} {arrow} {_value(change.get('new'))}"
            )
        else:
            changed.append(name)
    who = _name(names, revision.author_id, lang)
    fields = "; ".join(changed) or "—"
    text = words(lang).gettext(
        "Corrected (revision %(number)d, %(day)s, by %(who)s): %(fields)s. Reason: %(reason)s",
        number=revision.number,
        day=_day(revision.at),
        who=who,
        fields=fields,
        reason=revision.reason or "—",
    )
    return f'<p class="correction">{html.escape(text)}</p>'


def change_note(
    item: Any,
    revision: RevisionPublic | None,
    names: Mapping[str, tuple[str, str | None]],
    lang: str,
) -> str | None:
    """What the last correction or the withdrawal did, by whom, when and why (HTML)."""
    if item.withdrawn_at is not None:
        return withdrawal_note(item, revision, names, lang)
    if revision is None or revision.action != Action.correct:
        return None
    return correction_note(revision, names, lang)


def record_text(item: Any, lang: str) -> str:
    """A record's text as HTML in the language asked for, with the English beside the Chinese
    where the record has it; illustrative sample records say so."""
    say = words(lang)
    parts = []
    if item.sample:
        parts.append(
            paragraph(
                say.gettext(
                    "An illustrative example that shows how the portal works, not a real record."
                )
            )
        )
    stem = _BODY[item.kind]
    zh, en = _text(item, stem, "zh"), _text(item, stem, "en")
    if lang == "en":
        if en:
            parts.append(paragraph(en, "en"))
        elif zh:
            parts.append(paragraph("(Published in Chinese only.)"))
            parts.append(paragraph(zh, "zh"))
    else:
        if zh:
            parts.append(paragraph(zh, "zh"))
        if en:
            parts.append(paragraph(en, "en"))
    if item.kind == "disclosures" and item.figures:
        parts.append(paragraph(figures_line(item.figures, lang)))
    if item.kind == "inspections" and item.penalty_yuan:
        amount = f"{item.penalty_yuan:,}"
        parts.append(paragraph(say.gettext("Fine: ¥%(amount)s", amount=amount)))
    return "".join(parts)


FIGURES_SHOWN = 12  # a disclosure's figures in its entry; its page has them all


def figures_line(figures: list[Any], lang: str) -> str:
    """A disclosure's figures in a line: what each counts, its value and unit (环保投资 356.8
    万元; 铅（车间排放口）0.3 毫克/升)."""
    shown = []
    for f in figures[:FIGURES_SHOWN]:
        what = _text(f, "item", lang) or _text(f, "item", "zh") or ""
        if f.pollutant:
            p = pollutants().get(f.pollutant)
            name = (p.name_en if lang == "en" else p.name_zh) if p else f.pollutant
            what = what or name
        site = _text(f, "site", lang) or _text(f, "site", "zh")
        if site:
            what += f" ({site})" if lang == "en" else f"（{site}）"
        unit = units().get(f.unit)
        unit_name = (unit.code if lang == "en" else unit.name_zh) if unit else f.unit
        shown.append(f"{what} {f.value:,g} {unit_name}")
    more = len(figures) - FIGURES_SHOWN
    if lang == "en":
        tail = f"; and {more} more" if more > 0 else ""
        return "Figures: " + "; ".join(shown) + tail + "."
    return "数据：" + "；".join(shown) + (f"；另有 {more} 项" if more > 0 else "") + "。"


def entry_summary(
    item: Any,
    revision: RevisionPublic | None,
    names: Mapping[str, tuple[str, str | None]],
    lang: str,
) -> str:
    """The entry's summary as HTML: what changed (if anything), then the record's text."""
    return (change_note(item, revision, names, lang) or "") + record_text(item, lang)


def _name_ids(items: Iterable[Any], revisions: Iterable[RevisionPublic]) -> list[str]:
    ids = {r.author_id for r in revisions}
    for item in items:
        for attr in ("publisher_id", "enterprise_id", "withdrawn_by"):
            value = getattr(item, attr, None)
            if value:
                ids.add(value)
    return sorted(ids)


# -- rendering ----------------------------------------------------------------------------------
@dataclass
class Entry:
    """One entry of a feed, whatever it stands for: a record, or one event in a record's life
    (its publication, a correction, a department's update)."""

    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    author: str
    author_url: str
    summary: str  # HTML
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # term, scheme, label


def record_entry(
    item: Any,
    revision: RevisionPublic | None,
    names: Mapping[str, tuple[str, str | None]],
    lang: str,
    base: str,
) -> Entry:
    """A record's entry: the same id in every feed, `updated` its last change."""
    categories = [(item.kind, f"{base}/feeds", kind_name(item.kind, lang))]
    for code in getattr(item, "pollutants", None) or []:
        p = pollutants().get(code)
        name = (p.name_en if lang == "en" else p.name_zh) if p else code
        categories.append((code, f"{base}/standards", name))
    return Entry(
        id=entry_id(item.id),
        title=entry_title(item, names, lang),
        link=record_url(item, base),
        published=item.published_at,
        updated=item.updated_at,
        author=_name(names, item.publisher_id, lang) or item.publisher_id,
        author_url=f"{base}/{_publisher_path(item.publisher_id)}",
        summary=entry_summary(item, revision, names, lang),
        categories=categories,
    )


def document(
    entries: list[Entry],
    *,
    feed_id: str,
    title: str,
    subtitle: str,
    pages: tuple[str, str],
    fmt: str,
    lang: str,
    base: str,
) -> bytes:
    """The feed document, Atom 1.0 or RSS 2.0; `pages` is (self URL, the HTML page's URL)."""

    # An Atom title is text; readers take an RSS title as HTML, so there it is escaped once.
    def plain(text: str) -> str:
        return xml_text(html.escape(text, quote=False) if fmt == "rss" else text)

    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.id(feed_id)
    fg.title(plain(title))
    fg.subtitle(xml_text(subtitle))
    fg.link(href=pages[0], rel="self", type=FORMATS[fmt])
    fg.link(href=pages[1], rel="alternate", type="text/html")
    fg.language("en" if lang == "en" else "zh-CN")
    fg.generator("Clearwater")
    fg.rights("CC BY 4.0")
    fg.author({"name": words(lang).gettext("Clearwater"), "uri": base})
    fg.updated(max((e.updated for e in entries), default=None) or datetime.now(UTC))
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.title(plain(entry.title))
        fe.link(href=entry.link, rel="alternate", type="text/html")
        fe.published(entry.published)
        fe.updated(entry.updated)
        author = xml_text(entry.author)
        fe.author({"name": author, "uri": entry.author_url})
        fe.dc.dc_creator(author)
        for term, scheme, shown in entry.categories:
            fe.category(term=term, scheme=scheme, label=xml_text(shown))
        fe.summary(xml_text(entry.summary), type="html")
    out: bytes = fg.atom_str(pretty=False) if fmt == "atom" else fg.rss_str(pretty=False)
    return out


def feed_title(feed: Feed, lang: str) -> str:
    """The feed's title: the site, what it follows, and its filters."""
    described = _describe(feed.filters, lang)
    site = words(lang).gettext("Clearwater")
    return f"{site} · {feed.title}" + (f" · {described}" if described else "")


def change_entries(
    session: Any, changes: list[Change], lang: str, base: str, found: list[Any] | None = None
) -> list[Entry]:
    """One entry per changed record, in the changes' order (`found`: the records, if loaded)."""
    if found is None:
        by_id = records.get_records(session, [c.id for c in changes])
        items = [by_id[c.id] for c in changes if c.id in by_id]
    else:
        items = found
    revisions = records.latest_revisions(session, changes)
    names = records.names(session, _name_ids(items, revisions.values()))
    return [record_entry(item, revisions.get(item.id), names, lang, base) for item in items]


def render(
    feed: Feed, entries: list[Entry], *, fmt: str, lang: str, self_url: str, base: str
) -> bytes:
    """The feed of a record query: one entry per record, most recently changed first."""
    query = urlencode(sorted(feed.filters.items()))
    say = words(lang)
    return document(
        entries,
        feed_id=f"tag:{tag_authority()},{TAG_DATE}:feeds/{feed.key}"
        + (f"?{query}" if query else ""),
        title=feed_title(feed, lang),
        subtitle=say.gettext("Records published, corrected or withdrawn, newest change first."),
        pages=(self_url, feed.html_url),
        fmt=fmt,
        lang=lang,
        base=base,
    )


def _publisher_path(publisher_id: str) -> str:
    try:
        return f"{records.kind_of_id(publisher_id).name}/{publisher_id}"
    except records.UnknownKind:
        return ""


# -- serving ------------------------------------------------------------------------------------
def newest_changes(session: Any, feed: Feed, limit: int) -> list[Change]:
    """The newest `limit` changes across the feed's queries (and its pinned record)."""
    changes = [Change(p.id, p.updated_at, p.revision, p.recorded_at) for p in feed.pinned]
    for query in feed.queries:
        changes.extend(records.recent_changes(session, query, limit))
    changes.sort(key=lambda c: c.order, reverse=True)
    return changes[:limit]


def feed_changes(session: Any, feed: Feed, limit: int, found: list[Any] | None) -> list[Change]:
    """The newest `limit` changes the feed follows: its queries', or a search feed's finds."""
    if found is None:
        return newest_changes(session, feed, limit)
    return [Change(i.id, i.updated_at, i.revision, i.recorded_at) for i in found[:limit]]


def serve(feed: Feed, fmt: str, lang: str, limit: int, *, found: list[Any] | None = None) -> Any:
    """Answer a feed request: 304 when current, else the rendered feed with validators.

    `found`, for a search feed, is the records the search returned, in its order."""
    session = request_session(current_app)
    if found is None:
        # Listing feeds are kept rendered under the data version (portal/cache.py): a hit costs
        # one indexed query, and any write moves the version. Search feeds follow the index.
        version, _ = data_version(session)
        tag, last_modified, body = remembered(
            "feed",
            version,
            (request.full_path, fmt, lang, base_url(), tag_authority()),
            lambda: _rendered(session, feed, fmt, lang, limit, None),
        )
    else:
        tag, last_modified, body = _rendered(session, feed, fmt, lang, limit, found)
    cached = not_modified(tag, last_modified, max_age=MAX_AGE)
    if cached is not None:
        return cached
    response = Response(body, content_type=f"{FORMATS[fmt]}; charset=utf-8")
    return stamp(response, tag, last_modified, max_age=MAX_AGE)


def _rendered(
    session: Any, feed: Feed, fmt: str, lang: str, limit: int, found: list[Any] | None
) -> tuple[str, datetime | None, bytes]:
    """The feed's entity tag, last change and body."""
    changes = feed_changes(session, feed, limit, found)
    tag = validator("feed", request.full_path, fmt, lang, *changes)
    last_modified = max((c.recorded_at for c in changes), default=None)
    base = base_url()
    body = render(
        feed,
        change_entries(session, changes, lang, base, found),
        fmt=fmt,
        lang=lang,
        self_url=base + request.full_path.rstrip("?"),
        base=base,
    )
    return tag, last_modified, body


def _parse() -> tuple[dict[str, str], str, int]:
    try:
        return feed_args(request.args)
    except QueryError as exc:
        raise QueryRefused(exc) from None


def _queries(kinds: Iterable[str], args: Mapping[str, str], **fixed: Any) -> list[RecordQuery]:
    try:
        return kind_queries(kinds, args, fixed)
    except QueryError as exc:
        raise QueryRefused(exc) from None


def _page(endpoint: str, args: Mapping[str, str], lang: str, **values: Any) -> str:
    values = {**values, **args, "lang": lang}
    return base_url() + url_for(endpoint, **values)


FMT = "<any(atom, rss):fmt>"


# A feed as its route builds it, before serving: what it follows, and for a search feed the
# records the search found, in its order. Email alerts (portal/alerts) build the same feeds.
Built = tuple[Feed, list[Any] | None]
Builder = Callable[..., Built]
BUILDERS: dict[str, Builder] = {}  # endpoint -> builder(args, lang, limit, **route values)


def builds(endpoint: str) -> Callable[[Builder], Builder]:
    """Name the builder of a feed route's endpoint (alerts find a feed's builder by address)."""

    def register(builder: Builder) -> Builder:
        BUILDERS[endpoint] = builder
        return builder

    return register


def _served(endpoint: str, fmt: str, **values: Any) -> Any:
    args, lang, limit = _parse()
    feed, found = BUILDERS[endpoint](args, lang, limit, **values)
    return serve(feed, fmt, lang, limit, found=found)


def followed(address: str) -> tuple[Feed, list[Any] | None, str]:
    """The feed at an address (its path and query string) as its route builds it, and its
    language; an HTTPException with the sentence its route would answer when there is none."""
    parts = urlsplit(address)
    try:
        endpoint, matched = current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:
        endpoint, matched = "", {}
    if endpoint not in BUILDERS:
        abort(404, description=f"There is no feed at {parts.path[:80]} to follow.")
    values = {k: v for k, v in matched.items() if k != "fmt"}
    try:
        args, lang, limit = feed_args(MultiDict(parse_qsl(parts.query, keep_blank_values=True)))
    except QueryError as exc:
        raise QueryRefused(exc) from None
    feed, found = BUILDERS[endpoint](args, lang, limit, **values)
    return feed, found, lang


@bp.get(f"/all.{FMT}")
def all_records(fmt: str) -> Any:
    """Everything published, corrected or withdrawn, across kinds."""
    return _served("feeds.all_records", fmt)


@builds("feeds.all_records")
def _all_feed(args: dict[str, str], lang: str, limit: int) -> Built:
    feed = Feed(
        "all",
        words(lang).gettext("All records"),
        _page("web.home", {}, lang),
        queries=_queries(ALL_KINDS, args),
        filters=args,
    )
    return feed, None


@bp.get(f"/<any({', '.join(FEED_KINDS)}):kind>.{FMT}")
def kind_feed(kind: str, fmt: str) -> Any:
    """One kind's records; every listing filter applies."""
    return _served("feeds.kind_feed", fmt, kind=kind)


@builds("feeds.kind_feed")
def _kind_feed(args: dict[str, str], lang: str, limit: int, kind: str) -> Built:
    # The queries first: they refuse a 'kind' in the address, which would else replace the
    # kind of the listing's link and make url_for fail (a 500).
    queries = _queries([kind], args)
    if kind in PUBLIC_KINDS:
        page = _page("web.listing", args, lang, kind=kind)
    else:  # responses are shown beside what they answer: that record's page, or /data
        subject = queries[0].subject
        page = (
            _page("web.record", {}, lang, kind=records.kind_of_id(subject).name, record_id=subject)
            if subject
            else _page("web.data", {}, lang)
        )
    return Feed(kind, kind_name(kind, lang), page, queries=queries, filters=args), None


@bp.get(f"/search.{FMT}")
def search_feed(fmt: str) -> Any:
    """The newest records a search finds (its filters apply)."""
    return _served("feeds.search_feed", fmt)


@builds("feeds.search_feed")
def _search_feed(args: dict[str, str], lang: str, limit: int) -> Built:
    if not (args.get("q") or "").strip() and not any(k != "q" for k in args):
        abort(400, description="Give the words to follow in 'q' (or follow /feeds/all.atom).")
    try:
        query = parse_search(args)
    except QueryError as exc:
        raise QueryRefused(exc) from None
    if query.sort == "relevance":
        query = replace(query, sort="newest")
    query = replace(query, page=1, limit=limit)
    try:
        result = search.service_of(current_app).search(query, lang=lang, with_facets=False)
    except SearchTooSlow as exc:
        raise QueryRefused(exc) from None
    except IndexUnavailable:
        abort(
            503,
            description="The search index is being rebuilt; try the feed again in a minute.",
        )
    session = request_session(current_app)
    by_id = records.get_records(session, [h.id for h in result.hits])
    found = [by_id[h.id] for h in result.hits if h.id in by_id]
    feed = Feed(
        "search",
        words(lang).gettext("Search"),
        _page("web.search_page", args, lang),
        filters=args,
    )
    return feed, found


def _followed(kind: str, record_id: str) -> Any:
    wanted = requested_id(record_id)
    if wanted is None:
        abort(404, description=f"There is no record {record_id[:60]!r} among the {kind}.")
    item = records.get_record(request_session(current_app), wanted)
    if item is None or item.kind != kind:
        abort(404, description=f"There is no record {record_id[:60]!r} among the {kind}.")
    return item


@bp.get(f"/enterprises/<record_id>.{FMT}")
def enterprise_feed(record_id: str, fmt: str) -> Any:
    """Everything about one enterprise: its own record, its disclosures and responses, the
    inspections of it and the incidents naming it."""
    return _served("feeds.enterprise_feed", fmt, record_id=record_id)


@builds("feeds.enterprise_feed")
def _enterprise_feed(args: dict[str, str], lang: str, limit: int, record_id: str) -> Built:
    item = _followed("enterprises", record_id)
    kinds = ("incidents", "inspections", "disclosures", "responses")
    feed = Feed(
        f"enterprises/{item.id}",
        _name({item.id: (item.name_zh, getattr(item, "name_en", None))}, item.id, lang),
        _page("web.record", {}, lang, kind="enterprises", record_id=item.id),
        queries=_queries(kinds, args, enterprise=item.id),
        pinned=[item] if not args else [],
        filters=args,
    )
    return feed, None


@bp.get(f"/departments/<record_id>.{FMT}")
def department_feed(record_id: str, fmt: str) -> Any:
    """What one department (and the bureaus under it) published."""
    return _served("feeds.department_feed", fmt, record_id=record_id)


@builds("feeds.department_feed")
def _department_feed(args: dict[str, str], lang: str, limit: int, record_id: str) -> Built:
    item = _followed("departments", record_id)
    kinds = ("departments", "enterprises", "incidents", "inspections")
    feed = Feed(
        f"departments/{item.id}",
        _name({item.id: (item.name_zh, getattr(item, "name_en", None))}, item.id, lang),
        _page("web.record", {}, lang, kind="departments", record_id=item.id),
        queries=_queries(kinds, args, department=item.id),
        filters=args,
    )
    return feed, None


@bp.get("/<path:rest>")
def unknown(rest: str) -> Any:
    """Any other address under /feeds: say which feeds exist."""
    abort(
        404,
        description=(
            f"There is no feed at /feeds/{rest[:80]}. Feeds are /feeds/all.atom, "
            f"/feeds/<kind>.atom (kind: {', '.join(FEED_KINDS)}), /feeds/search.atom?q=..., "
            "/feeds/enterprises/<id>.atom, /feeds/departments/<id>.atom and one record's "
            "/feeds/records/<id>.atom, each also as .rss."
        ),
    )
