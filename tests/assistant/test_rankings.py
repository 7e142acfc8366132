"""Superlatives and rankings answered by the database's order over the whole filtered set, never by
the best of what the search returned: the largest fine, the latest incident on a river, the
enterprises with the most violations; ties stated, and a condition no filter expresses refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from grounded import build
from invented import World
from sqlmodel import Session

from conftest import Databases
from factories import basics, enterprise, inspection, publish
from portal.records import parse_query, rankings


@pytest.fixture(scope="module")
def world(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The invented portal of grounded.py."""
    yield from build(databases, tmp_path_factory.mktemp("rankings"))


@pytest.mark.parametrize(
    ("question", "winner"),
    [
        ("Which enterprise in Lanyu was fined the most?", "Lanyu Juntai Copper"),
        ("Who got the largest fine in Lanyu?", "Lanyu Juntai Copper"),
        ("岚屿市哪家企业被罚款最多？", "岚屿市钧泰铜业"),
        ("岚屿罚款金额最高的是哪家企业？", "岚屿市钧泰铜业"),
    ],
)
def test_the_largest_fine_is_the_databases_not_the_searchs(
    world: World, question: str, winner: str
) -> None:
    body = world.ask(question)
    assert body["grounded"] is True and body["mode"] == "count", body["answer"]
    answer = body["answer"]
    assert winner in answer and "450,000" in answer
    # The winner comes first; the leader by total (two smaller fines) only after it.
    total_leader = "Chengling" if body["lang"] == "en" else "澄岭"
    assert answer.index(winner) < answer.index(total_leader)
    assert body["citations"][0]["id"] == "INS-LY-03"
    assert body["citations"][0]["field"] == "penalty_yuan"


@pytest.mark.parametrize(
    "question",
    [
        "Which enterprise in Lanyu has been fined the most in total?",
        "Whose fines add up to the most in Lanyu?",
        "岚屿市哪家企业累计被罚款最多？",
        "岚屿市罚款总额最高的企业是哪家？",
    ],
)
def test_fines_added_up_rank_by_their_total(world: World, question: str) -> None:
    body = world.ask(question)
    assert body["grounded"] is True, body["answer"]
    answer = body["answer"]
    first, largest = ("Chengling", "Juntai") if body["lang"] == "en" else ("澄岭", "钧泰")
    assert "500,000" in answer and answer.index(first) < answer.index(largest)


@pytest.mark.parametrize(
    "question",
    [
        "When was the latest pollution incident on the Chengxi River?",
        "What is the most recent incident on the Chengxi River?",
        "澄溪河最近一次污染事件是什么时候？",
        "澄溪河最新的一起污染事件发生在哪天？",
    ],
)
def test_the_latest_incident_on_a_river(world: World, question: str) -> None:
    body = world.ask(question)
    assert body["grounded"] is True, body["answer"]
    assert "2023-08-17" in body["answer"] and "2019-04-02" not in body["answer"]
    assert [c["id"] for c in body["citations"]] == ["INC-LY-02"]
    assert "river=Chengxi+River" in body["answer"] and "sort=newest" in body["answer"]


def test_the_first_incident_on_a_river(world: World) -> None:
    body = world.ask("When was the earliest incident on the Chengxi River?")
    assert "2019-04-02" in body["answer"] and body["citations"][0]["id"] == "INC-LY-01"


def test_the_enterprises_with_the_most_violations(world: World) -> None:
    body = world.ask("Which are the top 2 enterprises by violations?")
    assert body["grounded"] is True, body["answer"]
    answer = body["answer"]
    assert answer.index("Chengling") < answer.index("Juntai")
    assert "2 inspections" in answer and "1 inspection" in answer
    zh = world.ask("哪家企业违法次数最多？")
    assert "岚屿市澄岭再生铅有限公司：2" in zh["answer"] and "钧泰" not in zh["answer"]


def test_a_ranking_with_a_condition_no_filter_expresses_is_refused(world: World) -> None:
    body = world.ask("Which enterprise on the Chengxi River was fined the most?")
    assert body["grounded"] is False and body["refusal"] == "cannot_filter"
    assert "Chengxi River" in body["answer"] and "450,000" not in body["answer"]


def test_ties_are_stated_not_broken(session: Session) -> None:
    basics(session)
    for ent in ("ENT-TIE-A", "ENT-TIE-B", "ENT-TIE-C"):
        publish(session, enterprise(id=ent))
    for n, (ent, fine) in enumerate(
        (("ENT-TIE-A", 80000), ("ENT-TIE-B", 80000), ("ENT-TIE-C", 50000), ("ENT-TIE-C", 40000))
    ):
        publish(session, inspection(ent, id=f"INS-TIE-{n}", penalty_yuan=fine))
    query = parse_query("inspections", {})
    largest = rankings.fined(session, query, 5)
    assert [(f.enterprise_id, f.largest) for f in largest[:2]] == [
        ("ENT-TIE-A", 80000),
        ("ENT-TIE-B", 80000),
    ]
    assert rankings.fined(session, query, 1, by="total")[0].enterprise_id == "ENT-TIE-C"
    assert [(c.enterprise_id, c.records) for c in rankings.by_enterprise(session, query, 1)] == [
        ("ENT-TIE-C", 2)
    ]
