"""Time honesty: an answer says the date of its evidence, and a question about now or the future
is answered with the latest dated evidence and a plain statement that records cannot tell the
present or the future."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from invented import World, build

from conftest import Databases
from portal.assistant.timing import asks_now_or_later


@pytest.fixture(scope="module")
def world(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The invented portal."""
    yield from build(databases, tmp_path_factory.mktemp("time"))


@pytest.mark.parametrize(
    "question",
    ["Is the river safe to drink now?", "Will the plant be fined next year?",
     "Is it still operating?", "这条河现在安全吗？", "明年会被罚款吗？", "目前还在生产吗？"],
)  # fmt: skip
def test_questions_about_now_or_later_are_recognised(question: str) -> None:
    assert asks_now_or_later(question)


@pytest.mark.parametrize(
    "question",
    ["What was the reading at the bridge in 2019?", "When was the plant fined?",
     "Which enterprise caused the spill?", "2019年桥下的读数是多少？", "该厂何时被罚款？",
     "Known issues: snow, nowhere, willow"],
)  # fmt: skip
def test_questions_about_the_past_are_not(question: str) -> None:
    assert not asks_now_or_later(question)


def test_an_answer_dates_its_evidence(world: World) -> None:
    body = world.ask("What was the cadmium reading at the Qifeng River bridge?")
    assert body["grounded"] is True
    assert "As of 2019-07-03, " in body["answer"] and "cannot tell" not in body["answer"]
    body = world.ask("栖凤河大桥的镉浓度是多少？")
    assert "截至2019-07-03，" in body["answer"] and "无法说明" not in body["answer"]


@pytest.mark.parametrize(
    ("question", "latest", "said"),
    [
        ("Is the water of the Qifeng River safe to drink now?", "2019-07-03",
         "cannot tell what is so now"),
        ("栖凤河的水现在能喝吗？", "2019-07-03", "无法说明现在的情况"),
        ("Will Yuanxi Secondary Lead be fined next year?", "2022-09-14",
         "cannot tell what is so now or what will happen"),
        ("沅溪再生铅业明年会被罚款吗？", "2022-09-14", "将来会发生什么"),
    ],
)  # fmt: skip
def test_now_or_later_is_answered_with_the_latest_evidence_and_says_so(
    world: World, question: str, latest: str, said: str
) -> None:
    body = world.ask(question)
    assert body["grounded"] is True, body["answer"]
    first_line = body["answer"].splitlines()[0]
    assert latest in first_line, body["answer"]
    assert said in body["answer"].splitlines()[-1]
    assert latest in body["answer"].splitlines()[-1]
