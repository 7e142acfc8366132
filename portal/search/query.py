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
from portal.search.analysis import (
    ChineseTokenizer,
    chinese_analyzer,
    chinese_grams,
    english_analyzer,
    word_spans,
)
from portal.search.evaluate import Unsupported, View, view_of
from portal.search.schema import IDENTIFIER, SEARCHED_KINDS, STATE_ID, identifier_key
from portal.search.text import equivalents, split_user_text

ZH_FIELDS = ("title_zh", "names", "text_zh")
EN_FIELDS = ("title_en", "text_en")
FIELDS = ZH_FIELDS + EN_FIELDS
GRAMS = "grams"  # pairs of neighbouring Chinese characters (analysis.gram_terms)
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


def word_query(word: str, *, any_part: bool = False, grams: bool = True) -> Query | None:
    """A word as typed: every position it segments into must match (a synonym will do).

    A word shaped like an identifier also matches the record holding it, as one exact term
    (schema.identifier_key), which no other record has: rare, in the names, it ranks first.
    A word of Chinese characters also matches a record holding them one after the other,
    however jieba cut that record (`gram_query`; not with `grams` False)."""
    parts = [_alternatives(t, s) for t, s in _positions(word)]
    pairs = gram_query(word) if grams else None
    if not parts:
        return pairs  # function words only (的和): their characters still find them
    words = parts[0] if len(parts) == 1 else Or(parts) if any_part else And(parts)
    options = [q for q in (identifier_query(word), pairs) if q is not None]
    if not options:
        return words
    # One Or of terms and phrases where the word is one position: the same score (an Or sums
    # what matches), and the fast path ranks it as one unit (search/evaluate.py).
    flat = type(words) is Or and all(type(q) in (Term, Phrase) for q in words.subqueries)
    inner = list(words.subqueries) if flat else [words]
    return Or([options[0], *inner, *options[1:]])


def gram_query(word: str) -> Query | None:
    """A word of two or more Chinese characters as its character pairs, one after the other
    (analysis.gram_terms); None for any other word."""
    pairs = chinese_grams(word)
    if pairs is None:
        return None
    return Term(GRAMS, pairs[0]) if len(pairs) == 1 else Phrase(GRAMS, pairs)


def tiers(text: str, *, any_word: bool = False) -> list[tuple[Query, int]]:
    """What a hit's tier counts, before its score orders it among its tier (issue 21): the
    queries it may match and what each adds.

    A hit ranks first by how many of the typed words (and phrases) it holds, in any form,
    then by how many it holds as words rather than only as character pairs, then by score.
    When every word must match (not `any_word`) all hits hold every word, and only the words
    that have character pairs can tell hits apart: an empty list means one tier."""
    user = split_user_text(text)
    units: list[tuple[Query, Query | None]] = []
    for word in user.words:
        held = word_query(word)
        if held is not None:
            grams = gram_query(word) is not None
            units.append((held, word_query(word, grams=False) if grams else None))
    units += [(q, None) for q in map(phrase_query, user.phrases) if q is not None]
    step = len(units) + 1  # holding one more word outweighs holding every word as a word
    out: list[tuple[Query, int]] = []
    for held, exact in units:
        if any_word:
            out.append((held, step if exact is not None else step + 1))
        if exact is not None:
            out.append((exact, 1))
    return out if (any_word and len(units) > 1) or any(e is not None for _, e in units) else []


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


SNIPPET_LENGTH = 180  # characters of text a snippet shows at most, in all its fragments
FRAGMENTS = 2  # fragments a snippet shows at most, each from another field of the text
# Where a fragment may begin or end: after a sentence's or a clause's end, or a space.
_SENTENCE_END = "。！？；!?;"
_CLAUSE_END = "，、：,:）)」』"


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


def marked_terms(query: Query) -> set[str]:
    """What a snippet marks for a query: its terms, and for character pairs the word they
    spell (龙江, 江河 -> 龙江河), so that the word is marked whole, not pair by pair."""
    out: set[str] = set()
    for leaf in _leaves(query):
        if leaf.field() == GRAMS:
            pairs = list(leaf.words) if type(leaf) is Phrase else [leaf.text]
            out.add(pairs[0] + "".join(pair[1:] for pair in pairs[1:]))
        elif type(leaf) is Phrase:
            out.update(w for w in leaf.words if w)
        elif type(leaf) is Term and isinstance(leaf.text, str) and leaf.text:
            out.add(leaf.text)
    return out


def _leaves(query: Query) -> list[Query]:
    if type(query) in (Or, And):
        return [leaf for sub in query.subqueries for leaf in _leaves(sub)]
    if type(query) is AndNot:
        return [*_leaves(query.a), *_leaves(query.b)]
    return [query] if type(query) in (Term, Phrase) else []


def snippet(text: str, marker: re.Pattern[str] | None) -> str:
    """What a hit shows of its text, HTML-escaped, matches in <mark>: one fragment from each of
    the fields (the lines of the text) that hold the most distinct matches, the best first, at
    most FRAGMENTS of them and SNIPPET_LENGTH characters in all; a line that repeats another is
    shown once. Each fragment is cut where a sentence, a clause or a word ends, never inside
    a word; `…` says that text was left out before or after it.

    Cheaper than whoosh's highlighter, which segments the whole stored text of every hit."""
    lines = [line.strip() for line in dict.fromkeys(text.split("\n")) if line.strip()]
    if not lines:
        return ""
    found = []
    for number, line in enumerate(lines):
        matches = list(marker.finditer(line)) if marker else []
        if matches:
            distinct = len({m.group().casefold() for m in matches})
            found.append((-distinct, number, line, matches[0]))
    if not found:
        return _fragment(lines[0], 0, 0, SNIPPET_LENGTH, None)
    found.sort(key=lambda f: (f[0], f[1]))
    chosen = found[:FRAGMENTS]
    room = SNIPPET_LENGTH // len(chosen)
    return " ".join(
        _fragment(line, first.start(), first.end(), room, marker) for _, _, line, first in chosen
    )


def _fragment(line: str, start: int, end: int, room: int, marker: re.Pattern[str] | None) -> str:
    """The part of a line around [start, end) of at most about `room` characters, from a
    sentence's, clause's or word's beginning to such an end, with its matches marked."""
    left = _boundary_before(line, start, max(0, start - room // 3))
    right = _boundary_after(line, end, max(end, left + room))
    window = line[left:right]
    out: list[str] = []
    last = 0
    for match in marker.finditer(window) if marker else ():
        out.append(html.escape(window[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    out.append(html.escape(window[last:]))
    body = "".join(out).strip()
    return ("…" if left > 0 else "") + body + ("…" if right < len(line) else "")


def _boundary_before(line: str, at: int, earliest: int) -> int:
    """Where a fragment starting before `at` and not before `earliest` may begin: just after
    a sentence's end, else a clause's, else a space, else a word's start; 0 at the line's."""
    if earliest <= 0:
        return 0
    for ends in (_SENTENCE_END, _CLAUSE_END, " "):
        for i in range(at - 1, earliest - 1, -1):
            if line[i] in ends:
                return i + 1
    return _word_start(line, earliest)


def _boundary_after(line: str, end: int, latest: int) -> int:
    """Where a fragment holding [.., end) and not reaching past `latest` may end: just after
    the last sentence's end before it, else a clause's, else at a space, else at the end of
    the word at `latest`; the line's end when it comes first."""
    if latest >= len(line):
        return len(line)
    for ends in (_SENTENCE_END, _CLAUSE_END, " "):
        for i in range(latest - 1, end - 1, -1):
            if line[i] in ends:
                return i + 1 if ends != " " else i
    return _word_end(line, latest)


def _words_near(line: str, at: int) -> list[tuple[int, int]]:
    """Where the words around position `at` begin and end, as jieba cuts the line there."""
    base = max(0, at - 24)
    return [(base + a, base + b) for a, b in word_spans(line[base : at + 24])]


def _word_start(line: str, at: int) -> int:
    """The start of the word that holds position `at` (or `at` itself at a word's start)."""
    for start, end in _words_near(line, at):
        if start <= at < end:
            return start
    return at


def _word_end(line: str, at: int) -> int:
    """The end of the word that holds position `at`."""
    for start, end in _words_near(line, at):
        if start < at < end:
            return end
    return at


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
        ranked = []
        for tier in by_tier(view, tiers(query.text, any_word=any_word), docs):
            try:
                best = view.rank(whoosh_query, tier, wanted - len(ranked))
            except Unsupported:  # phrases: whoosh ranks what matched
                results = searcher.search(whoosh_query, limit=wanted - len(ranked), filter=tier)
                best = [(hit.docnum, hit.score) for hit in results]
            scores.update(best)
            ranked += [doc for doc, _ in best]
            if len(ranked) >= wanted:
                break
    start = (query.page - 1) * query.limit
    shown = ranked[start : start + query.limit]
    if by_date and asked and shown:
        try:
            scores = view.scores(whoosh_query, set(shown))
        except Unsupported:
            scores = {}
    marker = term_marker(marked_terms(whoosh_query))
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


def by_tier(view: View, counted: list[tuple[Query, int]], docs: set[int]) -> list[set[int]]:
    """The matching documents in tiers, the first first (`tiers` says what each query adds to
    a document's tier); one tier when there is nothing to count."""
    if not counted or not docs:
        return [docs]
    level = dict.fromkeys(docs, 0)
    for unit, weight in counted:
        for doc in docs.intersection(view.docs(unit)):
            level[doc] += weight
    grouped: dict[int, set[int]] = defaultdict(set)
    for doc, value in level.items():
        grouped[value].add(doc)
    return [grouped[value] for value in sorted(grouped, reverse=True)]


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
