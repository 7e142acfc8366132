"""GIN or RUM for ranking: the top 20 of a common word by rank, on the same rows (issue 20).

    python bench/rum.py [--database postgresql+psycopg://postgres@127.0.0.1:5432/clearwater_bench_100000]
                        [--rounds 20] [--keep]

Needs the database bench/search.py made (its `search_document` filled) and Debian's
`postgresql-15-rum` on the server (`apt-get install -y postgresql-15-rum`); it runs
`CREATE EXTENSION rum` there. The live rows' `tsv` and `boost` are copied into two tables of the
portal's layout (small rows, the tsvector in TOAST), one with a GIN index and one with a RUM
index (`rum_tsvector_ops`), and the same tsqueries, made by the portal's own query code, are
timed on both:

- GIN, as the portal ranks: `WHERE tsv @@ q ORDER BY ts_rank_cd(weights, tsv, q) * boost DESC`;
  every match's tsvector is read and ranked before the first 20 are known;
- RUM: `WHERE tsv @@ q ORDER BY tsv <=> q`, the index returns rows in rank order; it cannot
  apply the portal's weights or per-record boost, so how many of the portal's top 20 it keeps is
  printed too;
- the count of matches on each (a search's total and facets read every match either way);
- the index's size and build time, and the time to rewrite 2,000 rows (what writes pay).

Client-side wall time per statement, p50/p99 over --rounds, after one unmeasured round.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["镉", "lead", "cadmium", "废水", "copper zinc", "砷 超标", '"heavy metals"', "slag"]
WEIGHTS = "{0.3333333,0.3333333,0.6666667,1}"  # portal/search/pg/sql.py: RANK_WEIGHTS
SQL = {
    "gin rank": "SELECT record_id FROM rum_bench_gin WHERE tsv @@ %(q)s::tsquery ORDER BY "
    "ts_rank_cd(%(w)s::real[], tsv, %(q)s::tsquery) * boost DESC, record_id LIMIT 20",
    "rum order": "SELECT record_id FROM rum_bench_rum WHERE tsv @@ %(q)s::tsquery "
    "ORDER BY tsv <=> %(q)s::tsquery LIMIT 20",
    "gin count": "SELECT count(*) FROM rum_bench_gin WHERE tsv @@ %(q)s::tsquery",
    "rum count": "SELECT count(*) FROM rum_bench_rum WHERE tsv @@ %(q)s::tsquery",
}


def tsquery(words: str) -> str:
    """The tsquery the portal sends for what a user typed."""
    sys.path.insert(0, str(ROOT))
    from portal.search.pg.tsquery import translate
    from portal.search.query import text_query

    tree, _ = text_query(words)
    return str(translate(tree))


def timed(conn: psycopg.Connection[Any], sql: str, params: dict[str, Any] | None = None) -> float:
    """Seconds one statement took, seen from the client."""
    started = time.perf_counter()
    cursor = conn.execute(sql, params)
    if cursor.description is not None:
        cursor.fetchall()
    return time.perf_counter() - started


def copy_tables(conn: psycopg.Connection[Any]) -> None:
    """The live rows twice, each with its own index; build time and size of each index."""
    conn.execute("CREATE EXTENSION IF NOT EXISTS rum")
    for name, method in (("gin", "gin (tsv)"), ("rum", "rum (tsv rum_tsvector_ops)")):
        table = f"rum_bench_{name}"
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(
            f"CREATE TABLE {table} (record_id text PRIMARY KEY, tsv tsvector NOT NULL, "
            "boost real NOT NULL) WITH (toast_tuple_target = 256)"
        )
        conn.execute(
            f"INSERT INTO {table} SELECT record_id, tsv, boost FROM search_document WHERE live"
        )
        seconds = timed(conn, f"CREATE INDEX {table}_tsv ON {table} USING {method}")
        conn.execute(f"VACUUM ANALYZE {table}")
        size = conn.execute(f"SELECT pg_relation_size('{table}_tsv')").fetchone()
        assert size is not None
        print(f"{name}: index built in {seconds:.1f} s, {size[0] / 2**20:,.0f} MiB")


def rewrite_cost(conn: psycopg.Connection[Any], rows: int = 2000) -> None:
    """Rewriting rows' tsvectors (as corrections do), rolled back: what each index costs writes."""
    for name in ("gin", "rum"):
        table = f"rum_bench_{name}"
        with conn.transaction(force_rollback=True):
            seconds = timed(
                conn,
                f"UPDATE {table} SET tsv = tsv || 'rumbenchword'::tsvector WHERE record_id IN "
                f"(SELECT record_id FROM {table} ORDER BY record_id LIMIT {rows})",
            )
        each = seconds / rows * 1000
        print(f"{name}: {rows:,} rows rewritten in {seconds:.2f} s ({each:.2f} ms each)")


def queries(conn: psycopg.Connection[Any], rounds: int) -> None:
    """p50/p99 of each statement for each word, and how far RUM's top 20 is the portal's."""
    conn.execute("SET enable_seqscan = off")  # as the portal's searches (search/pg/service.py)
    print(f"{'words':<16}{'matches':>9}" + "".join(f"{k + ' p50/p99':>22}" for k in SQL) + "  same")
    for words in WORDS:
        params = {"q": tsquery(words), "w": WEIGHTS}
        times: dict[str, list[float]] = {key: [] for key in SQL}
        for n in range(rounds + 1):
            for key, sql in SQL.items():
                seconds = timed(conn, sql, params)
                if n:
                    times[key].append(seconds * 1000)
        matches = conn.execute(SQL["gin count"], params).fetchone()
        ours = [r[0] for r in conn.execute(SQL["gin rank"], params).fetchall()]
        theirs = [r[0] for r in conn.execute(SQL["rum order"], params).fetchall()]
        assert matches is not None
        cells = "".join(
            f"{statistics.median(t):>11.1f}/{sorted(t)[min(len(t) - 1, int(0.99 * len(t)))]:<10.1f}"
            for t in times.values()
        )
        print(f"{words:<16}{matches[0]:>9,}{cells}  {len(set(ours) & set(theirs))}/20")


def main() -> None:
    """Copy, index, time, print; drop the copies unless --keep."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/clearwater_bench_100000",
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="leave the two tables there")
    args = parser.parse_args()
    url = args.database.replace("postgresql+psycopg://", "postgresql://")
    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
    with psycopg.connect(url, autocommit=True) as conn:
        copy_tables(conn)
        queries(conn, args.rounds)
        rewrite_cost(conn)
        if not args.keep:
            conn.execute("DROP TABLE rum_bench_gin, rum_bench_rum")
    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    main()
