"""A rebuilt index answers exactly as one written by whoosh's own writer; rebuilding uses several
processes; an index written by an older version is rebuilt on start."""

import shutil
from pathlib import Path

from flask import Flask
from sqlmodel import Session

from conftest import whoosh_only
from portal import create_app
from portal.db import get_engine
from portal.search import SearchService, build, parse_search, service_of
from portal.search import index as store
from portal.search.documents import documents_for
from portal.search.schema import STATE_ID

QUERIES = [
    {"q": "龙江 镉"},
    {"q": "cadmium Hechi"},
    {"q": "金河矿业"},
    {"q": '"Longjiang river"'},
    {"q": '"龙江 镉"'},
    {"q": "镉 -砷"},
    {"q": "Ministry of Ecology and Environment"},
    {"q": "铅", "kind": "incidents"},
    {"q": "lead", "sort": "newest"},
    {"q": "超标", "province": "45"},
    {"kind": "inspections"},
]


def answers(service: SearchService) -> list[tuple]:
    out = []
    for args in QUERIES:
        result = service.search(parse_search({**args, "limit": "50"}))
        hits = {h.id: (h.score, h.matched, h.snippet, h.title_zh, h.date) for h in result.hits}
        out.append((result.total, result.facets, sorted(h.score for h in result.hits), hits))
    return out


def test_a_rebuilt_index_answers_like_one_written_by_whoosh(
    sample_url: str, tmp_path: Path
) -> None:
    # Both now: jieba's dictionary is per process and other tests teach it words.
    sample_index = tmp_path / "rebuilt"
    SearchService(sample_index, sample_url).rebuild(procs=1)
    # The same documents through whoosh's own writer (as live indexing writes them).
    written = tmp_path / "written"
    ix = store.create_index(written)
    for name in (store.USER_WORDS, store.VERSION_FILE):
        shutil.copy(sample_index / name, written / name)
    with Session(get_engine(sample_url)) as session, ix.writer() as writer:
        for _, ids in build.record_batches(session):
            for doc in documents_for(session, ids)[0]:
                writer.add_document(**doc)
        revision = store.last_revision_in_db(get_engine(sample_url))
        writer.add_document(id=STATE_ID, kind="__state__", last_revision=revision)
    rebuilt = answers(SearchService(sample_index, sample_url))
    by_whoosh = answers(SearchService(written, sample_url))
    for args, (total, facets, scores, hits), (total2, facets2, scores2, hits2) in zip(
        QUERIES, rebuilt, by_whoosh, strict=True
    ):
        assert (total, facets, scores) == (total2, facets2, scores2), args
        # Records with equal scores may come in another order; each is shown the same.
        assert all(hits[i] == hits2[i] for i in hits.keys() & hits2.keys()), args


def test_reindex_with_two_processes(sample_portal, sample_app: Flask) -> None:
    rebuilt = sample_portal("reindex", "--procs", "2")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert sample_portal("check").exit_code == 0
    result = service_of(sample_app).search(parse_search({"q": "龙江 镉"}))
    assert "INC-2012-0001" in [h.id for h in result.hits[:3]]


@whoosh_only
def test_an_index_from_an_older_version_is_rebuilt_on_start(
    sample_url: str, sample_index: Path
) -> None:
    (sample_index / store.VERSION_FILE).write_text("1\n")
    old = SearchService(sample_index, sample_url)
    assert not old.available()
    app = create_app({"DATABASE_URL": sample_url, "INDEX_DIR": str(sample_index), "TESTING": True})
    service = service_of(app)
    assert service.wait_ready(120)
    assert service.available()
    result = service.search(parse_search({"q": "龙江 镉"}))
    assert "INC-2012-0001" in [h.id for h in result.hits]
