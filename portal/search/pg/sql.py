"""The SQL of a search on `search_document`: the filters as conditions, the count and facets in
one statement (`GROUP BY` over the matching rows), a page of hits, the fields each hit matched.

The tsquery text (search/pg/tsquery.py) is always a bound parameter cast to tsquery.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    bindparam,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, REAL, TSQUERY

from portal.search.pg.tables import search_document as doc
from portal.search.query import FACETS, OVERLAPPING

# ts_rank_cd's weights of D, C, B, A (English text, Chinese text, names, titles): as the Whoosh
# schema's field boosts (text 1, names 2, titles 3), scaled to PostgreSQL's range (at most 1).
# No length normalisation: on the relevance set it put every expected record in the top 3,
# where each of normalisations 1, 2, 4, 8 and 32 lost between none and three of them (and
# agreed less often with Whoosh's order).
RANK_WEIGHTS = [1 / 3, 1 / 3, 2 / 3, 1.0]
_EQUAL = ("kind", "province", "outcome", "status", "category")
_CONTAINS = ("enterprise", "pollutant", "sector")


def conditions(
    filters: Mapping[str, Any], subtree: Callable[[str], list[str]]
) -> list[ColumnElement[bool]]:
    """The listing filters as conditions on live rows (as search/query.py's filter_query)."""
    out: list[ColumnElement[bool]] = [doc.c.live]
    for name in _EQUAL:
        if name in filters:
            out.append(doc.c[name] == str(filters[name]))
    for name in _CONTAINS:
        if name in filters:
            out.append(doc.c[name].contains([str(filters[name])]))
    if "department" in filters:
        out.append(doc.c.department.overlap(subtree(filters["department"])))
    if "city" in filters:
        out.append(doc.c.city.contains([str(filters["city"]).casefold()]))
    if "sample" in filters:
        out.append(doc.c.sample.is_(bool(filters["sample"])))
    if "from" in filters:
        out.append(doc.c.day >= filters["from"])
    if "to" in filters:
        out.append(doc.c.day <= filters["to"])
    return out


def _tsquery(tsq: str) -> Any:
    return cast(bindparam("tsq", tsq), TSQUERY)


def _where(tsq: str | None, filters: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    if tsq is None:
        return filters
    return [*filters, doc.c.tsv.op("@@")(_tsquery(tsq))]


def count_and_facets(
    conn: Connection, tsq: str | None, filters: list[ColumnElement[bool]], with_facets: bool
) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """How many rows match, and (with_facets) the counts of each facet's values among them,
    most first, then by value; a record counts once under each value it has."""
    where = _where(tsq, filters)
    if not with_facets:
        return int(conn.execute(select(func.count()).where(*where)).scalar_one()), {}
    matching = select(*(doc.c[name] for name in FACETS)).where(*where).cte("matching")
    parts: list[Select[Any]] = []
    for name in FACETS:
        column: Any = matching.c[name]
        source: Any = matching
        if name in OVERLAPPING:
            source = select(func.unnest(column).label("value")).subquery()
            column = source.c.value
        parts.append(
            select(literal(name).label("facet"), column.label("value"), func.count())
            .select_from(source)
            .group_by(column)
        )
    counted: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    total = 0
    for facet, value, count in conn.execute(union_all(*parts)):
        if facet == "kind":
            total += int(count)
        if value:
            counted[facet].append((str(value), int(count)))
    return total, {
        name: sorted(values, key=lambda kv: (-kv[1], kv[0])) for name, values in counted.items()
    }


def tier(tiers: Sequence[tuple[str, int]]) -> Any:
    """A row's tier (search/query.py: tiers): the weights of the tsqueries its row matches.

    Each tsquery is asked of the GIN index once, as a subquery whose ids PostgreSQL hashes;
    a row is then looked up in each, rather than its whole tsvector read out of TOAST."""
    held = doc.alias("held")
    total: Any = literal(0)
    for number, (tsq, weight) in enumerate(tiers):
        query = cast(bindparam(f"tier_{number}", tsq), TSQUERY)
        matching = select(held.c.record_id).where(held.c.tsv.op("@@")(query))
        total = total + case((doc.c.record_id.in_(matching), weight), else_=0)
    return total


def page(
    conn: Connection,
    tsq: str | None,
    filters: list[ColumnElement[bool]],
    by_date: bool,
    sort: str,
    start: int,
    limit: int,
    labels: Mapping[str, str],
    tiers: Sequence[tuple[str, int]] = (),
) -> list[dict[str, Any]]:
    """One page of hits, by score (then id) or by date (then id): each row's id, kind, score,
    stored labels and texts, date, and `matched`, the kinds of field (title, names, text) that
    hold the query's words (`labels`: a tsquery for each, search/pg/tsquery.py: by_label).

    The score reads the row's own `rank_tsv` (titles, names, the first words of the texts),
    never the whole tsvector out of TOAST; the field checks read that whole tsvector, so the
    page is chosen first and only its rows are looked at again (by date, only they are scored
    at all)."""
    score: Any = literal(0.0)
    if tsq is not None:
        weights = cast(bindparam("weights", RANK_WEIGHTS), ARRAY(REAL))
        score = func.ts_rank_cd(weights, doc.c.rank_tsv, _tsquery(tsq)) * doc.c.boost
    key = doc.c.date if by_date else score
    ascending = by_date and sort == "oldest"
    # By relevance, a hit's tier first when there are tiers (search/query.py: tiers).
    level = tier(tiers) if tiers and not by_date else None
    ranked = [] if level is None else [level.desc()]
    top = (
        select(
            doc.c.record_id, key.label("key"), (level if level is not None else key).label("tier")
        )
        .where(*_where(tsq, filters))
        .order_by(*ranked, key.asc() if ascending else key.desc(), doc.c.record_id)
        .offset(start)
        .limit(limit)
        .subquery("top")
    )
    names = sorted(labels)
    checks = [
        doc.c.tsv.op("@@")(cast(bindparam(f"q_{label}", labels[label]), TSQUERY)).label(label)
        for label in names
    ]
    rows = conn.execute(
        select(
            doc.c.record_id,
            doc.c.kind,
            (score if by_date else top.c.key).label("score"),
            doc.c.label_zh,
            doc.c.label_en,
            doc.c.text_zh,
            doc.c.text_en,
            doc.c.date,
            *checks,
        )
        .join_from(top, doc, doc.c.record_id == top.c.record_id)
        .order_by(
            *([] if level is None else [top.c.tier.desc()]),
            top.c.key.asc() if ascending else top.c.key.desc(),
            doc.c.record_id,
        )
    )
    return [
        {
            "id": row.record_id,
            "kind": row.kind,
            "score": float(row.score),
            "label_zh": row.label_zh or "",
            "label_en": row.label_en or "",
            "text_zh": row.text_zh or "",
            "text_en": row.text_en or "",
            "date": row.date,
            "matched": [label for label in names if row._mapping[label]],
        }
        for row in rows
    ]
