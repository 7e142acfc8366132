"""Disclosure figures that are not pollutants (issue 21): an environmental-protection investment
in 万元, t CO2e of carbon emissions, m³ of wastewater, staff trained, MWh. Each has an item, a
value and a unit of data/units.csv; `portal import` and the API take them, and the page, the
downloads, the feeds and the published schemas show them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import feedparser
import pytest
from flask import Flask
from sqlmodel import Session

from conftest import Portal
from factories import basics, disclosure, publishing_token
from portal.db import get_engine
from portal.models.vocab import convert, unit_code, units

CARBON = [
    {"item_zh": "环保投资", "item_en": "Environmental protection investment", "value": 356.8,
     "unit": "万元"},
    {"item_zh": "碳排放量", "item_en": "Carbon emissions", "value": 12640, "unit": "tCO2e"},
    {"item_zh": "废水排放量", "item_en": "Wastewater discharged", "site_zh": "总排口",
     "value": 18500, "unit": "立方米"},
    {"item_zh": "环保培训人数", "item_en": "Staff trained in environmental protection",
     "value": 46, "unit": "人"},
    {"item_zh": "外购电力", "item_en": "Electricity bought", "value": 8250, "unit": "MWh"},
    {"item_zh": "铅排放浓度", "pollutant": "铅", "site_zh": "车间排放口", "value": 0.3,
     "unit": "mg/L", "standard": "GB 8978-1996"},
]  # fmt: skip


def _carbon(ent: str, record_id: str, **kw: Any) -> dict[str, Any]:
    return disclosure(
        ent,
        id=record_id,
        category="carbon_emission",
        title_zh="2023 年度碳排放与环保投入信息",
        title_en="2023 carbon emissions and environmental spending",
        figures=CARBON,
        **kw,
    )


def _check_figures(figures: list[dict[str, Any]]) -> None:
    """The figures as the API shows them: units as codes, values also in their base unit."""
    assert [(f["item_zh"], f["value"], f["unit"]) for f in figures] == [
        ("环保投资", 356.8, "万元"),
        ("碳排放量", 12640, "t CO2e"),
        ("废水排放量", 18500, "m³"),
        ("环保培训人数", 46, "persons"),
        ("外购电力", 8250, "MWh"),
        ("铅排放浓度", 0.3, "mg/L"),
    ]
    assert [(f["value_in_base"], f["base_unit"]) for f in figures] == [
        (3568000, "CNY"),
        (12640, "t CO2e"),
        (18500, "m³"),
        (46, "persons"),
        (8250, "MWh"),
        (0.3, "mg/L"),
    ]
    assert [f["pollutant"] for f in figures] == [None] * 5 + ["Pb"]
    assert [f["exceedance_factor"] for f in figures] == [None] * 5 + [0.3]  # 0.3 / 1.0 mg/L


def test_import_and_api_take_figures_that_are_not_pollutants(
    app: Flask, database_url: str, portal: Portal, tmp_path: Path
) -> None:
    with Session(get_engine(database_url)) as session:
        ent = basics(session)["enterprise"]
    path = tmp_path / "disclosures.ndjson"
    path.write_text(json.dumps(_carbon(ent, "DIS-T-CARBON1"), ensure_ascii=False) + "\n", "utf-8")
    result = portal("import", str(path), "--as", ent)
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output

    client = app.test_client()
    token = publishing_token(app, ent)
    headers = {"Authorization": f"Bearer {token}"}
    posted = client.post("/api/v1/disclosures", json=_carbon(ent, "DIS-T-CARBON2"), headers=headers)
    assert posted.status_code == 201, posted.get_data(as_text=True)

    for record_id in ("DIS-T-CARBON1", "DIS-T-CARBON2"):
        record = client.get(f"/api/v1/disclosures/{record_id}").get_json()
        _check_figures(record["figures"])
        assert record["pollutants"] == ["Pb"]  # only the figure that is a pollutant
    assert client.get("/api/v1/disclosures?pollutant=Pb").get_json()["total"] == 2

    zh = client.get("/disclosures/DIS-T-CARBON1").get_data(as_text=True)
    for shown in ("环保投资", "356.8 万元", "12,640 吨二氧化碳当量", "18,500 立方米", "46 人"):
        assert shown in zh, shown
    en = client.get("/disclosures/DIS-T-CARBON1?lang=en").get_data(as_text=True)
    for shown in (
        "Environmental protection investment",
        "356.8 万元",
        "12,640 t CO2e",
        "46 persons",
    ):
        assert shown in en, shown
    assert "not a pollutant: no limit applies" in en

    table = client.get("/api/v1/disclosures.csv").get_data(as_text=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(table))}
    _check_figures(json.loads(rows["DIS-T-CARBON2"]["figures"]))
    lines = client.get("/api/v1/disclosures.ndjson").get_data(as_text=True).splitlines()
    _check_figures(next(json.loads(x) for x in lines if "CARBON1" in x)["figures"])
    zh = [
        "环保投资 356.8 万元",
        "碳排放量 12,640 吨二氧化碳当量",
        "废水排放量（总排口） 18,500 立方米",
        "环保培训人数 46 人",
        "外购电力 8,250 兆瓦时",
        "铅排放浓度（车间排放口） 0.3 毫克/升",
    ]
    en = [
        "Environmental protection investment 356.8 万元",
        "Carbon emissions 12,640 t CO2e",
        "Wastewater discharged (总排口) 18,500 m³",
        "Staff trained in environmental protection 46 persons",
        "Electricity bought 8,250 MWh",
        "铅排放浓度 (车间排放口) 0.3 mg/L",
    ]
    for lang, said in (
        ("zh", "数据：" + "；".join(zh) + "。"),
        ("en", "Figures: " + "; ".join(en) + "."),
    ):
        feed = feedparser.parse(client.get(f"/feeds/disclosures.atom?lang={lang}").get_data())
        summaries = {e.id.rsplit(":", 1)[1]: e.summary for e in feed.entries}
        assert set(summaries) == {"DIS-T-CARBON1", "DIS-T-CARBON2"}
        assert said in summaries["DIS-T-CARBON1"], summaries["DIS-T-CARBON1"]


@pytest.mark.parametrize(
    ("figure", "said"),
    [
        ({"item_zh": "环保投资", "value": 1, "unit": "ppm"}, "unknown unit 'ppm'; use one of mg/L"),
        ({"value": 1, "unit": "t"}, "a figure says what it counts: give item_zh"),
        ({"item_en": "Spending", "value": 1, "unit": "CNY"}, "item_en translates item_zh"),
        ({"item_zh": "环保投资", "value": 1, "unit": 5}, "a unit is a code or name in text"),
    ],
)
def test_a_figure_without_a_known_unit_or_an_item_is_refused_with_a_sentence(
    app: Flask, database_url: str, figure: dict[str, Any], said: str
) -> None:
    with Session(get_engine(database_url)) as session:
        ent = basics(session)["enterprise"]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {publishing_token(app, ent)}"}
    body = _carbon(ent, "DIS-T-BAD") | {"figures": [figure]}
    response = client.post("/api/v1/disclosures", json=body, headers=headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert said in response.get_data(as_text=True)
    assert client.get("/api/v1/disclosures/DIS-T-BAD").status_code == 404


def test_units_convert_within_a_quantity_only() -> None:
    from decimal import Decimal

    assert convert(Decimal("356.8"), "万元", "CNY") == Decimal("3568000.0")
    assert convert(Decimal(1500), "千瓦时", "MWh") == Decimal("1.500")
    assert convert(Decimal(3), "ug/L", "mg/L") == Decimal("0.003")
    assert convert(Decimal(1), "MWh", "tce") is None  # no conversion between quantities
    assert convert(Decimal(1), "t", "m³") is None
    assert unit_code("Tonnes") == "t" and unit_code("μg/L") == unit_code("µg/L") == "µg/L"
    for code, unit in units().items():  # every base is a unit of its own quantity, factor 1
        base = units()[unit.base]
        assert (base.quantity, base.per_base, base.base) == (unit.quantity, 1, base.code), code


def test_the_documents_describe_items_and_units(app: Flask) -> None:
    client = app.test_client()
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    figure = next(v for k, v in schemas.items() if k.startswith("FigureIn"))
    assert {"item_zh", "item_en", "unit", "pollutant"} <= set(figure["properties"])
    assert set(figure["required"]) == {"value", "unit"}
    assert {"万元", "t CO2e", "m³", "MWh", "persons", "人"} <= set(
        figure["properties"]["unit"]["enum"]
    )
    public = next(v for k, v in schemas.items() if k.startswith("FigurePublic"))
    assert {"value_in_base", "base_unit", "item_zh"} <= set(public["properties"])
    docs = (Path(__file__).parents[2] / "docs" / "data-formats.md").read_text("utf-8")
    for code in units():
        assert f"| {code} |" in docs, code
    package = client.get("/api/v1/datapackage.json").get_json()
    disclosures = next(r for r in package["resources"] if r["name"] == "disclosures-csv")
    figures = next(f for f in disclosures["schema"]["fields"] if f["name"] == "figures")
    assert "item_zh" in figures["description"] and "data/units.csv" in figures["description"]
