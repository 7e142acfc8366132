"""Two classes of question read as a citizen means them (issue 18), on invented records whose
names are in no evaluation world: a request about a place the records name for something no
record holds (its weather, hotels, house prices) is refused as off topic, not answered with
whatever record names the place; and a Chinese question whose verb of the domain jieba cuts off
alone (罚 in 罚了多少钱, 超 in 超了几倍) is answered like the one with the full word, asked on its
own or as a follow-up."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from invented import World, build

from conftest import Databases


@pytest.fixture(scope="module")
def world(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The invented portal."""
    yield from build(databases, tmp_path_factory.mktemp("asides"))


@pytest.mark.parametrize(
    "question",
    [
        "Will it snow in Yuanxi next week?",
        "What's the weather forecast for the Qifeng River tomorrow?",
        "Recommend a hotel near Lanshan Copper Foil.",
        "What are house prices like in Shimenkan County?",
        "沅溪市这周末天气如何？",
        "栖凤河明天会下雨吗？",
        "沅溪循环经济产业园附近有什么好吃的餐厅？",
        "石门坎县的房价是多少？",
    ],
)
def test_a_subject_no_record_holds_is_off_topic_whatever_place_it_names(
    world: World, question: str
) -> None:
    body = world.ask(question)
    assert body["grounded"] is False, body["answer"]
    assert body["refusal"] == "off_topic", body["answer"]
    assert body["citations"] == []


@pytest.mark.parametrize(
    "question",
    [
        "Which enterprise caused the cadmium pollution of the Qifeng River after the rain?",
        "下雨后栖凤河的镉污染是怎么发生的？",
    ],
)
def test_weather_beside_a_subject_the_records_hold_is_still_answered(
    world: World, question: str
) -> None:
    body = world.ask(question)
    assert body["grounded"] is True, body["answer"]
    assert "INC-QF-0001" in {c["id"] for c in body["citations"]}, body["answer"]


def _states(answer: str, amount: int) -> bool:
    """True when the answer gives the amount (385000, 385,000 or 38.5万)."""
    plain = answer.replace(",", "")
    wan = f"{amount / 10000:g}万"
    return re.search(rf"(?<!\d){amount}(?!\d)", plain) is not None or wan in plain


@pytest.mark.parametrize(
    "question",
    ["沅溪再生铅业2022年被罚了多少钱？", "沅溪再生铅业2022年罚了多少？"],
)
def test_a_fine_asked_with_the_bare_verb_is_answered(world: World, question: str) -> None:
    body = world.ask(question)
    assert body["grounded"] is True, body["answer"]
    assert "INS-YX-0001" in {c["id"] for c in body["citations"]}, body["answer"]
    assert _states(body["answer"], 385000), body["answer"]


@pytest.mark.parametrize(
    ("asked", "said", "question"),
    [
        ("沅溪再生铅业2022年9月14日的检查发现了什么？", "雨水排口铅浓度超标。", "罚了多少钱？"),
        ("2022年对沅溪再生铅业的检查查出了什么问题？", "雨水排口铅浓度超标。", "被罚了多少？"),
        (
            "What did the 2022 inspection of Yuanxi Secondary Lead find?",
            "Lead above the limit at the rainwater outlet.",
            "How much were they fined?",
        ),
    ],
)
def test_a_follow_up_about_the_fine_reads_the_history_in_either_language(
    world: World, asked: str, said: str, question: str
) -> None:
    history = [{"role": "user", "content": asked}, {"role": "assistant", "content": said}]
    body = world.ask(question, history)
    assert body["grounded"] is True, body["answer"]
    assert "INS-YX-0001" in {c["id"] for c in body["citations"]}, body["answer"]
    assert _states(body["answer"], 385000), body["answer"]


def test_an_exceedance_asked_with_the_bare_verb_is_answered(world: World) -> None:
    body = world.ask("栖凤河的镉超了几倍？")  # 0.0135 mg/L against class III's 0.005: 2.7 times
    assert body["grounded"] is True, body["answer"]
    assert "INC-QF-0001" in {c["id"] for c in body["citations"]}, body["answer"]
    assert "2.7" in body["answer"], body["answer"]


@pytest.mark.parametrize(
    ("question", "cited", "said"),
    [
        ("沅溪再生铅业2022年9月14日的检查发现了什么？", "INS-YX-0001", "雨水排口"),
        ("2020年对沅溪再生铅业的检查查出了什么问题？", "INS-YX-0000", "防渗"),
        ("What did the 2022 inspection of Yuanxi Secondary Lead find?", "INS-YX-0001",
         "rainwater outlet"),  # English was answered already ("find" is no word to weigh)
    ],
)  # fmt: skip
def test_what_an_inspection_found_is_its_findings_in_either_language(
    world: World, question: str, cited: str, said: str
) -> None:
    """The findings answer "发现了什么" though their sentences never say 发现."""
    body = world.ask(question)
    assert body["grounded"] is True, body["answer"]
    assert cited in {c["id"] for c in body["citations"]}, body["answer"]
    assert said in body["answer"], body["answer"]
