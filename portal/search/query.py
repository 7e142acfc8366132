"""Searching: the user's words and the listing filters become a Whoosh query; results come back
ranked or by date, with facet counts, highlighted snippets and the fields that matched."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from whoosh.query import (
    And,
    AndNot,
    Every,
    NumericRange,
    Or,
    Phrase,
    Query,
    Term,
)
from whoosh.searching import Searcher
from whoosh.spelling import Corrector

from portal.codes import Issue
from portal.records.kinds import Kind
from portal.records.query import (
    FILTER_PARAMS,
    LISTING_ONLY,
    MAX_TEXT,
    QueryError,
    dates_reversed,
    not_one_of,
    not_whole,
    out_of_range,
    parse_value,
    too_long,
)
from portal.search.analysis import ChineseTokenizer, chinese_analyzer, english_analyzer
from portal.search.evaluate import Unsupported, View, view_of
from portal.search.schema import IDENTIFIER, SEARCHED_KINDS, STATE_ID, identifier_key
from portal.search.text import equivalents, split_user_text

ZH_FIELDS = ("title_zh", "names", "text_zh")
EN_FIELDS = ("title_en", "text_en")
FIELDS = ZH_FIELDS + EN_FIELDS
# The listing filters a search takes (not updated_since or text: the words are the text).
FILTERS = (
    "kind",
    *(f for f in FILTER_PARAMS if f not in ("updated_since", "text", *LISTING_ONLY)),
)
FACETS = ("kind", "department", "province", "pollutant", "year", "outcome")
OVERLAPPING = ("pollutant", "department")  # facets a record can count in more than once
MAX_PAGE_SIZE = 50
MAX_DEPTH = 10_000  # page x page size: deeper pages are refused, not computed
MAX_QUERY = 1000
MAX_SUGGESTED = 24  # longer words get no did-you-mean: the corrector's cost grows with length
MAX_POSITIONS = 24  # words a single typed word may segment into before the rest is ignored
SORTS = ("relevance", "newest", "oldest")


@dataclass(frozen=True)
class SearchQuery:
    """A search: the words, the filters (as in listings), the order and the page."""

    text: str = ""
    filters: Mapping[str, Any] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    limit: int = 20

    def args(self) -> dict[str, str]:
        """Query-string arguments that reproduce this search (for links)."""
        out = {"q": self.text} if self.text else {}
        for name, value in self.filters.items():
            if isinstance(value, bool):
                out[name] = "true" if value else "false"
            else:
                out[name] = value.isoformat() if isinstance(value, date) else str(value)
        if self.sort != "relevance":
            out["sort"] = self.sort
        return out


def parse_search(
    args: Mapping[str, str], *, departments: Any = None, ignore: tuple[str, ...] = ()
) -> SearchQuery:
    """Parse `q`, the listing filters, `sort`, `page` and `limit`, or raise QueryError."""
    problems: list[Issue] = []
    allowed = {"q", "sort", "page", "limit", *FILTERS, *ignore}
    usable = ["q", *FILTERS, "sort", "page", "limit"]
    for name in args:
        if name not in allowed:
            problems.append(
                Issue(
                    "unknown_parameter",
                    f"Unknown parameter '{name}'; search takes q, {', '.join(FILTERS)}, sort, "
                    "page and limit.",
                    {"name": name, "kind": "search", "usable": usable},
                )
            )
    text = args.get("q") or ""
    if len(text) > MAX_QUERY:  # as given, spaces too (as the API document counts it)
        message = f"'q' is longer than {MAX_QUERY} characters; shorten the search."
        problems.extend(too_long("q", MAX_QUERY, message).issues)
    text = text.strip()
    filters: dict[str, Any] = {}
    kind: Kind | None = None
    raw_kind = (args.get("kind") or "").strip()
    if raw_kind:
        if raw_kind not in SEARCHED_KINDS:
            problems.extend(not_one_of("kind", list(SEARCHED_KINDS)).issues)
        else:
            from portal.records.kinds import KINDS

            kind = KINDS[raw_kind]
            filters["kind"] = raw_kind
    for name in FILTERS:
        raw = args.get(name) or ""
        if name == "kind" or not raw.strip():
            continue
        try:
            filters[name] = parse_value(kind, name, raw)
        except QueryError as exc:
            problems.extend(exc.issues)
    sort = (args.get("sort") or "relevance").strip().lower()
    if sort not in SORTS:
        problems.extend(not_one_of("sort", list(SORTS)).issues)
    page = _whole(args.get("page"), "page", 1, problems, 1, MAX_DEPTH)
    limit = _whole(args.get("limit"), "limit", 20, problems, 1, MAX_PAGE_SIZE)
    if not problems and page * limit > MAX_DEPTH:
        message = f"Results go {MAX_DEPTH:,} deep at most; narrow the search instead."
        problems.append(Issue("too_deep", message, {"max": MAX_DEPTH}))
    if problems:
        raise QueryError(problems)
    if "from" in filters and "to" in filters and filters["from"] > filters["to"]:
        raise dates_reversed()
    return SearchQuery(text=text, filters=filters, sort=sort, page=page, limit=limit)


def _whole(
    raw: str | None, name: str, default: int, problems: list[Issue], low: int, high: int
) -> int:
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.extend(not_whole(name, low, high).issues)
        return default
    if not low <= value <= high:
        problems.extend(out_of_range(name, low, high, value).issues)
        return default
    return value


# --- words to Whoosh queries -------------------------------------------------------------

_ZH = chinese_analyzer()
_EN = english_analyzer()
_SURFACE = ChineseTokenizer()


def _positions(text: str) -> list[tuple[set[str], set[str]]]:
    """For each word position: the index terms there, and the surface words (for synonyms)."""
    terms: dict[int, set[str]] = defaultdict(set)
    for token in _ZH(text, positions=True):
        terms[token.pos].add(token.text)
    surface: dict[int, set[str]] = defaultdict(set)
    for token in _SURFACE(text, positions=True):
        surface[token.pos].add(token.text)
    return [(terms[p], surface[p]) for p in sorted(terms)[:MAX_POSITIONS]]


def _alternatives(terms: set[str], surface: set[str]) -> Query:
    """Any field containing any term of this position or any synonym of its words."""
    options: list[Query] = [Term(f, t) for f in FIELDS for t in terms]
    for word in surface | terms:
        for synonym in equivalents(word) - {word}:
            tokens = [t.text for t in _ZH(synonym)]
            if len(tokens) == 1:
                options += [Term(f, tokens[0]) for f in FIELDS]
            elif tokens:
                options += [Phrase(f, tokens) for f in FIELDS]
    return Or(options)


def word_query(word: str, *, any_part: bool = False) -> Query | None:
    """A word as typed: every position it segments into must match (a synonym will do).

    A word shaped like an identifier also matches the record holding it, as one exact term
    (schema.identifier_key), which no other record has: rare, in the names, it ranks first."""
    parts = [_alternatives(t, s) for t, s in _positions(word)]
    if not parts:
        return None
    words = parts[0] if len(parts) == 1 else Or(parts) if any_part else And(parts)
    exact = identifier_query(word)
    return Or([exact, words]) if exact is not None else words


def identifier_query(word: str) -> Query | None:
    """The exact term of a word shaped like a record id, credit code or permit number."""
    if not IDENTIFIER.fullmatch(word):
        return None
    tokens = [t.text for t in _ZH(identifier_key(word))]
    return Term("names", tokens[0]) if len(tokens) == 1 else None


def phrase_query(phrase: str) -> Query | None:
    """The words of a phrase next to each other, in any text field."""
    zh: dict[int, str] = {}
    for token in _ZH(phrase, positions=True):
        if len(token.text) > len(zh.get(token.pos, "")):
            zh[token.pos] = token.text  # the whole word, not its sub-words
    en = [t.text for t in _EN(phrase)]
    options: list[Query] = []
    if len(zh) > 1:
        options += [Phrase(f, [zh[p] for p in sorted(zh)]) for f in ZH_FIELDS]
    elif zh:
        options += [Term(f, next(iter(zh.values()))) for f in ZH_FIELDS]
    if len(en) > 1:
        options += [Phrase(f, en) for f in EN_FIELDS]
    elif en:
        options += [Term(f, en[0]) for f in EN_FIELDS]
    return Or(options) if options else None


def text_query(text: str, *, any_word: bool = False) -> tuple[Query, bool]:
    """The user's text as a query; True as second value when it asks for something.

    `any_word` relaxes it to any word (or any part of a word) matching, ranked by how many do."""
    user = split_user_text(text)
    make = (lambda w: word_query(w, any_part=True)) if any_word else word_query
    positive = [q for q in [*map(make, user.words), *map(phrase_query, user.phrases)] if q]
    negative = [q for q in [*map(word_query, user.excluded)] if q]
    if positive:
        query: Query = Or(positive) if any_word else And(positive)
    else:
        query = Every()
    if negative:
        query = AndNot(query, Or(negative))
    return query, bool(positive)


def filter_query(filters: Mapping[str, Any], subtree: Any = None) -> Query | None:
    """The listing filters as a Whoosh query (None when there are none)."""
    parts: list[Query] = []
    for name in (
        "kind",
        "enterprise",
        "province",
        "pollutant",
        "sector",
        "outcome",
        "status",
        "category",
    ):
        if name in filters:
            parts.append(Term(name, filters[name]))
    if "department" in filters:
        ids = subtree(filters["department"]) if subtree else [filters["department"]]
        parts.append(Or([Term("department", i) for i in ids]))
    if "city" in filters:
        parts.append(Term("city", str(filters["city"]).casefold()))
    if "sample" in filters:
        parts.append(Term("sample", filters["sample"]))
    if "from" in filters or "to" in filters:
        # Days are China days, as in the listings: each document keeps its China day.
        start = filters["from"].toordinal() if "from" in filters else None
        end = filters["to"].toordinal() if "to" in filters else None
        parts.append(NumericRange("day", start, end))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


# --- results ---------------------------------------------------------------------------------


SNIPPET_BEFORE, SNIPPET_AFTER = 50, 130


def term_marker(terms: set[str]) -> re.Pattern[str] | None:
    """A pattern for the index terms as they appear in text: Chinese as is, English stems
    followed by any word ending (metal -> metals), longest first."""
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        if term.isascii():
            parts.append(rf"\b{re.escape(term)}\w*")
        else:
            parts.append(re.escape(term))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def snippet(text: str, marker: re.Pattern[str] | None) -> str:
    """A window of the text around the first match, HTML-escaped, matches in <mark>.

    Cheaper than whoosh's highlighter, which segments the whole stored text of every hit."""
    found = marker.search(text) if marker else None
    if found is None:
        body = text[: SNIPPET_BEFORE + SNIPPET_AFTER]
        return html.escape(body) + ("…" if len(text) > len(body) else "")
    start = max(0, found.start() - SNIPPET_BEFORE)
    end = min(len(text), found.end() + SNIPPET_AFTER)
    window = text[start:end]
    out, last = [], 0
    for match in marker.finditer(window):  # type: ignore[union-attr]
        out.append(html.escape(window[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    out.append(html.escape(window[last:]))
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")


FIELD_LABELS = {
    "title_zh": "title",
    "title_en": "title",
    "names": "names",
    "text_zh": "text",
    "text_en": "text",
}


@dataclass
class Hit:
    """One result: what it is, a snippet (safe HTML) and why it matched."""

    id: str
    kind: str
    title_zh: str
    title_en: str
    snippet: str
    matched: list[str]
    score: float
    date: datetime | None


@dataclass
class SearchResult:
    """A page of hits, the total, facet counts and, when nothing matched, a suggestion."""

    query: SearchQuery
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    any_word: bool = False
    # Revisions the index had not taken in when it answered (it could not be written, or is
    # still absorbing a large import): what they wrote is not in these hits yet.
    behind: int = 0

    @property
    def pages(self) -> int:
        """How many pages the total fills (within the depth limit)."""
        return max(1, -(-min(self.total, MAX_DEPTH) // self.query.limit))


def run_search(
    searcher: Searcher,
    query: SearchQuery,
    *,
    lang: str = "zh",
    subtree: Any = None,
    with_facets: bool = True,
) -> SearchResult:
    """Run a search on an open searcher (search/evaluate.py says how)."""
    view = view_of(searcher)
    whoosh_query, asked = text_query(query.text)
    filt = filter_query(query.filters, subtree)
    allowed = view.docs(filt) if filt is not None else None
    hidden = view.deleted | set(view.docs(Term("id", STATE_ID)))
    by_date = query.sort != "relevance" or not asked
    wanted = query.page * query.limit

    def matching(q: Query) -> set[int]:
        found = set(view.docs(q))
        if allowed is not None:
            found.intersection_update(allowed)
        found.difference_update(hidden)
        return found

    docs = matching(whoosh_query)
    any_word = False
    if not docs and asked:
        whoosh_query, _ = text_query(query.text, any_word=True)
        docs = matching(whoosh_query)
        any_word = bool(docs)
    scores: dict[int, float] = {}
    if by_date:
        ranked = view.by_date("date", docs, wanted, newest=query.sort != "oldest")
    else:
        try:
            best = view.rank(whoosh_query, docs, wanted)
            scores = dict(best)
            ranked = [doc for doc, _ in best]
        except Unsupported:  # phrases: whoosh ranks what matched
            results = searcher.search(whoosh_query, limit=wanted, filter=docs)
            scores = {hit.docnum: hit.score for hit in results}
            ranked = [hit.docnum for hit in results]
    start = (query.page - 1) * query.limit
    shown = ranked[start : start + query.limit]
    if by_date and asked and shown:
        try:
            scores = view.scores(whoosh_query, set(shown))
        except Unsupported:
            scores = {}
    marker = term_marker({text for _, text in whoosh_query.iter_all_terms() if text})
    leaves = [leaf for leaf, negated in view.leaves_of(whoosh_query) if not negated]
    hits = [
        make_hit(
            searcher.stored_fields(doc),
            scores.get(doc, 0.0),
            _matched(view, leaves, doc),
            lang,
            marker,
        )
        for doc in shown
    ]
    facet_counts = {}
    if with_facets:
        singles = tuple(name for name in FACETS if name not in OVERLAPPING)
        overlapping = tuple(name for name in FACETS if name in OVERLAPPING)
        counted = view.facet_counts(singles, overlapping, docs)
        for name in FACETS:
            facet_counts[name] = sorted(
                ((str(k), int(v)) for k, v in counted[name].items() if k),
                key=lambda kv: (-kv[1], kv[0]),
            )
    suggestion = None
    if not docs and asked:
        suggestion = _suggest(searcher, query.text)
    return SearchResult(query, hits, len(docs), facet_counts, suggestion, any_word)


def _matched(view: View, leaves: list[Query], doc: int) -> list[str]:
    """Which kinds of field (title, names, text) the document matched in."""
    fields = {leaf.field() for leaf in leaves if leaf.field() in FIELD_LABELS}
    return sorted(
        {
            FIELD_LABELS[field]
            for field in fields
            if any(leaf.field() == field and view.contains(leaf, doc) for leaf in leaves)
        }
    )


def make_hit(
    stored: dict[str, Any],
    score: float,
    matched: list[str],
    lang: str,
    marker: re.Pattern[str] | None,
) -> Hit:
    """A hit from a document's stored fields; the snippet comes from the body that holds a
    match, in the reader's language first."""
    order = ("text_en", "text_zh") if lang == "en" else ("text_zh", "text_en")
    text = ""
    for name in order:
        body = stored.get(name) or ""
        if body and marker and marker.search(body):
            text = body
            break
        text = text or body
    return Hit(
        id=stored["id"],
        kind=stored["kind"],
        title_zh=stored.get("label_zh", ""),
        title_en=stored.get("label_en", ""),
        snippet=snippet(text, marker),
        matched=matched,
        score=round(float(score or 0.0), 3),
        date=_aware(stored.get("date")),
    )


def _aware(value: datetime | None) -> datetime | None:
    """The index keeps naive UTC (whoosh's DATETIME); give it back its zone."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _suggest(searcher: Searcher, text: str) -> str | None:
    """Did you mean: English words corrected from the words in the index."""
    return suggest(searcher.corrector("text_en"), text)


def suggest(corrector: Corrector, text: str) -> str | None:
    """English words of the text corrected by `corrector`, or None when none changes."""
    user = split_user_text(text)
    changed = False
    out = []
    for word in user.words:
        if word.isascii() and word.isalpha() and 3 < len(word) <= MAX_SUGGESTED:
            found = corrector.suggest(word.lower(), limit=1)
            if found and found[0] != word.lower():
                out.append(found[0])
                changed = True
                continue
        out.append(word)
    return " ".join(out) if changed else None


__all__ = ["MAX_TEXT", "SearchQuery", "SearchResult", "parse_search", "run_search"]
