"""The retriever: record passages for a question, found through the portal's own search index and
listings (never an index of its own), as LangChain Documents.

Candidates come from four places: records the question names by id; the records of each
enterprise, department or place it names (grounded in the database's gazetteer), through the
listings' filters; full-text search (for the names it anchors on, as written and as the other
language writes them, then for each content word, in both languages); and, when its words
amount to listing filters (检查 + 河池 + 不合格), the listing those filters select. Each candidate
is read through `portal.records`, kept only if it mentions every anchor, cut into sentences
(facts.py adds its fields as sentences), and returned as windows of consecutive sentences of
one field, best first (documents.py), so a long disclosure gives back the passage that answers
rather than its opening.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from sqlmodel import Session

from portal import records
from portal.assistant.documents import document, windows_of
from portal.assistant.gazetteer import gazetteer_for
from portal.assistant.glossary import bilingual, words_in
from portal.assistant.passages import (
    RecordView,
    ids_named,
    place_words,
    view,
)
from portal.assistant.question import Question, analyse, date_args
from portal.assistant.scoring import GENERAL, Scored, rarity, score, usable
from portal.assistant.text import CJK, found
from portal.assistant.timing import asks_now_or_later, asks_where, timeless
from portal.records import QueryError, RecordQuery, parse_query
from portal.search import SearchQuery, SearchTooSlow

MAX_WORD_SEARCHES = 6
FACTS_PER_RECORD = 2
NAMED_LIMIT = 4  # newest records of each kind of a thing the question names
FACT_WEIGHT = 0.9
OTHER_SEARCHES = 3  # content words also searched in the other language
TERM_LIMIT = 6


def search_filters(question: Question) -> dict[str, Any]:
    """The cheap search filters the anchors give: the province, or the city."""
    for anchor in question.anchors:
        if anchor.kind == "place" and anchor.city:
            return {"city": anchor.city}
    for anchor in question.anchors:
        if anchor.kind == "province":
            return {"province": anchor.value}
    return {}


def listing_args(question: Question, kind: str) -> dict[str, str]:
    """The listing filters the question's names and words amount to, for one kind."""
    allowed = records.KINDS[kind].filters
    args: dict[str, str] = {}
    for anchor in question.anchors:
        if anchor.kind == "province" and "province" in allowed:
            args.setdefault("province", anchor.value)
        elif anchor.kind == "pollutant" and "pollutant" in allowed:
            args.setdefault("pollutant", anchor.value)
        elif anchor.kind == "place" and anchor.city and "city" in allowed:
            args.setdefault("city", anchor.city)
        elif anchor.kind == "years" and "from" in allowed:
            args.update(date_args(anchor))
    if question.status and "status" in allowed and kind == "incidents":
        args["status"] = question.status
    return args


def listing_queries(question: Question, kind: str, limit: int) -> list[RecordQuery]:
    """One listing query per outcome the question asks about (or one without)."""
    args = listing_args(question, kind)
    outcomes: Iterable[str | None] = question.outcomes if kind == "inspections" else ()
    queries = []
    for outcome in list(outcomes) or [None]:
        wanted = {**args, **({"outcome": outcome} if outcome else {})}
        try:
            queries.append(parse_query(kind, wanted, default_limit=limit))
        except QueryError:
            continue
    return queries


def named(question: Question, views: list[RecordView]) -> list[RecordView]:
    """When the question names an enterprise or department as the records write it, only the
    records that mention that name (a name written some other way filters nothing)."""
    for term in question.terms:
        if term.is_name:
            having = [v for v in views if found(term, v.haystack())]
            if having:
                views = having
    return views


class RecordRetriever(BaseRetriever):
    """Passages of Clearwater's records that bear on a question."""

    search: Any  # portal.search.SearchService
    engine: Any  # the records database's engine
    k: int = 8  # passages returned
    per_record: int = 3
    search_limit: int = 8

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        question = bilingual(timeless(analyse(query, gazetteer_for(self.engine))))
        with Session(self.engine) as session:
            priors = self._candidates(session, question)
            views = self._views(session, priors)
        views = named(question, [v for v in views if usable(question, v)])
        rare = rarity(question, views)
        best: list[tuple[float, Document]] = []
        for record in views:
            windows = sorted(
                self._windows(question, record, priors[record.id], rare),
                key=lambda w: -w[0],
            )
            text = [w for w in windows if not w[1].metadata["fact"]]
            mine = [w for w in text if w[1].metadata["lang"] == question.lang]
            other = [w for w in text if w[1].metadata["lang"] != question.lang]
            if mine:  # the question's language first; one passage of the other in reserve
                best += mine[: self.per_record - 1] + other[:1]
            else:
                best += other[: self.per_record]
            # Facts beside the text, never instead of it, in the question's language (they
            # are stated in both), a little below a sentence that scores the same.
            facts = [w for w in windows if w[1].metadata["fact"]]
            facts = [w for w in facts if w[1].metadata["lang"] == question.lang]
            if asks_where(question.text):  # where it is, before its other facts
                facts.sort(key=lambda w: w[1].metadata["fact"] not in ("location", "park"))
            best += [(FACT_WEIGHT * score, doc) for score, doc in facts[:FACTS_PER_RECORD]]
        best.sort(key=lambda w: -w[0])
        chosen = [doc for _, doc in best[: self.k]]
        if asks_now_or_later(question.text):  # the latest evidence of each kind, whatever it says
            newest: dict[str, Document] = {}
            for _, doc in best:
                kind, day = doc.metadata["kind"], doc.metadata["day"] or ""
                if not doc.metadata["fact"] and day > (
                    newest[kind].metadata["day"] or "" if kind in newest else ""
                ):
                    newest[kind] = doc
            chosen += [doc for doc in newest.values() if doc not in chosen]
        return chosen

    # -- candidates ------------------------------------------------------------------------
    def _candidates(self, session: Session, question: Question) -> dict[str, float]:
        """Record ids and how strongly the searches point at each.

        One search for the names the question anchors on, then one per content word (cheap:
        a word alone, within the anchored province or city when there is one), so that a rare
        word such as "weighbridge" finds its record even when common names outrank it in a
        search for everything at once."""
        priors: dict[str, float] = {rid: 2.0 for rid in question.ids}

        def add(ids: Iterable[str], weight: float) -> None:
            for rank, rid in enumerate(ids):
                priors[rid] = min(2.0, priors.get(rid, 0.0) + weight / (1 + 0.5 * rank))

        def search(text: str, filters: dict[str, Any], limit: int) -> list[str]:
            try:
                result = self.search.search(
                    SearchQuery(text=text, filters=filters, limit=limit), lang=question.lang,
                    with_facets=False,
                )  # fmt: skip
            except SearchTooSlow:  # one search too costly to finish is no evidence, not a 500
                return []
            return [hit.id for hit in result.hits]

        anchored = question.keywords(anchors_only=True)
        if anchored:
            add(search(anchored, {}, self.search_limit), 0.5)
        other = "zh" if question.lang == "en" else "en"
        translated = _names_in(question, other)
        if translated:  # the same names as a record in the other language writes them
            add(search(translated, {}, self.search_limit), 0.5)
        place = search_filters(question)
        words = [t.text for t in question.terms if t.text.lower() not in GENERAL]
        words.sort(key=lambda w: -len(w))  # names and long words first: they are the rare ones
        for word in words[:MAX_WORD_SEARCHES]:
            add(search(word, place, TERM_LIMIT), 0.4)
        for term in [t for t in question.terms if t.text in words[:OTHER_SEARCHES]]:
            forms = words_in(term, other)
            if forms:  # the word as a record in the other language has it
                add(search(forms[0], place, TERM_LIMIT), 0.3)
        if not anchored and not words:
            add(search(question.keywords(), {}, self.search_limit), 0.5)
        for rid in self._of_named(session, question):  # the named things' own records
            priors[rid] = max(priors.get(rid, 0.0), 0.6)
        if question.kind and (listing_args(question, question.kind) or question.outcomes):
            for query in listing_queries(question, question.kind, self.search_limit):
                page = records.run(session, query, with_total=False)
                add((row.id for row in page.rows), 0.4)
        return priors

    def _of_named(self, session: Session, question: Question) -> list[str]:
        """The records of each enterprise, department or place the question names (grounded in
        the database), newest first, through the listings' own filters: found whatever words
        the question uses."""
        out: list[str] = []
        for anchor in question.anchors:
            if not anchor.entities:
                continue
            name = anchor.kind if anchor.kind in ("enterprise", "department") else anchor.field
            values = list(dict.fromkeys(e.filter_value for e in anchor.entities))[:3]
            out += [e.key for e in anchor.entities if anchor.kind in ("enterprise", "department")]
            for kind in [question.kind] if question.kind else list(records.PUBLIC_KINDS):
                if kind not in records.KINDS or name not in records.KINDS[kind].filters:
                    continue
                for value in values:
                    try:
                        query = parse_query(kind, {name: value}, default_limit=NAMED_LIMIT)
                    except QueryError:
                        continue
                    out += [row.id for row in records.run(session, query, with_total=False).rows]
        return list(dict.fromkeys(out))

    def _views(self, session: Session, priors: dict[str, float]) -> list[RecordView]:
        found = records.get_records(session, list(priors))
        live = [r for r in found.values() if r.withdrawn_at is None]
        named = {rid for r in live for rid in ids_named(r)}
        names = records.names(session, sorted(named))
        enterprises = records.get_records(session, [i for i in named if i.startswith("ENT-")])
        places = {rid: place_words(e) for rid, e in enterprises.items()}
        return [view(r, names, places) for r in live]

    # -- windows ---------------------------------------------------------------------------
    def _windows(
        self, question: Question, record: RecordView, prior: float, rare: dict[str, float]
    ) -> list[tuple[float, Document]]:
        by_field: dict[str, list[Scored]] = {}
        for sentence in record.sentences + record.facts:
            scored = score(question, record, sentence, prior, rare)
            by_field.setdefault(sentence.field, []).append(scored)
        out = []
        for scored_field in by_field.values():
            for window in windows_of(scored_field):
                top = max(s.score for s in window)
                out.append((top, document(record, window, prior, rare)))
        return out


def _names_in(question: Question, lang: str) -> str:
    """The question's names (places, enterprises, rivers) in one language, where the records or
    the vocabularies give them in it; empty when none differs from what the question wrote."""
    out = []
    for anchor in question.anchors:
        if anchor.kind in ("years", "id"):
            continue
        forms = [v for v in anchor.variants if bool(CJK.search(v)) == (lang == "zh")]
        if forms and anchor.surface not in forms:
            out.append(max(forms, key=len))
    return " ".join(dict.fromkeys(out))
