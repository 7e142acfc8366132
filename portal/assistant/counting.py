"""Counting questions ("how many inspections in Guangxi found violations in 2023?") answered by
the database through the listings' own RecordQuery, never estimated from retrieved text."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlmodel import Session

from portal import records
from portal.assistant import messages
from portal.assistant.answer import Answer, Citation, CountResult
from portal.assistant.passages import ids_named, place_words, view
from portal.assistant.question import Question
from portal.assistant.retriever import listing_args, listing_queries
from portal.models import vocab
from portal.models.labels import label
from portal.records import RecordQuery
from portal.records.read import freshness

EXAMPLES = 3
# The anchors a listing can filter on, by kind of anchor and the filter it becomes.
FILTERABLE = {"province": "province", "pollutant": "pollutant", "years": "from"}


def countable(question: Question) -> bool:
    """True when the question asks how many, names a kind, and every name it anchors on is a
    listing filter of that kind (else the count would not be the one asked for)."""
    kind = question.kind
    if not (question.wants_count and kind):
        return False
    allowed = records.KINDS[kind].filters
    for anchor in question.anchors:
        if anchor.kind == "place":
            if not (anchor.city and "city" in allowed):
                return False
        elif FILTERABLE.get(anchor.kind) not in allowed:
            return False
    if question.outcomes and kind != "inspections":
        return False
    return not (question.status and kind != "incidents")


def describe(args: dict[str, str], outcomes: list[str], lang: str) -> list[str]:
    """The filters in words: 省份：广西 / province: Guangxi."""
    out = []
    if "province" in args:
        p = vocab.provinces()[args["province"]]
        out.append(f"省份：{p.short_zh}" if lang == "zh" else f"province: {p.name_en}")
    if "city" in args:
        out.append(f"城市：{args['city']}" if lang == "zh" else f"city: {args['city']}")
    if "pollutant" in args:
        p2 = vocab.pollutants()[args["pollutant"]]
        out.append(f"污染物：{p2.name_zh}" if lang == "zh" else f"pollutant: {p2.name_en}")
    if outcomes:
        joined = (" 或 " if lang == "zh" else " or ").join(label(o, lang) for o in outcomes)
        out.append(f"检查结论：{joined}" if lang == "zh" else f"outcome: {joined}")
    if "status" in args:
        value = label(args["status"], lang)
        out.append(f"状态：{value}" if lang == "zh" else f"status: {value}")
    lo, hi = args.get("from"), args.get("to")
    if lo and hi:
        out.append(f"日期：{lo} 至 {hi}" if lang == "zh" else f"dated {lo} to {hi}")
    elif lo:
        out.append(f"日期：{lo} 起" if lang == "zh" else f"dated from {lo}")
    elif hi:
        out.append(f"日期：{hi} 前" if lang == "zh" else f"dated up to {hi}")
    return out


def count(session: Session, question: Question, *, base: str, standalone: str) -> Answer:
    """Count the records the question describes, with the listing that reproduces the count."""
    kind = question.kind or ""
    lang = question.lang
    queries = listing_queries(question, kind, EXAMPLES)
    results: list[CountResult] = []
    total = 0
    newest = None
    for query in queries:
        matched, last, _ = freshness(session, query)
        total += matched
        if last is not None and (newest is None or last > newest):
            newest = last
        filters = query.filters()
        results.append(
            CountResult(
                kind=kind,
                total=matched,
                filters=filters,
                listing=f"{base}/{kind}?{urlencode({**filters, 'lang': lang})}",
                api=f"{base}/api/v1/{kind}?{urlencode(filters)}",
            )
        )
    outcomes = [q.outcome for q in queries if q.outcome]
    described = describe(listing_args(question, kind), outcomes, lang)
    parts = [messages.count_sentence(kind, total, described, lang)]
    parts += [messages.listing_sentence(r.listing, lang) for r in results]
    citations = _examples(session, queries, base, lang)
    if citations:
        listed = ("；" if lang == "zh" else "; ").join(f"{c.title} [{c.n}]" for c in citations)
        parts.append(f"{messages.examples_sentence(lang)}{'' if lang == 'zh' else ' '}{listed}")
    return Answer(
        question=question.text,
        standalone=standalone,
        answer=("" if lang == "zh" else " ").join(parts),
        citations=citations,
        grounded=True,
        mode="count",
        data_as_of=newest,
        lang="zh" if lang == "zh" else "en",
        counts=results,
    )


def _examples(session: Session, queries: list[RecordQuery], base: str, lang: str) -> list[Citation]:
    """The newest records counted, each cited by its opening sentence."""
    rows = []
    for query in queries:
        rows += records.list_records(session, query)[1]
    rows.sort(key=lambda r: r.updated_at, reverse=True)
    rows = rows[:EXAMPLES]
    named = {rid for r in rows for rid in ids_named(r)}
    names = records.names(session, sorted(named))
    enterprises = records.get_records(session, [i for i in named if i.startswith("ENT-")])
    places = {rid: place_words(e) for rid, e in enterprises.items()}
    out: list[Citation] = []
    for row in rows:
        record = view(row, names, places)
        first = next((s for s in record.sentences if s.lang == lang), None)
        first = first or (record.sentences[0] if record.sentences else None)
        if first is None:
            continue
        out.append(
            Citation(
                n=len(out) + 1,
                id=record.id,
                kind=record.kind,
                title=record.title(lang),
                url=f"{base}/api/v1/{record.kind}/{record.id}",
                html=f"{base}/{record.kind}/{record.id}",
                passage=first.words,
                date=record.day,
                publisher=record.publisher_id,
            )
        )
    return out
