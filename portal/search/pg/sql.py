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


def page(
    conn: Connection,
    tsq: str | None,
    filters: list[ColumnElement[bool]],
    by_date: bool,
    sort: str,
    start: int,
    limit: int,
) -> list[tuple[str, float]]:
    """One page of (record id, score): by score (then id), or by date (then id)."""
    if tsq is None:
        score: Any = literal(0.0)
    else:
        weights = cast(bindparam("weights", RANK_WEIGHTS), ARRAY(REAL))
        score = func.ts_rank_cd(weights, doc.c.tsv, _tsquery(tsq)) * doc.c.boost
    if not by_date:
        order = [score.desc(), doc.c.record_id]
    elif sort == "oldest":
        order = [doc.c.date.asc(), doc.c.record_id]
    else:
        order = [doc.c.date.desc(), doc.c.record_id]
    rows = conn.execute(
        select(doc.c.record_id, score.label("score"))
        .where(*_where(tsq, filters))
        .order_by(*order)
        .offset(start)
        .limit(limit)
    )
    return [(record_id, float(score_)) for record_id, score_ in rows]


def matched_fields(
    conn: Connection, queries: Mapping[str, str], ids: Sequence[str]
) -> dict[str, list[str]]:
    """For each record, which kinds of field (title, names, text) hold the query's words."""
    if not queries or not ids:
        return {}
    labels = sorted(queries)
    checks = [
        doc.c.tsv.op("@@")(cast(bindparam(f"q_{label}", queries[label]), TSQUERY)).label(label)
        for label in labels
    ]
    rows = conn.execute(select(doc.c.record_id, *checks).where(doc.c.record_id.in_(list(ids))))
    return {
        row[0]: [label for label, hit in zip(labels, row[1:], strict=True) if hit] for row in rows
    }
