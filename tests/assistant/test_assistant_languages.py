"""Cross-language retrieval: an English question finds a record written only in Chinese, and a
Chinese question one written only in English, through the bilingual names the records hold and
the vocabularies (pollutants, provinces, sectors) the portal keeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from invented import World, build

from conftest import Databases


@pytest.fixture(scope="module")
def world(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The invented portal."""
    yield from build(databases, tmp_path_factory.mktemp("languages"))


@pytest.mark.parametrize(
    ("question", "record", "said"),
    [
        ("What happened on the Qifeng River?", "INC-QF-0001", "栖凤河"),
        ("Which villages stopped drawing water from the Qifeng River?", "INC-QF-0001",
         "暂停取用河水"),
        ("Which enterprise was held responsible for the cadmium pollution of the Qifeng River?",
         "INC-QF-0001", "栖凤铜材厂"),
        ("岚山铜箔每年生产多少铜箔？", "ENT-LS-FOIL", "12,000 tonnes"),
        # mixed scripts: a name in the other language inside the question
        ("What does 栖凤铜材厂 produce?", "ENT-QF-COPPER", "铜杆"),
        ("Lanshan Copper Foil每年生产多少铜箔？", "ENT-LS-FOIL", "12,000 tonnes"),
    ],
)  # fmt: skip
def test_a_record_in_the_other_language_is_found_and_quoted(
    world: World, question: str, record: str, said: str
) -> None:
    body = world.ask(question)
    assert body["grounded"] is True, body["answer"]
    assert record in {c["id"] for c in body["citations"]}, body["answer"]
    assert said in body["answer"], body["answer"]


def test_an_unknown_river_is_not_answered_with_another_one(world: World) -> None:
    body = world.ask("What happened on the Qingshui River?")
    assert "INC-QF-0001" not in {c["id"] for c in body["citations"]}
