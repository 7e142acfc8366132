"""Grounding: each name of a question linked to the names the database holds (as recorded, in
traditional characters, full-width, without its legal form or unit, by trade name, in pinyin,
by credit code, one edit away, as a homophone), and a phrase shaped like a name that links to
nothing reported as unknown. Invented names only, loaded into a fresh database."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from factories import basics, enterprise, incident, publish
from portal.assistant.gazetteer import Gazetteer, build, gazetteer_for
from portal.assistant.grounding import ground
from portal.assistant.question import analyse
from portal.assistant.text import normalise
from portal.db import get_engine
from portal.models.credit_code import make_credit_code

CODE = make_credit_code("91450800MA5L3K7Q2")


@pytest.fixture
def gazetteer(session: Session) -> Gazetteer:
    """Two invented enterprises (one named in Chinese only), a county, a park and a river."""
    basics(session)
    publish(
        session,
        enterprise(
            id="ENT-LY-CL",
            name_zh="岚屿市澄岭再生铅有限公司",
            name_en="Lanyu Chengling Secondary Lead Co., Ltd.",
            credit_code=CODE,
            permit_number="91450800MA5L3K7Q2X001P",
            city_zh="岚屿市",
            city_en="Lanyu",
            county_zh="沐溪县",
            county_en="Muxi County",
            park_zh="沐溪工业园区",
            park_en="Muxi Industrial Park",
        ),
    )
    publish(session, enterprise(id="ENT-LY-YX", name_zh="棠川县昀岫锌业有限公司", name_en=None))
    publish(session, incident(id="INC-LY-01", river_zh="澄溪河", river_en="Chengxi River"))
    return build(session)


def _linked(question: str, gaz: Gazetteer) -> list[tuple[str, str]]:
    found = ground(normalise(question), gaz)
    return [(e.kind, e.key) for link in found.links for e in link.entities]


@pytest.mark.parametrize(
    ("question", "kind", "key"),
    [
        ("岚屿市澄岭再生铅有限公司被罚了多少？", "enterprise", "ENT-LY-CL"),  # as recorded
        ("What was Lanyu Chengling Secondary Lead fined?", "enterprise", "ENT-LY-CL"),  # less Co.
        ("澄岭公司被罚了多少？", "enterprise", "ENT-LY-CL"),  # the trade name
        ("Was Chengling ever fined?", "enterprise", "ENT-LY-CL"),
        ("澄嶺再生鉛被罰了多少？", "enterprise", "ENT-LY-CL"),  # traditional characters
        ("Was Lanyu Chengleng Secondary Lead fined?", "enterprise", "ENT-LY-CL"),  # one edit
        ("程岭再生铅被罚了多少？", "enterprise", "ENT-LY-CL"),  # a homophone typed for 澄岭
        ("How was Yunxiu Zinc inspected?", "enterprise", "ENT-LY-YX"),  # pinyin, no English name
        (f"Whose credit code is {CODE}?", "enterprise", "ENT-LY-CL"),
        ("沐溪有几家企业？", "county", "沐溪县"),  # a county without its unit
        ("How many enterprises in Muxi County?", "county", "沐溪县"),
        ("沐溪工业园有哪些企业？", "park", "沐溪工业园区"),
        ("What happened on the Chengxi?", "river", "澄溪河"),
        ("澄溪发生了什么？", "river", "澄溪河"),
        (
            "Ｈｏｗ ｍａｎｙ ｉｎｃｉｄｅｎｔｓ ｏｎ ｔｈｅ Ｃｈｅｎｇｘｉ Ｒｉｖｅｒ？",
            "river",
            "澄溪河",
        ),
    ],
)
def test_names_are_linked_however_written(
    gazetteer: Gazetteer, question: str, kind: str, key: str
) -> None:
    assert (kind, key) in _linked(question, gazetteer)


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("What was the Qingshan Smelting Company fined?", "Qingshan Smelting Company"),
        ("某某冶炼厂被罚了多少钱？", "某某冶炼厂"),
        ("What happened on the X River?", "X River"),
        ("How many inspections in Zhangmu?", "Zhangmu"),
        ("青山冶炼公司有几次检查？", "青山冶炼公司"),
        ("舸洺锌业有限公司受过处罚吗？", "舸洺锌业有限公司"),  # 锌 inside the name is no pollutant
        ("岚屿舸洺锌业有限公司受过处罚吗？", "岚屿舸洺锌业有限公司"),  # a known city before it
    ],
)
def test_a_phrase_shaped_like_a_name_that_links_to_nothing_is_unknown(
    gazetteer: Gazetteer, question: str, unknown: str
) -> None:
    found = ground(normalise(question), gazetteer)
    assert [u.surface for u in found.unlinked] == [unknown]


@pytest.mark.parametrize(
    "question",
    [
        "哪家企业罚款最多？",
        "How many inspections found violations in 2023?",
        "广西有哪些再生铅企业？",
        "What did the Ministry say about the spill in China?",
        "这个水电站在哪条河上？",
    ],
)
def test_ordinary_words_are_not_names(gazetteer: Gazetteer, question: str) -> None:
    assert ground(normalise(question), gazetteer).unlinked == ()


def test_a_name_in_other_forms_reads_as_the_records_write_it(gazetteer: Gazetteer) -> None:
    question = analyse("How many inspections of Yunxiu Zinc?", gazetteer)
    assert question.lang == "en"  # the Chinese name put in does not make it a Chinese question
    assert "棠川县昀岫锌业有限公司" in question.text
    assert [(a.kind, a.value) for a in question.anchors] == [("enterprise", "ENT-LY-YX")]
    traditional = analyse("澄嶺再生鉛有多少次檢查？", gazetteer)
    assert traditional.text.startswith("澄岭再生铅") and traditional.kind == "inspections"


def test_the_gazetteer_follows_the_data_version(session: Session, database_url: str) -> None:
    engine = get_engine(database_url)
    basics(session)
    before = gazetteer_for(engine)
    assert gazetteer_for(engine) is before  # nothing written: the same names
    publish(session, enterprise(id="ENT-LY-NEW", name_zh="岚屿市霁川铜业有限公司"))
    after = gazetteer_for(engine)
    assert after is not before
    assert ("enterprise", "ENT-LY-NEW") in _linked("霁川铜业被检查过吗？", after)
