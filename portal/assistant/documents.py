"""Retrieved passages as LangChain Documents, and back: consecutive sentences of one field in
windows, each a Document with what the record is (id, kind, title, dates, names) in its metadata,
and a Document read back into the record's facts and sentences for composing."""

from __future__ import annotations

from datetime import date, datetime

from langchain_core.documents import Document

from portal.assistant.passages import RecordView, Sentence, fact_field
from portal.assistant.scoring import Scored
from portal.assistant.text import Span, sentences

WINDOW_SENTENCES = 3
WINDOW_CHARS = 600


def windows_of(scored: list[Scored]) -> list[list[Scored]]:
    """Consecutive sentences of one field in windows of a few sentences; a sentence left out
    (an instruction in a record) ends a window, so no passage carries it."""
    windows: list[list[Scored]] = []
    current: list[Scored] = []
    for s in scored:
        size = s.sentence.span.end - (current[0].sentence.span.start if current else 0)
        gap = bool(current) and s.sentence.position != current[-1].sentence.position + 1
        if current and (gap or len(current) >= WINDOW_SENTENCES or size > WINDOW_CHARS):
            windows.append(current)
            current = []
        current.append(s)
    if current:
        windows.append(current)
    return windows


def document(
    record: RecordView, window: list[Scored], prior: float, rare: dict[str, float]
) -> Document:
    first, last = window[0].sentence, window[-1].sentence
    text = first.text[first.span.start : last.span.end]
    return Document(
        page_content=text,
        id=f"{record.id}#{first.field}:{first.span.start}",
        metadata={
            "id": record.id,
            "kind": record.kind,
            "title": record.title(first.lang),
            "title_zh": record.title_zh,
            "title_en": record.title_en,
            "url": f"/api/v1/{record.kind}/{record.id}",
            "html": f"/{record.kind}/{record.id}",
            "date": record.day.isoformat() if record.day else None,
            "publisher": record.publisher_id,
            "updated_at": record.updated_at.isoformat(),
            "field": first.field,
            "fact": fact_field(first.field),  # a field stated as a sentence (facts.py)
            "day": _iso(record.day_of(first.field)),
            "label": record.labels.get(first.field, ("", ""))[0],
            "context": record.context(first.field),
            "lang": first.lang,
            "start": first.span.start,
            "position": first.position,
            "facets": record.facets,
            "names": list(record.names),
            "languages": sorted({s.lang for s in record.sentences}),
            "score": round(max(s.score for s in window), 3),
            "prior": prior,
            "rarity": rare,
        },
    )


def document_sentences(doc: Document) -> tuple[RecordView, list[Sentence]]:
    """The record facts and the sentences of a retrieved passage (offsets in the passage)."""
    meta = doc.metadata
    day = date.fromisoformat(meta["date"]) if meta.get("date") else None
    record = RecordView(
        id=meta["id"],
        kind=meta["kind"],
        title_zh=meta["title_zh"],
        title_en=meta["title_en"],
        day=day,
        updated_at=datetime.fromisoformat(meta["updated_at"]),
        publisher_id=meta["publisher"],
        facets=meta["facets"],
        years=frozenset(),
        texts={meta["field"]: doc.page_content},
        languages=frozenset(meta.get("languages", [])),
        labels={meta["field"]: (meta.get("label", ""), meta.get("context", ""))}
        if meta.get("label") or meta.get("context")
        else {},
    )
    out = []
    # A fact is one sentence however it reads ("outlet No. 1 was ..." is not two).
    spans = [Span(0, len(doc.page_content))] if meta.get("fact") else sentences(doc.page_content)
    for i, span in enumerate(spans):
        out.append(
            Sentence(
                record.id,
                meta["field"],
                meta["lang"],
                doc.page_content,
                Span(span.start, span.end),
                meta["position"] + i,
            )
        )
    record.sentences = out
    return record, out


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
