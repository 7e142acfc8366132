"""The offline composer: the sentences of the retrieved passages that best answer the question,
quoted as the records have them, each followed by the marker of its source.

No sentence is written, only chosen: the answer says nothing the records do not. It prefers the
question's language where a record has it, names each record before quoting it, quotes at most
three sentences (one per record for "which ..." questions, up to five records), and leaves out a
sentence that repeats one already chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_core.documents import Document

from portal import catalogue
from portal.assistant import lexicon, messages
from portal.assistant.documents import document_sentences
from portal.assistant.fitting import asked_about, has_figure, is_location
from portal.assistant.glossary import bilingual
from portal.assistant.passages import RecordView, fact_field
from portal.assistant.question import Question
from portal.assistant.scoring import MIN_COVERAGE, Scored, answers, relevance, score
from portal.assistant.text import CJK, stem
from portal.assistant.timing import as_of, asks_now_or_later, asks_where, timeless

MAX_SENTENCES = 3
MAX_LISTED = 5
KEEP = 0.6  # a sentence is quoted when it scores at least this share of the best one
RELATED = 0.8  # another record is quoted when it covers this share of what the best one does


@dataclass(frozen=True)
class Source:
    """A numbered source: a retrieved passage and the words of it that are cited."""

    document: Document
    passage: str


@dataclass(frozen=True)
class Draft:
    """A composed answer before the check: text with [n] markers, and the sources they count.
    `now_or_later`: the question asks about the present or the future, which the check says
    the records cannot tell, with the date of the latest evidence it kept."""

    text: str
    sources: list[Source]
    now_or_later: bool = False
    # Written by a model: each sentence's numbers and names must be in the sources it cites
    # (supported.py); `names` are the proper names of every record it was given.
    written: bool = False
    names: frozenset[str] = frozenset()


def _day(doc: Document) -> str:
    return str(doc.metadata.get("day") or doc.metadata.get("date") or "")


_STOP = lexicon.EN_STOP | lexicon.ZH_STOP


def _shingles(text: str) -> set[str]:
    """Character pairs of Chinese, stems of English: what two sentences can share."""
    if CJK.search(text):
        return {text[i : i + 2] for i in range(len(text) - 1) if CJK.search(text[i : i + 2])}
    return {stem(w) for w in re.findall(r"\w+", text.lower())}


def _repeats(candidate: Scored, chosen: list[Scored], question: Question) -> bool:
    """True when a sentence says nothing that the chosen ones and the question do not: its
    words are mostly theirs ("The emergency response to the Longjiang pollution ended" after
    "The emergency response ended on 23 February 2012")."""
    mine = _shingles(candidate.sentence.words) - _STOP
    if not mine:
        return True
    known = _shingles(question.text) | {
        w for a in question.anchors for v in a.variants for w in _shingles(v)
    }
    for other in chosen:
        known |= _shingles(other.sentence.words)
    return bool(chosen) and len(mine - known) / len(mine) < 0.25


def _candidates(question: Question, documents: list[Document]) -> list[Scored]:
    out = []
    for doc in documents:
        record, sentences = document_sentences(doc)
        prior = float(doc.metadata.get("prior", 0.0))
        rare = doc.metadata.get("rarity", {})
        out += [score(question, record, s, prior, rare) for s in sentences]
    return sorted(out, key=lambda s: -s.score)


def _worth(question: Question, s: Scored, best: Scored) -> bool:
    if s.score < KEEP * best.score or s.coverage < MIN_COVERAGE:
        return False
    if fact_field(s.sentence.field) and not asked_about(question, s):
        return False
    return s.direct > 0 or not question.terms or s.coverage >= 1.0


def latest(question: Question, documents: list[Document], best: str | None) -> list[Scored]:
    """For "is it safe now?", "is it still polluting?" about a named thing: the best sentence of
    the record with the latest evidence about it (of the kind asked about: inspections for
    "compliant", else the kind of the best answer, `best`), whatever its words (the records can
    only say how things stood; the check adds that they cannot tell now)."""
    named = [a for a in question.anchors if a.entities or a.kind in ("place", "id")]
    kind = question.kind or ("inspections" if question.outcomes else None) or best
    fitting = [d for d in documents if d.metadata["kind"] == kind] or documents
    if not named or not fitting:
        return []
    day = max(_day(doc) for doc in fitting)
    newest = [doc for doc in fitting if _day(doc) == day and not doc.metadata["fact"]]
    ranked = _candidates(question, newest or [d for d in fitting if _day(d) == day])
    mine = [s for s in ranked if s.sentence.lang == question.lang]
    return (mine or ranked)[:1]


def _languages(question: Question, ranked: list[Scored], best: Scored) -> dict[str, str]:
    """The language each record's text is quoted in: the question's when a sentence in it is
    worth quoting (and, for "how much", holds a figure), else the record's other language.
    (Facts are stated in the question's language whatever the record's text is written in.)"""
    chosen: dict[str, str] = {}
    fallback: dict[str, str] = {}
    for s in ranked:
        rid = s.record.id
        if fact_field(s.sentence.field) or not _worth(question, s, best):
            continue
        if s.sentence.lang != question.lang:
            chosen.setdefault(rid, s.sentence.lang)
        elif not question.figure or has_figure(question, s):
            chosen[rid] = question.lang
        else:
            fallback[rid] = question.lang  # no figure here: the other language may have it
    return {**fallback, **chosen}


def _relevance(question: Question, documents: list[Document]) -> dict[str, float]:
    """How much of the question each record's retrieved text and facts cover (rarer words
    weigh more): a second record is quoted only when it is about nearly as much."""
    texts: dict[str, list[str]] = {}
    rare: dict[str, float] = {}
    for doc in documents:
        meta = doc.metadata
        texts.setdefault(meta["id"], [meta["facets"]]).append(
            f"{meta.get('context', '')}\n{doc.page_content}"
        )
        rare = meta.get("rarity", rare)
    return {rid: relevance(question, "\n".join(parts), rare) for rid, parts in texts.items()}


def choose(question: Question, documents: list[Document]) -> list[Scored]:
    """The sentences to quote, best record first; empty when nothing answers the question."""
    ranked = _candidates(question, documents)
    # A fact is evidence only of what it states: one the question does not ask about (the
    # incident's place, for "how many kilometres") can neither answer nor set the bar.
    ranked = [s for s in ranked if not fact_field(s.sentence.field) or asked_about(question, s)]
    if not ranked or not answers(question, ranked[0]):
        return []
    best = ranked[0]
    lang_of = _languages(question, ranked, best)
    related = _relevance(question, documents)
    enough = RELATED * related.get(best.record.id, 1.0)
    chosen: list[Scored] = []
    listing = question.wants_list
    for s in ranked:
        if not _worth(question, s, best):
            continue
        rid = s.record.id
        wanted = question.lang if fact_field(s.sentence.field) else lang_of.get(rid)
        if wanted != s.sentence.lang or _repeats(s, chosen, question):
            continue
        if rid != best.record.id and related.get(rid, 0.0) < enough:
            continue  # another record, but about less of what was asked
        same_record = sum(1 for c in chosen if c.record.id == rid)
        if listing:  # one sentence a record (two for the best), up to five records
            if same_record >= (2 if rid == best.record.id else 1) or len(chosen) >= MAX_LISTED:
                continue
        elif len(chosen) >= MAX_SENTENCES or (rid != best.record.id and same_record):
            continue
        chosen.append(s)
    return chosen


def _quotes(group: list[Scored]) -> list[tuple[Scored, str]]:
    """Consecutive sentences of one passage quoted together, as the record has them."""
    runs: list[list[Scored]] = []
    for s in sorted(group, key=lambda s: (s.sentence.field, s.sentence.position)):
        last = runs[-1][-1].sentence if runs else None
        if (
            last is not None
            and last.field == s.sentence.field
            and last.text == s.sentence.text
            and s.sentence.position == last.position + 1
        ):
            runs[-1].append(s)
        else:
            runs.append([s])
    out = []
    for run in runs:
        first, final = run[0].sentence, run[-1].sentence
        out.append((run[0], first.text[first.span.start : final.span.end]))
    return out


def compose(question: Question, documents: list[Document]) -> Draft:
    """Quote the sentences that answer the question, each record's after the date of its
    evidence ("As of 2012-01-19, ..."); an empty draft when none does. For a question about
    now or the future, the records with the latest evidence come first."""
    question = bilingual(timeless(question))
    chosen = choose(question, documents)
    places = [s for s in _candidates(question, documents) if is_location(question, s)]
    if places and asks_where(question.text):  # "where is it?" is answered by where it is
        chosen = [s for s in places if s.record.id == places[0].record.id][:2]
    if asks_now_or_later(question.text):  # the latest evidence, then what else answers
        first = latest(question, documents, chosen[0].record.kind if chosen else None)
        chosen = first + [s for s in chosen if first and s.record.id != first[0].record.id]
        chosen = chosen[:MAX_SENTENCES]
    by_doc = {doc.metadata["id"]: doc for doc in documents}
    order: list[str] = []
    groups: dict[str, list[Scored]] = {}
    for s in chosen:
        if s.record.id not in groups:
            order.append(s.record.id)
        groups.setdefault(s.record.id, []).append(s)
    later = asks_now_or_later(question.text)
    quotes = {
        rid: [(s, w, _document_of(documents, s) or by_doc[rid]) for s, w in _quotes(groups[rid])]
        for rid in order
    }
    days = {rid: max(_day(doc) for _, _, doc in quotes[rid]) for rid in order}
    if later:
        order.sort(key=lambda rid: days[rid], reverse=True)
    lines: list[str] = []
    sources: list[Source] = []
    say = catalogue.words(question.lang)
    for rid in order:
        record = groups[rid][0].record
        quoted = []
        for s, words, doc in quotes[rid]:
            sources.append(Source(doc, words))
            label = s.record.labels.get(s.sentence.field, ("", ""))[0]
            said = (
                say.pgettext("a quote", "%(label)s: %(quote)s", label=label, quote=words)
                if label
                else words
            )
            quoted.append(say.pgettext("a quote", "%(quote)s [%(n)d]", quote=said, n=len(sources)))
        line = _line(record, groups[rid][0].sentence.lang, quoted, question.lang)
        lines.append(as_of(days[rid], question.lang) + line if days[rid] else line)
    return Draft("\n".join(lines), sources, now_or_later=later)


def _document_of(documents: list[Document], s: Scored) -> Document | None:
    for doc in documents:
        meta = doc.metadata
        same_field = meta["id"] == s.record.id and meta["field"] == s.sentence.field
        if same_field and s.sentence.text == doc.page_content:
            return doc
    return None


def _line(record: RecordView, lang: str, quoted: list[str], asked: str) -> str:
    title = record.title(asked)
    when = f"{record.day.isoformat()}" if record.kind == "incidents" and record.day else ""
    only = lang != asked and not record.has_language(asked)
    say = catalogue.words(asked)
    head = (
        say.pgettext("a record in an answer", "%(title)s (%(day)s)", title=title, day=when)
        if when
        else title
    )
    line = say.pgettext(
        "a record in an answer", "%(title)s: %(quotes)s", title=head, quotes=_joined(quoted, asked)
    )
    return messages.sentences(line, messages.only_in(lang, asked), asked) if only else line


def _joined(quoted: list[str], lang: str) -> str:
    """Quotes one after another; a quote that does not end a sentence (a responsible party's
    role) is set off from the next by a semicolon."""
    out = quoted[0] if quoted else ""
    for quote in quoted[1:]:
        ended = re.search(r"[。！？.!?][)）\"”']?\s*\[\d+\]$", out)
        out = (
            messages.sentences(out, quote, lang)
            if ended
            else out + messages.separator(lang) + quote
        )
    return out
