"""What the character pairs and tiers (issue 21) cost PostgreSQL, on the same rows: each search's
two statements (count and facets, a page of 20) with them and without, interleaved in one session.

    python bench/search_pairs.py postgresql+psycopg://postgres@127.0.0.1:5432/clearwater_bench_10000

Run it on a database `bench/search.py --database` filled and reindexed. Prints the median of 5
of each, in ms, and the hits with and without the pairs.
"""

import statistics
import sys
import time
from unittest import mock

from sqlalchemy import func, select
from sqlmodel import Session

from portal.db import get_engine
from portal.search import query as Q
from portal.search.pg import sql
from portal.search.pg.tsquery import by_label, translate
from portal.search.pg.vocabulary import vocabulary_of

url = sys.argv[1]
QS = [
    "镉",
    "cadmium",
    "铅",
    "lead",
    "砷 超标",
    "copper zinc",
    "再生铜",
    "Hechi",
    "废水",
    "slag",
    "超标",
    "污染物排放",
    "排放口 废水",
]
engine = get_engine(url)


def run(conn: object, text: str, pairs: bool) -> tuple[float, float, int]:
    """The two statements' times in ms, and the hits."""
    if pairs:
        tree, _ = Q.text_query(text)
        counted = [(translate(q) or "", w) for q, w in Q.tiers(text)]
    else:
        with mock.patch.object(Q, "gram_query", lambda w: None):
            tree, _ = Q.text_query(text)
        counted = []
    tsq = translate(tree)
    filters = sql.conditions({}, lambda r: [r])
    t = time.perf_counter()
    total, _ = sql.count_and_facets(conn, tsq, filters, True)
    t1 = time.perf_counter()
    sql.page(conn, tsq, filters, False, "relevance", 0, 20, by_label(tree), counted)
    t2 = time.perf_counter()
    return (t1 - t) * 1000, (t2 - t1) * 1000, total


with Session(engine) as s:
    conn = s.connection()
    conn.execute(select(func.set_config("enable_seqscan", "off", True)))
    vocabulary_of(str(engine.url)).refresh(conn)
    print(f"{'query':12} {'count+facets ms':>22} {'page ms':>20}  hits")
    for text in QS:
        res: dict[bool, list[tuple[float, float, int]]] = {True: [], False: []}
        for _ in range(5):
            for pairs in (False, True):
                res[pairs].append(run(conn, text, pairs))

        count = [statistics.median(r[0] for r in res[p]) for p in (False, True)]
        page = [statistics.median(r[1] for r in res[p]) for p in (False, True)]
        hits = [res[p][0][2] for p in (False, True)]
        print(
            f"{text:12} {count[0]:8.1f} -> {count[1]:8.1f}   {page[0]:7.1f} -> {page[1]:7.1f}"
            f"   {hits[0]} -> {hits[1]}"
        )
