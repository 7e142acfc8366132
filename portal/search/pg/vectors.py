"""A record's document (search/schema.py) as a row of `search_document`.

The words come from the portal's own analysis (search/analysis.py, the terms and positions
Whoosh indexes), written as a tsvector literal rather than run through `to_tsvector`:
PostgreSQL's parser would split again what jieba cut (mg/L, 0.0247) and number sub-words
(龙江 and 江河 inside 龙江河) one after the other, where ours share the position of their word so
that a phrase matches either. Each field keeps its own stretch of positions with a gap between,
so a phrase never runs from one field into the next, and its weight: A titles, B names, C Chinese
text, D English text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from portal.search.analysis import en_terms, gram_terms, zh_terms
from portal.search.pg.tables import ANALYSIS
from portal.search.query import GRAMS

# field -> (weight, analysis), in the order their positions are laid out.
FIELDS: dict[str, tuple[str, Callable[..., tuple[dict[str, list[int]], int]]]] = {
    "title_zh": ("A", zh_terms),
    "title_en": ("A", en_terms),
    "names": ("B", zh_terms),
    "text_zh": ("C", zh_terms),
    "text_en": ("D", en_terms),
}
# The character pairs of the Chinese fields (Whoosh's `grams` field, analysis.gram_terms) are
# lexemes of their own, marked so that no word of the analysis is one: `~龙江`. They count
# their own positions from the start (a phrase of pairs never meets a word), carry no weight
# mark (D, which no query of pairs asks for: a tsquery without weights needs no recheck), and
# stay out of the ranking vector: pairs find a record, words rank it.
GRAM_MARK = "~"
# PostgreSQL's limits: positions stop at 16,383, a lexeme keeps 256 of them, a lexeme is under
# 2 KiB and a whole tsvector under 1 MiB. Past them a record is still indexed, with less.
MAX_POSITION = 16_383
MAX_POSITIONS = 256
MAX_LEXEME_BYTES = 2046
MAX_VECTOR_BYTES = 1_000_000
# The ranking vector (`rank_tsv`, kept in the row: decision 0017) holds every position of the
# titles and names and the first LEAD words of each text: a record is ranked by what it leads
# with, and ranking a common word reads no TOAST.
LEAD = 16
RANKED_IN_FULL = frozenset({"A", "B"})


def quote(lexeme: str) -> str:
    """A lexeme as tsvector and tsquery literals write it: quoted, with quotes and backslashes
    doubled."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def usable(lexeme: str) -> bool:
    """True for a lexeme PostgreSQL accepts (not empty, not too long)."""
    return 0 < len(lexeme.encode("utf-8")) <= MAX_LEXEME_BYTES


def vector(doc: Mapping[str, Any], spelling: set[str] | None = None) -> str:
    """The tsvector literal of a document's text fields; English words of `text_en` are added
    to `spelling` (what "did you mean" chooses from, as Whoosh's spelling field)."""
    return vectors(doc, spelling)[0]


def vectors(doc: Mapping[str, Any], spelling: set[str] | None = None) -> tuple[str, str]:
    """The document's full tsvector literal (what matches) and its ranking one (the titles,
    the names and the first LEAD words of each text, at the same positions)."""
    positions: dict[str, list[str]] = {}
    ranked: dict[str, list[str]] = {}
    base = 1
    for field, (weight, analyse) in FIELDS.items():
        value = doc.get(field) or ""
        if not value:
            continue
        terms, _ = analyse(value, spelling) if field == "text_en" else analyse(value)
        last = 0
        for term, found in terms.items():
            if not usable(term):
                continue
            marks = positions.setdefault(term, [])
            for pos in found:
                last = max(last, pos)
                if len(marks) < MAX_POSITIONS:
                    mark = f"{min(base + pos, MAX_POSITION)}{weight}"
                    marks.append(mark)
                    if weight in RANKED_IN_FULL or pos < LEAD:
                        ranked.setdefault(term, []).append(mark)
        base += last + 2  # one position left empty: `<->` cannot join two fields
    _add_grams(positions, doc.get(GRAMS) or "")
    return _literal(positions), _literal(ranked)


def gram_lexeme(pair: str) -> str:
    """The lexeme of a pair of Chinese characters."""
    return GRAM_MARK + pair


def _add_grams(positions: dict[str, list[str]], value: str) -> None:
    """The character pairs of a document, at their own positions from 1 (without weight)."""
    if not value:
        return
    terms, _ = gram_terms(value)
    for pair, found in terms.items():
        positions[gram_lexeme(pair)] = [
            str(min(1 + pos, MAX_POSITION)) for pos in found[:MAX_POSITIONS]
        ]


def _literal(positions: Mapping[str, list[str]]) -> str:
    out: list[str] = []
    size = 0
    for term, marks in positions.items():
        piece = f"{quote(term)}:{','.join(marks)}"
        size += len(piece.encode("utf-8"))
        if size > MAX_VECTOR_BYTES:
            break
        out.append(piece)
    return " ".join(out)


def _values(doc: Mapping[str, Any], name: str) -> list[str]:
    """A comma-separated field as Whoosh's KEYWORD(commas=True) reads it."""
    return sorted({v.strip() for v in str(doc.get(name) or "").split(",") if v.strip()})


def row(doc: Mapping[str, Any], spelling: set[str] | None = None) -> dict[str, Any]:
    """The `search_document` row of a live record's document."""
    moment: datetime | None = doc.get("date")
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the document keeps naive UTC, as Whoosh does
    day = doc.get("day")
    tsv, rank_tsv = vectors(doc, spelling)
    return {
        "record_id": doc["id"],
        "kind": doc["kind"],
        "revision": doc["revision"],
        "live": True,
        "analysis": ANALYSIS,
        "tsv": tsv,
        "rank_tsv": rank_tsv,
        "boost": float(doc.get("_boost", 1.0)),
        "enterprise": _values(doc, "enterprise"),
        "department": _values(doc, "department"),
        "city": [c.casefold() for c in _values(doc, "city")],
        "pollutant": _values(doc, "pollutant"),
        "sector": _values(doc, "sector"),
        "province": doc.get("province"),
        "outcome": doc.get("outcome"),
        "status": doc.get("status"),
        "category": doc.get("category"),
        "sample": bool(doc.get("sample", False)),
        "date": moment,
        "day": date.fromordinal(day) if day else None,
        "year": doc.get("year"),
        "label_zh": doc.get("label_zh"),
        "label_en": doc.get("label_en"),
        "text_zh": doc.get("text_zh"),
        "text_en": doc.get("text_en"),
    }


def tombstone(record_id: str, kind: str, revision: int) -> dict[str, Any]:
    """The row of a withdrawn record: found by nothing, and newer than any earlier revision."""
    return {
        "record_id": record_id,
        "kind": kind,
        "revision": revision,
        "live": False,
        "analysis": ANALYSIS,
        "tsv": "",
        "rank_tsv": "",
        "boost": 1.0,
        "enterprise": [],
        "department": [],
        "city": [],
        "pollutant": [],
        "sector": [],
        "province": None,
        "outcome": None,
        "status": None,
        "category": None,
        "sample": False,
        "date": None,
        "day": None,
        "year": None,
        "label_zh": None,
        "label_en": None,
        "text_zh": None,
        "text_en": None,
    }
