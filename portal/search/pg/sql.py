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
    *,
    negated: bool = False,
    any_word: bool = False,
) -> list[dict[str, Any]]:
    """One page of hits, by score (then id) or by date (then id): each row's id, kind, score,
    stored labels and texts, date, and `matched`, the kinds of field (title, names, text) that
    hold the query's words (`labels`: a tsquery for each, search/pg/tsquery.py: by_label).

    By relevance a hit's tier comes first when there are tiers (search/query.py: tiers). The
    score reads the row's own `rank_tsv` (titles, names, the first words of the texts), never
    the whole tsvector out of TOAST; the field checks read that whole tsvector, so the page is
    chosen first and only its rows are looked at again (by date, only they are scored at all).
    By score, when every word must match, the page is chosen in two steps (`_ranked_page`)."""
    level = tier(tiers) if tiers and not by_date else None
    if tsq is not None and not by_date and not any_word:
        ranked = _ranked_page(conn, tsq, filters, start, limit, negated, level)
        return _rows(conn, tsq, ranked, labels)
    ascending = by_date and sort == "oldest"
    if by_date or tsq is None:
        key: Any = doc.c.date if by_date else literal(0.0)
        order = [key.asc() if ascending else key.desc()]
    else:  # any word: the tiers say how many words a hit holds; every match is scored
        key = _score(tsq)
        order = [*([] if level is None else [level.desc()]), key.desc()]
    chosen = conn.execute(
        select(doc.c.record_id, key)
        .where(*_where(tsq, filters))
        .order_by(*order, doc.c.record_id)
        .offset(start)
        .limit(limit)
    )
    scored = not by_date and tsq is not None
    top: list[tuple[str, float | None]] = [
        (str(record_id), float(value) if scored else None) for record_id, value in chosen
    ]
    return _rows(conn, tsq, top, labels)


def _score(tsq: str) -> Any:
    weights = cast(bindparam("weights", RANK_WEIGHTS), ARRAY(REAL))
    return func.ts_rank_cd(weights, doc.c.rank_tsv, _tsquery(tsq)) * doc.c.boost


def _ranked_page(
    conn: Connection,
    tsq: str,
    filters: list[ColumnElement[bool]],
    start: int,
    limit: int,
    negated: bool,
    level: Any = None,
) -> list[tuple[str, float]]:
    """The ids and scores of a page by score (within tiers, `level`), then id, without scoring
    every match.

    A match scores above 0 exactly when its `rank_tsv` matches the query too: `ts_rank_cd`
    finds no cover in a vector the query does not match, and the weights and boosts are
    positive. So the matches whose ranking vector holds the query (found by its own GIN index:
    a common word of the texts, 废水 at 100,000 records, has 148 such rows of 30,180) come
    first, by score; after them every other match, at 0, by id, which needs no score at all.
    Without an exclusion a `rank_tsv` match is a match (it holds a subset of the words, at the
    same positions), so the first step does not read the whole tsvector either. With tiers
    (every word must match; only how many are held as words, not just as character pairs, can
    differ) the first step's rows are all in the top tier, since `rank_tsv` holds words and no
    pairs; the rest go by tier, then id.
    tests/search/test_postgres_ranking.py compares the pages with one `ORDER BY` over every
    match's score."""
    in_lead = doc.c.rank_tsv.op("@@", is_comparison=True)(_tsquery(tsq))
    first_where = [*(_where(tsq, filters) if negated else filters), in_lead]
    score = _score(tsq)
    first = [
        (str(record_id), float(value))
        for record_id, value in conn.execute(
            select(doc.c.record_id, score)
            .where(*first_where)
            .order_by(score.desc(), doc.c.record_id)
            .offset(start)
            .limit(limit)
        )
    ]
    if len(first) == limit:
        return first
    if first:
        skip = 0  # the page starts inside the first step's rows and goes on past them
    else:
        ranked = int(conn.execute(select(func.count()).where(*first_where)).scalar_one())
        skip = max(0, start - ranked)
    rest = conn.execute(
        select(doc.c.record_id)
        .where(*_where(tsq, filters), ~in_lead)
        .order_by(*([] if level is None else [level.desc()]), doc.c.record_id)
        .offset(skip)
        .limit(limit - len(first))
    )
    return first + [(str(record_id), 0.0) for record_id in rest.scalars()]


def _rows(
    conn: Connection,
    tsq: str | None,
    top: Sequence[tuple[str, float | None]],
    labels: Mapping[str, str],
) -> list[dict[str, Any]]:
    """The chosen rows, in the order given, with what a hit shows: by date, the score is
    computed for them alone (0 without words)."""
    if not top:
        return []
    names = sorted(labels)
    checks = [
        doc.c.tsv.op("@@")(cast(bindparam(f"q_{label}", labels[label]), TSQUERY)).label(label)
        for label in names
    ]
    score: Any = _score(tsq) if tsq is not None else literal(0.0)
    found = {
        row.record_id: row
        for row in conn.execute(
            select(
                doc.c.record_id,
                doc.c.kind,
                score.label("score"),
                doc.c.label_zh,
                doc.c.label_en,
                doc.c.text_zh,
                doc.c.text_en,
                doc.c.date,
                *checks,
            ).where(doc.c.record_id.in_([record_id for record_id, _ in top]))
        )
    }
    out = []
    for record_id, given in top:
        row = found.get(record_id)
        if row is None:
            continue  # gone between the two statements (a reindex batch's delete); not shown
        out.append(
            {
                "id": row.record_id,
                "kind": row.kind,
                "score": float(row.score if given is None else given),
                "label_zh": row.label_zh or "",
                "label_en": row.label_en or "",
                "text_zh": row.text_zh or "",
                "text_en": row.text_en or "",
                "date": row.date,
                "matched": [label for label in names if row._mapping[label]],
            }
        )
    return out
