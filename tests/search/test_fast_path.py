"""The portal's fast path ranks the relevance set as Whoosh's own `Searcher.search` does.

search/evaluate.py (over search/whoosh_inside.py) reads posting lists whole and scores them
with Whoosh's BM25F formula and statistics, instead of Whoosh's matcher trees: a user must see
the hits Whoosh would give, in Whoosh's order. Every query of tests/search/relevance.jsonl, as
typed and relaxed to any word (what the portal asks when nothing matches all the words), is
ranked both ways on the same searcher: the index as `portal reindex` builds it, and the same
index after live writes (a correction and a new record: a second segment, a deleted document).

The one difference allowed (docs/search.md, "The fast path and Whoosh"): hits whose scores
are equal but for the last bits of a float (the two sum a document's scores in different
orders) may come in either order. Exact ties are ordered by document number by both.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from whoosh.query import Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from factories import incident, publish
from portal import records
from portal.db import get_engine
from portal.search import SearchService
from portal.search.analysis import load_user_words
from portal.search.evaluate import Unsupported, view_of
from portal.search.index import USER_WORDS, open_index
from portal.search.query import parse_search, run_search, text_query, tiers
from portal.search.schema import STATE_ID

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "relevance.jsonl").read_text("utf-8").splitlines()
]
QUERIES = [(c["q"], any_word) for c in CASES for any_word in (False, True)]
RELATIVE = 1e-9  # scores summed in another order differ in the last bits, never more


def _open(folder: Path) -> Searcher:
    load_user_words(folder / USER_WORDS)
    searcher = open_index(folder).searcher()
    assert type(searcher.weighting) is BM25F  # what the portal's searcher scores with
    return searcher


@pytest.fixture(scope="module")
def searchers(
    sample_index_template: Path, databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Searcher]]:
    """A searcher of the sample index as built, and one of the same index after live writes."""
    folder = tmp_path_factory.mktemp("fast-path")
    url = databases.fresh(databases.template("sample"), folder)
    built, live = folder / "built", folder / "live"
    shutil.copytree(sample_index_template, built)
    shutil.copytree(sample_index_template, live)
    with Session(get_engine(url)) as session:
        records.correct(
            session,
            "INC-2012-0001",
            {"title_zh": "广西河池龙江河镉污染事件"},
            reason="Title names the city",
            author_id="DEP-MEE",
        )
        session.commit()
        publish(session, incident(id="INC-2012-0900", publisher_id="DEP-MEE"))
    SearchService(live, url).sync()
    opened = {"built": _open(built), "live": _open(live)}
    reader = opened["live"].reader()
    assert len(list(reader.leaf_readers())) > 1 and reader.has_deletions()
    yield opened
    for searcher in opened.values():
        searcher.close()
    databases.drop(url)


def _runs(hits: list[tuple[int, float]]) -> list[set[int]]:
    """The hits in runs of equal score (to RELATIVE), best first."""
    runs: list[tuple[float, set[int]]] = []
    for doc, score in hits:
        if runs and math.isclose(runs[-1][0], score, rel_tol=RELATIVE):
            runs[-1][1].add(doc)
        else:
            runs.append((score, {doc}))
    return [docs for _, docs in runs]


def _fast(searcher: Searcher, query: Query) -> list[tuple[int, float]] | None:
    """Every hit and its score as the portal ranks them (None where it leaves it to Whoosh)."""
    view = view_of(searcher)
    docs = set(view.docs(query)) - view.deleted - set(view.docs(Term("id", STATE_ID)))
    try:
        return view.rank(query, docs, len(docs))
    except Unsupported:
        return None


@pytest.mark.parametrize("state", ["built", "live"])
@pytest.mark.parametrize(
    ("text", "any_word"), QUERIES, ids=[f"{q}{' (any word)' * a}" for q, a in QUERIES]
)
def test_the_fast_path_ranks_as_whoosh_does(
    searchers: dict[str, Searcher], state: str, text: str, any_word: bool
) -> None:
    searcher = searchers[state]
    query, _ = text_query(text, any_word=any_word)
    whoosh = [
        (hit.docnum, hit.score)
        for hit in searcher.search(query, limit=None, mask=Term("id", STATE_ID))
    ]
    fast = _fast(searcher, query)
    assert fast is not None, f"{text!r}: the fast path left it to Whoosh (then nothing to compare)"
    assert {doc for doc, _ in fast} == {doc for doc, _ in whoosh}
    assert all(
        math.isclose(mine, theirs, rel_tol=RELATIVE)
        for (_, mine), (_, theirs) in zip(fast, whoosh, strict=True)
    )
    if [doc for doc, _ in fast] != [doc for doc, _ in whoosh]:
        assert _runs(fast) == _runs(whoosh), f"{text!r}: an order other than a near-tie's"


@pytest.mark.parametrize("state", ["built", "live"])
@pytest.mark.parametrize("text", [c["q"] for c in CASES])
def test_a_page_of_hits_is_whooshs_first_page(
    searchers: dict[str, Searcher], state: str, text: str
) -> None:
    # The whole search as the API and the pages run it: the query it settles on (relaxed when
    # nothing matches every word), filtered, paged.
    # Hits come in tiers (how many of the words a hit holds, and holds as words: query.tiers),
    # each in Whoosh's order; Whoosh's own matches say which tier a hit is in.
    searcher = searchers[state]
    result = run_search(searcher, parse_search({"q": text, "limit": "50"}))
    query, _ = text_query(text, any_word=result.any_word)
    whoosh = list(searcher.search(query, limit=None, mask=Term("id", STATE_ID)))
    counted = [
        (set(searcher.docs_for_query(q)), w) for q, w in tiers(text, any_word=result.any_word)
    ]
    tier = {hit.docnum: sum(w for docs, w in counted if hit.docnum in docs) for hit in whoosh}
    whoosh.sort(key=lambda hit: -tier[hit.docnum])  # stable: Whoosh's order within a tier
    assert result.total == len(whoosh)
    assert [hit.id for hit in result.hits] == [hit["id"] for hit in whoosh[:50]]
    assert [hit.score for hit in result.hits] == [round(hit.score, 3) for hit in whoosh[:50]]
