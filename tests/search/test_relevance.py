"""The relevance set: each query (Chinese, English or mixed) puts its records in the top 3."""

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.search import SearchEngine, open_search, parse_search

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "relevance.jsonl").read_text("utf-8").splitlines()
]


def test_the_set_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert sum(1 for c in CASES if c["q"].isascii()) >= 10
    assert sum(1 for c in CASES if not c["q"].isascii()) >= 10


@pytest.fixture(scope="module")
def service(
    sample_index_template: Path, databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchEngine]:
    """One copy of the sample database and index for the whole set (the template stays idle),
    searched by the database's engine: Whoosh on SQLite, its own full text on PostgreSQL."""
    folder = tmp_path_factory.mktemp("relevance")
    url = databases.fresh(databases.template("sample"), folder)
    shutil.copytree(sample_index_template, folder / "index")
    yield open_search(folder / "index", url)
    databases.drop(url)


@pytest.mark.parametrize("case", CASES, ids=[c["q"] for c in CASES])
def test_expected_records_rank_in_the_top_three(service: SearchEngine, case: dict) -> None:
    result = service.search(parse_search({"q": case["q"]}))
    top = [hit.id for hit in result.hits[:3]]
    for expected in case["top3"]:
        assert expected in top, f"{case['q']!r}: {expected} not in {top}"
