"""Enterprises: invented, storybook-named, spread over the provinces where the industry sits.

Each row also fills the run's enterprise table (run.Enterprises), which the later kinds read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bench.generator.run import ENGLISH_SHARE, TZ, Run
from bench.generator.tables import (
    DISCLOSURE_BY_CATEGORY,
    FORMS,
    PROVINCES,
    ROOTS,
    SECTORS,
    TOWNS,
    Pair,
)
from bench.generator.text import Sentence, compose, top
from portal.models.credit_code import make_credit_code


@dataclass(frozen=True, slots=True)
class Text:
    """Sentences that follow an enterprise's founding line in its description."""

    about: list[Sentence]
    top: int


def fill(run: Run) -> Text:
    """The description pool (a few of the disclosures' basic and other sentences)."""
    templates = (
        DISCLOSURE_BY_CATEGORY["basic_information"][1:4] + DISCLOSURE_BY_CATEGORY["other"][:2]
    )
    about = run.filler.pool(templates, 20)
    return Text(about, top(260, 40, [about]))


def disclosure_duties(run: Run, i: int, publisher: str) -> dict[str, Any]:
    """Who must disclose (docs/obligations.md), from the row number alone: no draw, so the
    rest of a seed's set stays as it was. One in four is designated, one in nine listed."""
    out: dict[str, Any] = {}
    if i % 4 == 0:
        kind = "key_discharger" if i % 8 == 0 else "cleaner_production_audit"
        since = 2022 + i % 3
        what = "重点排污单位名录" if kind == "key_discharger" else "强制性清洁生产审核企业名单"
        title = f"{run.dep_short[publisher].zh}{since}年{what}（自动生成的虚构样例）"
        out["designations"] = [
            {
                "kind": kind,
                "from_year": since,
                "department_id": publisher,
                "source": {"title": title},
            }
        ]
    if i % 9 == 0:
        out["listed_company"] = True
    if i % 13 == 0:
        out["bond_issuer"] = True
    return out


def rows(run: Run, text: Text) -> Iterator[dict[str, Any]]:
    """Invented enterprises spread over the provinces where the industry sits."""
    r = run.r
    ents = run.ents
    base = datetime(2012, 1, 1, tzinfo=TZ)
    span = int((datetime(2021, 1, 1, tzinfo=TZ) - base).total_seconds())
    for i in range(ents.count):
        where = run.province_pick[int(r() * len(run.province_pick))]
        province = PROVINCES[where]
        city = int(r() * len(province.cities))
        sector_no = run.sector_pick[int(r() * len(run.sector_pick))]
        ents.province[i] = where
        ents.city[i] = city
        ents.sector[i] = sector_no
        ents.town[i] = int(r() * len(TOWNS))
        ents.root[i] = int(r() * len(ROOTS))
        ents.form[i] = int(r() * len(FORMS))
        ents.by_province[where].append(i)
        en = r() < ENGLISH_SHARE
        name = ents.name(i)
        place = province.cities[city]
        sector = SECTORS[sector_no]
        row: dict[str, Any] = {
            "id": ents.id(i),
            "publisher_id": (
                run.local_department(where, city)
                if r() < 0.9
                else run.pick(run.extra or ["DEP-G-MEE"])
            ),
            "published_at": (base + timedelta(seconds=int(r() * span))).isoformat(),
            "sample": True,
            "name_zh": name.zh,
        }
        if en:
            row["name_en"] = name.en
        if r() < 0.95 and i < 99_999_999:  # eight digits of serial keep codes unique
            code = make_credit_code(f"91{province.code}{city + 1:02d}00G{i + 1:08d}")
            row["credit_code"] = code
            if r() < 0.85:
                row["permit_number"] = code + ("001P" if r() < 0.7 else "001U")
        row["sector"] = sector.code
        row["province"] = province.code
        row["city_zh"] = place.zh
        if en:
            row["city_en"] = place.en
        if r() < 0.6:
            town = TOWNS[ents.town[i]]
            row["park_zh"] = town.zh + "循环经济产业园"
            if en:
                row["park_en"] = town.en + " Circular Economy Park"
        row["latitude"] = round(place.lat + (r() - 0.5) * 0.5, 5)
        row["longitude"] = round(place.lon + (r() - 0.5) * 0.5, 5)
        row["status"] = run.status_pick[int(r() * len(run.status_pick))]
        row.update(disclosure_duties(run, i, row["publisher_id"]))
        if r() < 0.85:
            product = run.pick(sector.products)
            material = run.pick(sector.materials)
            year = 1995 + int(r() * 25)
            cap = 1 + int(r() * 30)
            lead = Pair(
                f"{name.zh}成立于{year}年，以{material.zh}为原料生产{product.zh}，"
                f"年处理能力约{cap}万吨。本条为自动生成的虚构样例数据。",
                f"Founded in {year}, {name.en} makes {product.en} from {material.en}, "
                f"handling about {cap * 10_000:,} tonnes a year. Fictitious generated sample.",
            )
            zh, en_text = compose(r, lead, [text.about], 40, text.top)
            row["description_zh"] = zh
            if en:
                row["description_en"] = en_text
        yield row
