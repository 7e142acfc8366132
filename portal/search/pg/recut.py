"""Rows analysed before a name in their text was taught, written again in the transaction that
teaches it (search/recut.py says why and how; decision 0017)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import Connection, cast, select
from sqlalchemy.dialects.postgresql import TSQUERY

from portal.search.pg import vectors
from portal.search.pg.tables import search_document
from portal.search.recut import Cut, Forms, mentioning

CHUNK = 200  # phrases in one tsquery
BATCH = 500  # records made into documents at a time


def phrase(cut: Cut) -> str | None:
    """A name's old cut as a tsquery phrase, each word at its distance from the one before (a
    stop word inside a name still counts a position); None when a word is not a lexeme."""
    parts: list[str] = []
    previous: int | None = None
    for position, word in cut:
        if not vectors.usable(word):
            return None
        lexeme = vectors.quote(word)
        parts.append(lexeme if previous is None else f"<{position - previous}> {lexeme}")
        previous = position
    return "(" + " ".join(parts) + ")"


def holding(conn: Connection, forms: Forms, written: Collection[str]) -> list[str]:
    """Live rows, other than those being written, whose words hold one of the old forms."""
    phrases = [p for cuts in forms.values() for p in map(phrase, cuts) if p]
    found: set[str] = set()
    for start in range(0, len(phrases), CHUNK):
        query = cast(" | ".join(phrases[start : start + CHUNK]), TSQUERY)
        found.update(
            conn.execute(
                select(search_document.c.record_id).where(
                    search_document.c.live, search_document.c.tsv.op("@@")(query)
                )
            ).scalars()
        )
    return sorted(found - set(written))


def recut(
    conn: Connection,
    forms: Forms,
    written: Collection[str],
    documents: Callable[[Sequence[str]], list[dict[str, Any]]],
    upsert: Callable[[list[dict[str, Any]]], None],
) -> int:
    """Analyse again, with the names now taught, the rows that hold a name as it was cut before;
    how many were rewritten. `documents` makes documents of record ids, `upsert` saves rows."""
    if not forms:
        return 0
    ids = holding(conn, forms, written)
    count = 0
    for start in range(0, len(ids), BATCH):
        docs = mentioning(documents(ids[start : start + BATCH]), forms)
        upsert([vectors.row(doc) for doc in docs])
        count += len(docs)
    return count
