"""A month or a day named with its year is a condition (issue 18): the passage quoted is of the
record of that month or day, never of another record of the same enterprise or river, and a count
filters by it. Also words that only look like names or ids: a hyphenated English word
("run-of-mine ore") is no record id, and a unit before a head word (多少吨原矿) is no name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from invented import World, build

from conftest import Databases
from portal.assistant.dates import find_span


@pytest.fixture(scope="module")
def world(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The invented portal: Yuanxi Secondary Lead was inspected on 2020-04-08 (fined 52,000)
    and on 2022-09-14 (fined 385,000)."""
    yield from build(databases, tmp_path_factory.mktemp("dates"))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2019年6月的事件", date(2019, 6, 1), date(2019, 6, 30)),
        ("2024年2月3号的检查", date(2024, 2, 3), date(2024, 2, 3)),
        ("on 2 January 2024", date(2024, 1, 2), date(2024, 1, 2)),
        ("in March of 2021", date(2021, 3, 1), date(2021, 3, 31)),
        ("on February 29, 2024", date(2024, 2, 29), date(2024, 2, 29)),
        ("inspected 2023-11-05", date(2023, 11, 5), date(2023, 11, 5)),
    ],
)
def test_a_month_or_a_day_with_its_year_is_read_as_its_days(
    text: str, first: date, last: date
) -> None:
    found = find_span(text)
    assert found is not None and found[0] == (first, last)


@pytest.mark.parametrize(
    "text", ["2019-2021", "between 2019 and 2021", "June 2019 and July 2019", "2023年", "13月"]
)
def test_no_month_or_several_is_no_span(text: str) -> None:
    assert find_span(text) is None


def _fines(answer: str) -> set[str]:
    return set(re.findall(r"(?<![\d-])(385,?000|52,?000|38\.5万|5\.2万)(?![\d-])", answer))


@pytest.mark.parametrize(
    ("question", "cited", "other", "said"),
    [
        ("How much was Yuanxi Secondary Lead fined in September 2022?", "INS-YX-0001",
         "INS-YX-0000", "385"),
        ("What did the inspection of Yuanxi Secondary Lead on 8 April 2020 find?",
         "INS-YX-0000", "INS-YX-0001", "seepage"),
        ("沅溪再生铅业2020年4月被罚款多少？", "INS-YX-0000", "INS-YX-0001", "52"),
        ("沅溪再生铅业2022年9月14日的检查中哪个排口超标？", "INS-YX-0001", "INS-YX-0000",
         "雨水排口"),
    ],
)  # fmt: skip
def test_a_month_or_a_day_picks_that_record(
    world: World, question: str, cited: str, other: str, said: str
) -> None:
    body = world.ask(question)
    ids = {c["id"] for c in body["citations"]}
    assert body["grounded"] is True, body["answer"]
    assert cited in ids and other not in ids, body["answer"]
    assert said in body["answer"], body["answer"]


@pytest.mark.parametrize(
    ("question", "total"),
    [
        ("How many inspections of Yuanxi Secondary Lead were there in April 2020?", 1),
        ("沅溪再生铅业2022年10月被检查了几次？", 0),
    ],
)
def test_a_count_filters_by_the_month(world: World, question: str, total: int) -> None:
    body = world.ask(question)
    assert body["mode"] == "count", body["answer"]
    (count,) = body["counts"]
    assert count["total"] == total, body["answer"]
    assert count["filters"].get("from", "")[:7] == count["filters"].get("to", "")[:7]
    assert count["filters"]["from"].endswith("-01"), count["filters"]


def test_a_hyphenated_word_is_no_record_id(world: World) -> None:
    body = world.ask("How many tonnes of end-of-life batteries does Yuanxi Secondary Lead recycle?")
    assert body["refusal"] != "unknown_name", body["answer"]
    assert "64,000" in body["answer"], body["answer"]


def test_a_unit_before_a_head_word_is_no_name(world: World) -> None:
    body = world.ask("沅溪再生铅业2022年处理了多少吨原矿？")  # 原矿 (ore) ends in 矿 (a mine)
    assert body["refusal"] != "unknown_name", body["answer"]
