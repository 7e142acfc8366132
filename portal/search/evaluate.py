"""Answering a search from whole posting lists instead of Whoosh's matcher trees.

Whoosh finds, scores and counts matching documents one at a time, through a tree of Python
matcher objects, several method calls per document per query term; then it walks every match
again to count them (`len(results)`) and once more per facet. With 100,000 records a one-word
search matches some 10,000 documents under fifteen terms (the word and its synonyms in five
fields): half a second.

Here a term's postings are read a block at a time into a dict {document: weight} (cached per
searcher), the query is evaluated as set operations on those dicts (done in C), and only the
documents that match are scored, with Whoosh's own BM25F formula and statistics, so the
ranking is the one Whoosh gives. Facet counts and date order come from per-document arrays
built once per index segment. A query this module does not handle (phrases: their positions
are checked by Whoosh) is ranked by Whoosh, with the set of matching documents as its filter.

What lies below Whoosh's public API (posting blocks, length and value columns) is read through
search/whoosh_inside.py, the one module allowed to; tests/search/test_fast_path.py checks
that this ranks the relevance set as Whoosh's own `Searcher.search` does.
"""

from __future__ import annotations

import heapq
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, KeysView
from itertools import repeat
from operator import add, neg
from typing import Any

from cachetools import LRUCache
from whoosh.formats import Positions
from whoosh.query import And, AndNot, Every, NullQuery, Or, Phrase, Query, Term
from whoosh.searching import Searcher

from portal.search import whoosh_inside

TERM_CACHE = 1_000_000  # entries each of a searcher's three caches holds (about 100 bytes each)
SEGMENT_CACHE = 64  # segments whose per-document arrays a process keeps
_NULL = type(NullQuery)  # the query that matches nothing (a class of one instance)


class Unsupported(Exception):
    """A query this module does not score (Whoosh ranks it)."""


# --- per segment: arrays built once, kept while the segment exists -------------------------


class _Segment:
    """Per-document arrays of one segment: field lengths, facet values, dates."""

    def __init__(self, doccount: int) -> None:
        self.doccount = doccount
        self.lengths: dict[str, list[int]] = {}
        self.values: dict[str, list[Any]] = {}
        self.dates: list[int] | None = None
        self.coded: dict[tuple[tuple[str, ...], bool], tuple[list[int], list[Any]]] = {}
        self.lock = threading.Lock()


_SEGMENTS: LRUCache[str, _Segment] = LRUCache(maxsize=SEGMENT_CACHE)
_SEGMENTS_LOCK = threading.Lock()  # cachetools' caches are not safe across threads
_GROUPS: dict[tuple[str, ...], list[tuple[str, ...]]] = {}


def _segment(reader: Any) -> _Segment:
    key = reader.segment().segment_id()
    with _SEGMENTS_LOCK:
        found = _SEGMENTS.get(key)
        if found is None or found.doccount != reader.doc_count_all():
            found = _SEGMENTS[key] = _Segment(reader.doc_count_all())
        return found


def _weight(value: Any) -> int:
    """What a cached posting dict, set or ranking counts against TERM_CACHE: its entries. One
    larger than the whole bound counts as the bound, so it is kept alone rather than refused."""
    return min(len(value) + 1, TERM_CACHE)


def _read_values(reader: Any, field: str, doccount: int, overlap: bool) -> list[Any]:
    """Each document's value of `field` (a tuple of values when a document may have several)."""
    fieldobj = reader.schema[field]
    if overlap:
        many: list[list[str]] = [[] for _ in range(doccount)]
    else:
        one: list[str | None] = [None] * doccount
    for btext in reader.lexicon(field):
        text = fieldobj.from_bytes(btext)
        for doc in whoosh_inside.postings(reader, field, btext)[0]:
            if overlap:
                many[doc].append(text)
            else:
                one[doc] = text
    return [tuple(v) for v in many] if overlap else one


def _code(columns: list[list[Any]], overlap: bool) -> tuple[list[int], list[Any]]:
    """A small number per document for its combination of values, and the combinations."""
    combos: Iterable[Any] = columns[0] if overlap else zip(*columns, strict=True)
    table: dict[Any, int] = {}
    codes = [table.setdefault(c, len(table)) for c in combos]
    return codes, list(table)


# --- per searcher ---------------------------------------------------------------------------


class View:
    """A searcher with caches: term postings as dicts, and per-document arrays."""

    def __init__(self, searcher: Searcher) -> None:
        # The searcher keeps its view; a proxy here lets both go when the searcher does.
        self.searcher = weakref.proxy(searcher)
        self.schema = searcher.schema
        reader = searcher.reader()
        self.leaves: list[tuple[Any, int, _Segment]] = []
        if reader.segments():
            self.leaves = [(r, offset, _segment(r)) for r, offset in reader.leaf_readers()]
        self.count = searcher.doc_count_all()
        self.deleted: set[int] = set()
        for r, offset, _ in self.leaves:
            if r.has_deletions():
                self.deleted.update(offset + d for d in r.deleted_docs_set)
        # Least recently used first out, each bounded by the entries it holds (`_weight`).
        self._terms: LRUCache[tuple[str, Any, bool], dict[int, Any]] = LRUCache(
            maxsize=TERM_CACHE, getsizeof=_weight
        )
        self._scored: LRUCache[tuple[str, str], Any] = LRUCache(TERM_CACHE, getsizeof=_weight)
        self._ranked_once: set[tuple[str, str]] = set()
        self._sets: LRUCache[str, frozenset[int]] = LRUCache(TERM_CACHE, getsizeof=_weight)
        self._combos: dict[
            tuple[tuple[str, ...], bool], tuple[list[int], list[tuple[Any, ...]]]
        ] = {}
        self._lengths: dict[str, list[int]] = {}
        self._values: dict[str, list[Any]] = {}
        self._dates: dict[str, list[int]] = {}
        self._all: range = range(self.count)
        self._ids: dict[int, str] = {}
        self._lock = threading.RLock()
        self.bm25 = whoosh_inside.bm25_parameters(searcher.weighting)

    # postings
    def postings(self, field: str, text: Any) -> dict[int, float]:
        """{document: weight} of a term in the whole index (deleted documents included)."""
        return self._read(field, text, False)

    def positions(self, field: str, text: Any) -> dict[int, bytes]:
        """{document: encoded positions} of a term (for phrases)."""
        return self._read(field, text, True)

    def _read(self, field: str, text: Any, values: bool) -> dict[int, Any]:
        key = (field, text, values)
        with self._lock:
            cached = self._terms.get(key)
            if cached is not None:
                return cached
        out: dict[int, Any] = {}
        if field in self.schema:
            fieldobj = self.schema[field]
            btext = text if isinstance(text, bytes) else fieldobj.to_bytes(text)
            for r, offset, _ in self.leaves:
                if (field, btext) not in r:
                    continue
                ids, weights, encoded = whoosh_inside.postings(r, field, btext)
                if offset:
                    ids = [i + offset for i in ids]
                if values:
                    out.update(zip(ids, encoded, strict=True))
                else:
                    out.update(zip(ids, weights, strict=True))
        with self._lock:
            self._terms[key] = out
        return out

    def docs(self, query: Query) -> frozenset[int] | set[int] | Any:
        """The documents a query matches (deleted ones may be included)."""
        kind = type(query)
        if kind is Term:
            return self.postings(query.fieldname, query.text).keys()
        if kind is Or:
            # A word and its alternatives: the same words come back in many searches.
            key = repr(query)
            with self._lock:
                cached = self._sets.get(key)
            if cached is not None:
                return cached
            parts = [self.docs(q) for q in query.subqueries]
            found = frozenset().union(*parts) if parts else frozenset()
            self._remember(key, found)
            return found
        if kind is And:
            parts = sorted((self.docs(q) for q in query.subqueries), key=len)
            if not parts:
                return set()
            out = set(parts[0])
            for part in parts[1:]:
                out.intersection_update(part)
            return out
        if kind is AndNot:
            return set(self.docs(query.a)) - set(self.docs(query.b))
        if kind is Every and query.fieldname in (None, "", "*"):
            return self._all
        if kind is _NULL:
            return set()
        if kind is Phrase and query.slop == 1 and self._has_positions(query.fieldname):
            return self._phrase_docs(query)
        key = repr(query)
        with self._lock:
            known = self._sets.get(key)
        if known is not None:
            return known
        found = frozenset(self.searcher.docs_for_query(query))
        self._remember(key, found)
        return found

    def _remember(self, key: str, docs: frozenset[int]) -> None:
        with self._lock:
            self._sets[key] = docs

    # scoring
    def scores(self, query: Query, docs: Iterable[int]) -> dict[int, float]:
        """BM25F scores of the documents in `docs` that the query matches, as Whoosh's matchers
        would sum them. Unsupported for queries other than terms, phrases, Or, And, AndNot."""
        if self.bm25 is None:
            raise Unsupported("not BM25F")
        wanted = docs if isinstance(docs, set | frozenset) else set(docs)
        units = _summed_units(query)
        if units is None:
            return self._scores(query, wanted)
        order = list(wanted)
        total = self._summed(units, order)
        if total is None:
            return {}
        return {doc: score for doc, score in zip(order, total, strict=True) if score}

    def rank(self, query: Query, docs: set[int], count: int) -> list[tuple[int, float]]:
        """The `count` best of `docs` (all of which match the query) with their scores, best
        first, ties by document number (as Whoosh orders them)."""
        if self.bm25 is None:
            raise Unsupported("not BM25F")
        units = _summed_units(query)
        if units is None:
            return top(self._scores(query, docs), count)
        scored = [u for u in units if self.unit_scores(u)]
        if len(scored) == 1:
            # One word: `docs` are its documents less those filtered out or hidden.
            unit = scored[0]
            scores = self.unit_scores(unit)
            left_out = len(scores) - len(docs)
            if 0 <= left_out <= len(docs):
                out = []
                key = ("ranking", repr(unit))
                if key in self._scored or key in self._ranked_once:
                    # Asked again: walk its documents sorted once, best first.
                    for negated, doc in self.unit_ranking(unit):
                        if doc in docs:
                            out.append((doc, -negated))
                            if len(out) == count:
                                break
                    return out
                self._ranked_once.add(key)
                pairs = zip(map(neg, scores.values()), scores.keys(), strict=True)
                for negated, doc in heapq.nsmallest(count + left_out, pairs):
                    if doc in docs:
                        out.append((doc, -negated))
                        if len(out) == count:
                            break
                return out
        order = list(docs)
        total = self._summed(scored, order)
        if total is None:
            return []
        best = heapq.nsmallest(count, zip(map(neg, total), order, strict=True))
        return [(doc, -negated) for negated, doc in best]

    def _summed(self, units: list[Query], order: list[int]) -> list[float] | None:
        """Each document's sum of the units' scores, a column (in C) per unit.

        Every document here matches the whole query and the query sums its units' scores
        (no And under an Or), so that sum is its score."""
        total: list[float] | None = None
        for unit in units:
            scored = self.unit_scores(unit)
            if not scored:
                continue
            column = map(scored.get, order, repeat(0.0))
            total = list(column) if total is None else list(map(add, total, column))
        return total

    def unit_scores(self, unit: Query) -> dict[int, float]:
        """{document: score} over the whole index of a term, a phrase, or an Or of them (a
        word and its alternatives: the same words come back in many searches). Cached."""
        key = ("scores", repr(unit))
        with self._lock:
            cached = self._scored.get(key)
            if cached is not None:
                return cached
        if type(unit) is Or:
            parts = [self.unit_scores(sub) for sub in unit.subqueries]
            scored = dict(parts[0]) if parts else {}
            get = scored.get
            for part in parts[1:]:
                for doc, score in part.items():
                    scored[doc] = get(doc, 0.0) + score
        elif type(unit) is Term:
            posts = self.postings(unit.fieldname, unit.text)
            scored = self._term_scores(unit, posts.keys())
        else:
            scored = self._scores(unit, set(self.docs(unit)))
        self._keep(key, scored)
        return scored

    def unit_ranking(self, unit: Query) -> list[tuple[float, int]]:
        """(-score, document) of a unit's documents, best first. Cached."""
        key = ("ranking", repr(unit))
        with self._lock:
            cached = self._scored.get(key)
            if cached is not None:
                return cached
        scored = self.unit_scores(unit)
        ranking = sorted(zip(map(neg, scored.values()), scored.keys(), strict=True))
        self._keep(key, ranking)
        return ranking

    def _keep(self, key: tuple[str, str], value: Any) -> None:
        with self._lock:
            if key not in self._scored:  # another thread's, equal: keep the first
                self._scored[key] = value

    def _scores(self, query: Query, docs: set[int] | frozenset[int]) -> dict[int, float]:
        kind = type(query)
        if kind is Term:
            return self._term_scores(query, docs)
        if kind is Or:
            total: dict[int, float] = {}
            get = total.get
            for sub in query.subqueries:
                for doc, score in self._scores(sub, docs).items():
                    total[doc] = get(doc, 0.0) + score
            return total
        if kind is And:
            parts = [self._scores(sub, docs) for sub in query.subqueries]
            if not parts:
                return {}
            common = set(parts[0]).intersection(*parts[1:])
            return {doc: sum(part[doc] for part in parts) for doc in common}
        if kind is AndNot:
            return self._scores(query.a, docs - set(self.docs(query.b)))
        if kind is _NULL:
            return {}
        if kind is Phrase and query.slop == 1 and self._has_positions(query.fieldname):
            # Whoosh scores a phrase as the sum of its words' scores where it matches.
            matching = set(self._phrase_docs(query)) & docs
            total = {}
            get = total.get
            for word in query.words:
                for doc, score in self._term_scores(Term(query.fieldname, word), matching).items():
                    total[doc] = get(doc, 0.0) + score
            if query.boost != 1.0:
                total = {doc: score * query.boost for doc, score in total.items()}
            return total
        raise Unsupported(kind.__name__)

    def _term_scores(self, term: Term, docs: Iterable[int]) -> dict[int, float]:
        field, text = term.fieldname, term.text
        posts = self.postings(field, text)
        if not posts:
            return {}
        wanted = docs if isinstance(docs, set | frozenset | KeysView) else set(docs)
        common = posts.keys() & wanted if len(posts) < len(wanted) else wanted & posts.keys()
        searcher = self.searcher
        if not self.schema[field].scorable:  # whoosh's WeightScorer: the posting's weight
            return {doc: posts[doc] * term.boost for doc in common}
        b, k1 = self.bm25  # type: ignore[misc]
        idf = searcher.idf(field, text)
        avgfl = searcher.avg_field_length(field) or 1
        lengths = self.lengths(field)
        one_minus_b, k1_plus_1 = 1 - b, k1 + 1
        out = {
            doc: idf * ((w * k1_plus_1) / (w + k1 * (one_minus_b + b * lengths[doc] / avgfl)))
            for doc, w in ((doc, posts[doc]) for doc in common)
        }
        if term.boost != 1.0:
            out = {doc: s * term.boost for doc, s in out.items()}
        return out

    def _has_positions(self, field: str) -> bool:
        return field in self.schema and isinstance(self.schema[field].format, Positions)

    def _phrase_docs(self, phrase: Phrase) -> frozenset[int]:
        """Documents where the words come one after the other (Whoosh's Phrase, slop 1)."""
        key = repr(phrase)
        with self._lock:
            found = self._sets.get(key)
        if found is not None:
            return found
        field, words = phrase.fieldname, phrase.words
        lists = [self.positions(field, w) for w in words]
        if not lists or not all(lists):
            found = frozenset()
        elif len(lists) == 1:
            found = frozenset(lists[0])
        else:
            decode = self.schema[field].format.decode_positions
            candidates = set(lists[0]).intersection(*lists[1:])
            out = set()
            for doc in candidates:
                rest = [set(decode(found_in[doc])) for found_in in lists[1:]]
                for start in decode(lists[0][doc]):
                    if all(start + i in after for i, after in enumerate(rest, 1)):
                        out.add(doc)
                        break
            found = frozenset(out)
        self._remember(key, found)
        return found

    def leaves_of(self, query: Query, negated: bool = False) -> Iterator[tuple[Query, bool]]:
        """The leaf queries (terms, phrases...) and whether each is under a NOT."""
        if type(query) in (Or, And):
            for sub in query.subqueries:
                yield from self.leaves_of(sub, negated)
        elif type(query) is AndNot:
            yield from self.leaves_of(query.a, negated)
            yield from self.leaves_of(query.b, True)
        else:
            yield query, negated

    def contains(self, leaf: Query, doc: int) -> bool:
        """True when the leaf query matches the document."""
        if type(leaf) is Term:
            return doc in self.postings(leaf.fieldname, leaf.text)
        return doc in self.docs(leaf)

    # per-document arrays
    def _global(
        self, cache: dict[str, list[Any]], field: str, part: Callable[[Any, _Segment], list[Any]]
    ) -> list[Any]:
        with self._lock:
            found = cache.get(field)
            if found is None:
                found = []
                for r, _, segment in self.leaves:
                    with segment.lock:
                        found += part(r, segment)
                cache[field] = found
            return found

    def lengths(self, field: str) -> list[int]:
        """Each document's length of a field (for BM25F)."""

        def part(r: Any, segment: _Segment) -> list[int]:
            if field not in segment.lengths:
                segment.lengths[field] = whoosh_inside.field_lengths(r, field, segment.doccount)
            return segment.lengths[field]

        return self._global(self._lengths, field, part)

    def values(self, field: str, overlap: bool) -> list[Any]:
        """Each document's value of a field (tuples where `overlap`), for facet counts."""

        def part(r: Any, segment: _Segment) -> list[Any]:
            return self._segment_values(r, segment, field, overlap)

        return self._global(self._values, f"{field}:{overlap}", part)

    @staticmethod
    def _segment_values(r: Any, segment: _Segment, field: str, overlap: bool) -> list[Any]:
        key = f"{field}:{overlap}"
        if key not in segment.values:
            segment.values[key] = _read_values(r, field, segment.doccount, overlap)
        return segment.values[key]

    def dates(self, field: str) -> list[int]:
        """Each document's sort key in a sortable field."""

        def part(r: Any, segment: _Segment) -> list[int]:
            if segment.dates is None:
                segment.dates = whoosh_inside.column_numbers(r, field, segment.doccount)
            return segment.dates

        return self._global(self._dates, field, part)

    # results
    def facet_counts(
        self, singles: tuple[str, ...], overlapping: tuple[str, ...], docs: Iterable[int]
    ) -> dict[str, Counter[Any]]:
        """How many of the documents have each value of each field. `singles` hold one value
        a document; a document counts once for each of its values of an `overlapping` field.

        Each document has a small number standing for its combination of single values, and
        one for its tuple of each overlapping field's values: one pass in C counts those, and
        only the few distinct combinations are then added up."""
        order = docs if isinstance(docs, list) else list(docs)
        out: dict[str, Counter[Any]] = {name: Counter() for name in (*singles, *overlapping)}
        groups = [(group, False) for group in self._groups(singles)]
        groups += [((name,), True) for name in overlapping]
        for names, overlap in groups:
            codes, combos = self._coded(names, overlap)
            for code, count in Counter(map(codes.__getitem__, order)).items():
                if overlap:
                    counter = out[names[0]]
                    for value in combos[code]:
                        counter[value] += count
                else:
                    for name, value in zip(names, combos[code], strict=True):
                        out[name][value] += count
        return out

    def _groups(self, singles: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Single fields counted together while their combinations stay few (decided once per
        process, from the first index seen: it only affects speed)."""
        with _SEGMENTS_LOCK:
            found = _GROUPS.get(singles)
        if found is not None:
            return found
        sizes = {name: len(set(self.values(name, False))) for name in singles}
        groups: list[tuple[str, ...]] = []
        together: list[str] = []
        product = 1
        for name in sorted(singles, key=lambda n: (sizes[n], n)):
            if together and product * sizes[name] > 1024:
                groups.append(tuple(together))
                together, product = [], 1
            together.append(name)
            product *= sizes[name]
        if together:
            groups.append(tuple(together))
        with _SEGMENTS_LOCK:
            _GROUPS[singles] = groups
        return groups

    def _coded(
        self, names: tuple[str, ...], overlap: bool
    ) -> tuple[list[int], list[tuple[Any, ...]]]:
        """A number per document for its values of these fields, and what each number means.

        Numbered per segment (kept while the segment lives), then renumbered for the index."""
        key = (names, overlap)
        with self._lock:
            found = self._combos.get(key)
            if found is not None:
                return found
            codes: list[int] = []
            table: dict[tuple[Any, ...], int] = {}
            for r, _, segment in self.leaves:
                with segment.lock:
                    local = segment.coded.get(key)
                    if local is None:
                        local = segment.coded[key] = _code(
                            [self._segment_values(r, segment, name, overlap) for name in names],
                            overlap,
                        )
                local_codes, local_combos = local
                renumber = [table.setdefault(combo, len(table)) for combo in local_combos]
                codes += map(renumber.__getitem__, local_codes)
            found = self._combos[key] = (codes, list(table))
            return found

    def by_date(self, field: str, docs: Iterable[int], count: int, newest: bool) -> list[int]:
        """The first `count` documents by date, newest or oldest first, documents of the same
        date by record id (as PostgreSQL orders them; Whoosh's own sort would put them in index
        order, which a correction changes)."""
        dates = self.dates(field)
        pool = docs if isinstance(docs, list | set | frozenset) else list(docs)
        pick = heapq.nlargest if newest else heapq.nsmallest
        first = pick(count, pool, key=dates.__getitem__)
        if not first:
            return first
        # Ties are rare and small (a day of inspections): only their ids are read, and the ones
        # at the page's end are looked for among every match.
        edge = dates[first[-1]]
        seen = Counter(dates[doc] for doc in first)
        tied = {value for value, n in seen.items() if n > 1} | {edge}
        chosen = [doc for doc in first if dates[doc] != edge]
        chosen += [doc for doc in pool if dates[doc] == edge]
        ids = {doc: self.record_id(doc) for doc in chosen if dates[doc] in tied}
        sign = -1 if newest else 1
        chosen.sort(key=lambda doc: (sign * dates[doc], ids.get(doc, "")))
        return chosen[:count]

    def record_id(self, doc: int) -> str:
        """The record id a document stands for (remembered: a stored fields read is 60 µs)."""
        found = self._ids.get(doc)
        if found is None:
            found = str(self.searcher.stored_fields(doc).get("id", ""))
            with self._lock:
                if len(self._ids) >= TERM_CACHE // 10:
                    self._ids.clear()
                self._ids[doc] = found
        return found


def _summed_units(query: Query) -> list[Query] | None:
    """The parts whose scores a query sums wherever it matches: terms, phrases, and Ors of
    them (a word and its alternatives), once per occurrence, and an And under an Or as a unit
    of its own (it counts only where all of it matches: a word's positions beside its character
    pairs, search/query.py). None for other shapes."""
    out: list[Query] = []

    def leaf(q: Query) -> bool:
        return type(q) in (Term, Phrase) and q.boost == 1.0

    def walk(q: Query, under_or: bool) -> bool:
        kind = type(q)
        if kind is Or:
            if q.boost != 1.0 or q.scale is not None or getattr(q, "minmatch", 0):
                return False
            if all(leaf(sub) for sub in q.subqueries):
                out.append(q)
                return True
            return all(walk(sub, True) for sub in q.subqueries)
        if kind is And:
            if q.boost != 1.0:
                return False
            if under_or:  # scored where all of it matches (unit_scores), summed as a unit
                out.append(q)
                return True
            return all(walk(s, False) for s in q.subqueries)
        if kind is AndNot:
            return not under_or and walk(q.a, False)
        if leaf(q):
            out.append(q)
            return True
        return kind is _NULL

    return out if walk(query, False) else None


def top(scores: dict[int, float], count: int) -> list[tuple[int, float]]:
    """The `count` best documents and their scores, highest first, ties by document number."""
    best = heapq.nsmallest(count, zip(map(neg, scores.values()), scores.keys(), strict=True))
    return [(doc, -negated) for negated, doc in best]


_VIEWS_LOCK = threading.Lock()
# A searcher's view lives as long as the searcher (the view holds only a proxy of it).
_VIEWS: weakref.WeakKeyDictionary[Searcher, View] = weakref.WeakKeyDictionary()


def view_of(searcher: Searcher) -> View:
    """The view of a searcher, made once."""
    with _VIEWS_LOCK:
        view = _VIEWS.get(searcher)
        if view is None:
            view = _VIEWS[searcher] = View(searcher)
    return view
