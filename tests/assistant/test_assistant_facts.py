"""Facts that live in fields (credit code, permit, county, park, a reading's exceedance factor, a
penalty and its deadline, a disclosed figure) are answered and cited like sentences of text: the
citation names the field, and the check re-renders that field from the record."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from invented import CODE, PERMIT, World, build
from sqlmodel import Session

from conftest import Databases
from portal import records
from portal.assistant.answer import Answer
from portal.assistant.evaluation import citations_valid
from portal.db import get_engine


@pytest.fixture(scope="module")
def world(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The invented portal."""
    yield from build(databases, tmp_path_factory.mktemp("facts"))


CASES = [
    ("What is the unified social credit code of Yuanxi Secondary Lead?", CODE, "credit_code"),
    ("沅溪再生铅业的统一社会信用代码是什么？", CODE, "credit_code"),
    ("What is the discharge permit number of Yuanxi Secondary Lead?", PERMIT, "permit_number"),
    ("沅溪再生铅业的排污许可证编号是多少？", PERMIT, "permit_number"),
    ("Which county is Yuanxi Secondary Lead located in?", "Shimenkan County", "location"),
    ("沅溪再生铅业位于哪个县？", "石门坎县", "location"),
    ("Which industrial park is Yuanxi Secondary Lead in?", "Yuanxi Circular Economy Park", "park"),
    ("What was the cadmium reading at the Qifeng River bridge?", "2.7", "readings.0"),
    ("栖凤河大桥的镉浓度是限值的多少倍？", "2.7", "readings.0"),
    ("How much was Yuanxi Secondary Lead fined in 2022?", "385000", "penalty_yuan"),
    ("沅溪再生铅业2022年被罚款多少？", "385000", "penalty_yuan"),
    ("What was the deadline given to Yuanxi Secondary Lead after the 2022 inspection?",
     "2022-11-30", "deadline"),
    ("How much lead did Yuanxi Secondary Lead disclose at its main outlet No. 1?", "0.62",
     "figures.0"),
]  # fmt: skip


@pytest.mark.parametrize(("question", "fact", "field"), CASES)
def test_a_fact_in_a_field_is_answered_and_cited_by_field(
    world: World, question: str, fact: str, field: str
) -> None:
    body = world.ask(question)
    assert body["grounded"] is True, body["answer"]
    assert fact in body["answer"], body["answer"]
    cited = [c for c in body["citations"] if c["field"] == field and fact in c["passage"]]
    assert cited, body["citations"]
    with Session(get_engine(world.url)) as session:
        assert citations_valid(session, Answer.model_validate(body))


def test_a_fact_sentence_that_misstates_its_field_is_invalid(world: World) -> None:
    body = world.ask(CASES[0][0])
    with Session(get_engine(world.url)) as session:
        good = Answer.model_validate(body)
        assert citations_valid(session, good)
        cited = next(c for c in good.citations if c.field == "credit_code")
        wrong = cited.model_copy(update={"passage": cited.passage.replace(CODE, CODE[:-1] + "X")})
        assert not citations_valid(session, good.model_copy(update={"citations": [wrong]}))
        moved = cited.model_copy(update={"field": "permit_number"})
        assert not citations_valid(session, good.model_copy(update={"citations": [moved]}))
        record = records.get_record(session, "ENT-YX-LEAD")
        assert record is not None and cited.passage not in str(record.model_dump())
