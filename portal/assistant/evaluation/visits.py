"""The visits and filings of an evaluation world: inspections with outcomes and penalties (some
stated in the text, some in the field alone), and annual disclosures with figures (one whose
figure is in its English text alone)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from portal.assistant.evaluation.events import event_days, published
from portal.assistant.evaluation.world import SECTOR, World, moment
from portal.models.vocab import find_limit, pollutants

KINDS = {
    "routine": ("例行", "Routine"),
    "targeted": ("专项", "Targeted"),
    "complaint": ("信访", "Complaint-led"),
}
# What an inspection found, by outcome: {k} its kind, {n} outlets sampled, {m} of them over the
# limit, {p} the pollutant, {a} square metres of damaged lining, {x} one more finding.
FINDINGS = {
    "compliant": (
        "{k}检查：抽测{n}个排放口，{p}浓度均未超过GB 8978-1996限值；危险废物台账完整。",
        "{K} inspection: {n} outlets sampled, {P} within the GB 8978-1996 limit at all of them; "
        "the hazardous-waste ledger was complete.",
    ),
    "violation": (
        "{k}检查：抽测{n}个排放口，其中{m}个{p}浓度超过GB 8978-1996限值；{x}。",
        "{K} inspection: {n} outlets sampled, {m} of them with {P} above the GB 8978-1996 "
        "limit; {X}.",
    ),
    "rectification_ordered": (
        "{k}检查：抽测的{n}个排放口均达标，但危险废物贮存库防渗层破损约{a}平方米。",
        "{K} inspection: all {n} outlets sampled were within the limits, but about {a} m² of "
        "the hazardous-waste store's lining was damaged.",
    ),
}
ANNUAL = (
    "{y}年共回收处置{q}{t}吨，环保设施投入{i}万元。车间排放口{p}年均浓度见监测数据。",
    "In {y} the enterprise processed {t:,} t of {Q} and invested {I:,} yuan in environmental "
    "facilities. The yearly average {P} at the workshop outlet is in the figures.",
)
EXTRAS = (
    ("雨水排口检出含重金属废水", "heavy-metal waste water was found in the storm outlet"),
    ("在线监测设备停运", "the online monitors were switched off"),
    ("危险废物露天堆放", "hazardous waste was stored in the open"),
)


def add_inspections(world: World, rng: random.Random) -> None:
    """14 to 18 inspections; the most inspected enterprise three times or more, two or more in
    the second city, and at least three fines in the first (so "fined the most" compares
    several)."""
    home = [e for e in world.enterprises if e["city_zh"] == world.cities[0].name[0]]
    focus = home[0]
    count = rng.randint(14, 18)
    away = [e for e in world.enterprises if e["city_zh"] == world.cities[1].name[0]]
    targets = [focus] * 3 + [rng.choice(away) for _ in range(2)]  # each city has some
    targets += [rng.choice(world.enterprises) for _ in range(count - len(targets))]
    fined_at_home = 0
    amounts = rng.sample(range(50_000, 1_500_001, 10_000), count)
    zh_only = None
    for number, (enterprise, day, amount) in enumerate(
        zip(targets, event_days(rng, count), amounts, strict=True), 1
    ):
        at_home = enterprise["city_zh"] == world.cities[0].name[0]
        outcome = rng.choices(("compliant", "violation", "rectification_ordered"), (35, 40, 25))[0]
        if at_home and fined_at_home < 3:
            outcome = "violation"  # a city where "fined the most" compares at least three fines
        kind = rng.choice(sorted(KINDS))
        kind_zh, kind_en = KINDS[kind]
        city = world.city_of(enterprise)
        branch = city.branch and enterprise.get("county_zh") == city.counties[0][0]
        code = rng.choice(
            [c for c in SECTOR[enterprise["sector"]].pollutants if c in ("Pb", "Cd", "As", "Hg")]
            or ["Cd"]
        )
        pollutant = pollutants()[code]
        outlets, area, days = rng.randint(3, 12), rng.randint(20, 400), rng.choice((15, 30, 60, 90))
        over = rng.randint(1, outlets - 1)
        row: dict[str, Any] = {
            "id": f"INS-{world.tag}-{number:02d}",
            "publisher_id": city.branch if branch else city.bureau,
            "published_at": published(day, rng, 5, 25),
            "enterprise_id": enterprise["id"],
            "inspected_on": day.isoformat(),
            "inspection_type": kind,
            "outcome": outcome,
            "pollutants": [code],
        }
        note: dict[str, Any] = {"outlets": outlets}
        extra = rng.choice(EXTRAS)
        values = {
            "k": kind_zh,
            "K": kind_en,
            "n": outlets,
            "m": over,
            "a": area,
            "p": pollutant.name_zh,
            "P": pollutant.name_en,
            "x": extra[0],
            "X": extra[1],
        }
        row["findings_zh"], row["findings_en"] = (t.format(**values) for t in FINDINGS[outcome])
        if outcome == "violation":
            note["over"] = over
        elif outcome == "rectification_ordered":
            note["area"] = area
        if outcome == "violation" or (outcome == "rectification_ordered" and rng.random() < 0.3):
            row["penalty_yuan"] = amount
            written = rng.random() < 0.5  # else the fine is in the field alone
            fine_zh = (
                (f"，处罚款{amount}元" if rng.random() < 0.5 else f"，罚款{amount / 10000:g}万元")
                if written
                else ""
            )
            row["measures_zh"] = f"责令{days}日内改正{fine_zh}。"
            row["measures_en"] = f"Ordered to correct within {days} days" + (
                f"; fined {amount:,} yuan." if written else "."
            )
            note.update(penalty=amount, penalty_in_text=written)
            fined_at_home += at_home
            if rng.random() < 0.25:
                row["sanctions"] = ["production_limit"]
        else:
            row["measures_zh"] = f"责令{days}日内完成整改。"
            row["measures_en"] = f"Ordered to finish the work within {days} days."
        row["deadline"] = (day + timedelta(days=days)).isoformat()
        if zh_only is None and enterprise is not focus and outcome != "compliant":
            zh_only = row["id"]  # a record in Chinese only, for an English question
            del row["findings_en"], row["measures_en"]
            note["zh_only"] = True
        world.inspections.append(row)
        world.notes[row["id"]] = note


def add_disclosures(world: World, rng: random.Random) -> None:
    """Two annual reports from each of four enterprises, and one carbon report."""
    filers = rng.sample(world.enterprises, 4)
    for enterprise in filers:
        sector = SECTOR[enterprise["sector"]]
        first = rng.randint(2020, 2023)
        for year in (first, first + 1):
            tonnes, invest = rng.randint(20, 900) * 100, rng.randint(30, 900)
            code = rng.choice(
                [c for c in sector.pollutants if c in ("Pb", "Cd", "As", "Hg")] or ["Cd"]
            )
            limit = find_limit(code, "GB 8978-1996", "")
            assert limit is not None
            value = float(limit.limit * Decimal(rng.randint(5, 95)) / 100)
            pollutant = pollutants()[code]
            values = {
                "y": year,
                "q": sector.material[0],
                "Q": sector.material[1],
                "t": tonnes,
                "i": invest,
                "I": invest * 10000,
                "p": pollutant.name_zh,
                "P": pollutant.name_en,
            }
            row = {
                "id": f"DIS-{world.tag}-{len(world.disclosures) + 1:02d}",
                "publisher_id": enterprise["id"],
                "published_at": moment(date(year + 1, 3, rng.randint(1, 14)), rng),
                "enterprise_id": enterprise["id"],
                "category": "pollutant_emission",
                "report_type": "annual",
                "period_start": f"{year}-01-01",
                "period_end": f"{year}-12-31",
                "title_zh": f"{enterprise['name_zh']}{year}年度环境信息依法披露报告",
                "title_en": f"{enterprise['name_en']}: {year} annual environmental disclosure",
                "text_zh": ANNUAL[0].format(**values),
                "text_en": ANNUAL[1].format(**values),
                "figures": [
                    {
                        "site_zh": "车间排放口",
                        "site_en": "workshop outlet",
                        "pollutant": code,
                        "value": value,
                        "unit": "mg/L",
                        "standard": "GB 8978-1996",
                    }
                ],
            }
            world.disclosures.append(row)
            world.notes[row["id"]] = {"year": year, "tonnes": tonnes, "invest_yuan": invest * 10000}
    enterprise, year = filers[0], rng.randint(2021, 2024)
    co2 = rng.randint(30, 990) * 100
    row = {
        "id": f"DIS-{world.tag}-{len(world.disclosures) + 1:02d}",
        "publisher_id": enterprise["id"],
        "published_at": moment(date(year + 1, 4, rng.randint(1, 14)), rng),
        "enterprise_id": enterprise["id"],
        "category": "carbon_emission",
        "report_type": "annual",
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "title_zh": f"{enterprise['name_zh']}{year}年度碳排放信息",
        "title_en": f"{enterprise['name_en']}: {year} carbon emissions",
        # The Chinese text is terse: the figure is in the English text alone.
        "text_zh": f"{year}年度温室气体排放情况已按要求报送主管部门。",
        "text_en": f"Greenhouse gas emissions in {year} were {co2:,} t CO2e, as reported to the "
        "competent department.",
    }
    world.disclosures.append(row)
    world.notes[row["id"]] = {"year": year, "co2": co2, "en_only": True}
