"""A small portal of invented places and enterprises (names in no sample file) for the tests of
grounding, counts and rankings: a city with two counties and a park, two rivers, three
enterprises (one with a Chinese name only), fines and incidents whose order is known."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from invented import World
from sqlmodel import Session

from conftest import Databases, _app
from factories import bureau, department, enterprise, incident, inspection, publish
from portal.db import get_engine
from portal.models.credit_code import make_credit_code
from portal.search import service_of

CHENGLING_CODE = make_credit_code("91450800MA5L3K7Q2")
PLACE = {"province": "45", "city_zh": "岚屿市", "city_en": "Lanyu"}


def _enterprises() -> list[dict[str, Any]]:
    chengling = enterprise(
        id="ENT-LY-CL",
        name_zh="岚屿市澄岭再生铅有限公司",
        name_en="Lanyu Chengling Secondary Lead Co., Ltd.",
        credit_code=CHENGLING_CODE,
        sector="secondary_lead",
        county_zh="沐溪县",
        county_en="Muxi County",
        park_zh="沐溪工业园区",
        park_en="Muxi Industrial Park",
        **PLACE,
    )
    juntai = enterprise(
        id="ENT-LY-JT",
        name_zh="岚屿市钧泰铜业有限公司",
        name_en="Lanyu Juntai Copper Co., Ltd.",
        sector="secondary_copper",
        county_zh="棠川县",
        county_en="Tangchuan County",
        **PLACE,
    )
    yunxiu = enterprise(  # Chinese only: asked about in pinyin
        id="ENT-LY-YX",
        name_zh="棠川县昀岫锌业有限公司",
        name_en=None,
        sector="secondary_zinc",
        county_zh="棠川县",
        county_en="Tangchuan County",
        **PLACE,
    )
    return [chengling, juntai, yunxiu]


def _inspections() -> list[dict[str, Any]]:
    def visit(rid: str, ent: str, day: str, fine: int | None, **kw: Any) -> dict[str, Any]:
        return inspection(ent, id=rid, inspected_on=day, penalty_yuan=fine, **kw)

    return [
        # Chengling: the largest total (300,000 + 200,000); Juntai: the largest single fine.
        visit("INS-LY-01", "ENT-LY-CL", "2022-03-08", 300000, findings_en="Lead in the outflow."),
        visit("INS-LY-02", "ENT-LY-CL", "2023-06-20", 200000, findings_zh="危废贮存不规范。"),
        visit("INS-LY-03", "ENT-LY-JT", "2023-09-02", 450000,
              findings_en="Copper slag in the open."),
        visit("INS-LY-04", "ENT-LY-YX", "2024-01-15", None, outcome="rectification_ordered",
              findings_zh="锌渣堆场防渗层破损，责令整改。"),
        visit("INS-LY-05", "ENT-LY-JT", "2021-05-11", None, outcome="compliant",
              findings_zh="未发现问题。", pollutants=[]),
    ]  # fmt: skip


def _incidents() -> list[dict[str, Any]]:
    def spill(rid: str, day: str, river: tuple[str, str], **kw: Any) -> dict[str, Any]:
        return incident(
            id=rid,
            began_at=f"{day}T08:00:00+08:00",
            river_zh=river[0],
            river_en=river[1],
            title_zh=f"{river[0]}镉超标",
            title_en=f"Cadmium in the {river[1]}",
            summary_zh=f"{day}，{river[0]}下游镉浓度超标。",
            **PLACE,
            **kw,
        )

    chengxi, tangjiang = ("澄溪河", "Chengxi River"), ("棠江", "Tangjiang")
    return [
        spill("INC-LY-01", "2019-04-02", chengxi, responsible=[{"enterprise_id": "ENT-LY-CL"}]),
        spill("INC-LY-02", "2023-08-17", chengxi, responsible=[{"enterprise_id": "ENT-LY-CL"}]),
        spill("INC-LY-03", "2021-10-09", tangjiang, responsible=[{"enterprise_id": "ENT-LY-JT"}]),
    ]


def build(databases: Databases, tmp: Path) -> Iterator[World]:
    """Publish the invented records into a fresh database and index them."""
    url = databases.fresh(databases.template("empty"), tmp)
    made = _enterprises() + _inspections() + _incidents()
    with Session(get_engine(url)) as session:
        publish(session, department())
        publish(session, bureau())
        for record in made:
            publish(session, record)
    app = _app(url, tmp / "index")
    app.config["ASK_RATE_LIMIT"] = "1000 per minute"  # a test asks more than a person would
    service_of(app).rebuild(procs=1)
    try:
        yield World(app, url, {r["id"]: r["id"] for r in made})
    finally:
        service_of(app).close()
        databases.drop(url)
