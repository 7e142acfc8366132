"""Incidents: pollution events on real rivers, caused by invented enterprises."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bench.generator.run import AIR, ENGLISH_SHARE, TZ, WATER_METALS, Run, en_date, zh_date
from bench.generator.tables import (
    INCIDENT_GENERAL,
    INCIDENT_POLLUTANT,
    PROVINCES,
    RESPONSIBLE_ROLES,
    SECTORS,
    TOWNS,
    UPDATES_BY_PHASE,
    WORDS,
    Pair,
)
from bench.generator.text import Sentence, compose, top

STATUSES = ("reported", "investigating", "contained", "closed")  # also the phases of updates


@dataclass(frozen=True, slots=True)
class Text:
    """Sentence pools of an incident's summary and of its updates."""

    general: list[Sentence]
    by_pollutant: dict[str, list[Sentence]]
    updates: list[list[Sentence]]  # by phase of the response, in STATUSES order
    top: int


def fill(run: Run) -> Text:
    """The summaries' pools (general, then one per pollutant) and the updates' (per phase)."""
    general = run.filler.pool(INCIDENT_GENERAL, 40, runs=True)
    by_pollutant = {
        code: run.filler.pool(INCIDENT_POLLUTANT, 20, {"pol": [name]}, runs=True)
        for code, name in run.pol.items()
    }
    updates = [run.filler.pool(phase, 10) for phase in UPDATES_BY_PHASE]
    return Text(general, by_pollutant, updates, top(1500, 150, [general], by_pollutant.values()))


def rows(run: Run, text: Text) -> Iterator[dict[str, Any]]:
    """Pollution events on real rivers, caused by invented enterprises."""
    r = run.r
    ents = run.ents
    base = datetime(2010, 1, 1, tzinfo=TZ)
    span = int((datetime(2025, 7, 1, tzinfo=TZ) - base).total_seconds())
    recent = datetime(2024, 1, 1, tzinfo=TZ)
    for k in range(1, run.counts.incidents + 1):
        en = r() < ENGLISH_SHARE
        x = r()
        n_resp = 0 if x < 0.1 else 1 if x < 0.75 else 2 if x < 0.93 else 3
        responsible: list[int] = []
        if n_resp:
            first = int(r() * ents.count)
            responsible.append(first)
            where, city = ents.province[first], ents.city[first]
            same = ents.by_province[where]
            for _ in range(4 * n_resp):
                if len(responsible) >= n_resp:
                    break
                other = same[int(r() * len(same))]
                if other not in responsible:
                    responsible.append(other)
            sector = SECTORS[ents.sector[first]]
            water = [c for c in sector.pollutants if c not in AIR and c not in ("COD", "NH3N")]
        else:
            where = run.province_pick[int(r() * len(run.province_pick))]
            city = int(r() * len(PROVINCES[where].cities))
            water = []
        province = PROVINCES[where]
        place = province.cities[city]
        river = run.pick(province.rivers)
        town = run.pick(TOWNS)
        main = run.pick(water or WATER_METALS)
        codes = [main]
        if r() < 0.3:
            second = run.pick(WATER_METALS)
            if second != main:
                codes.append(second)
        began = base + timedelta(seconds=int(r() * span))
        found = began + timedelta(seconds=3600 + int(r() * 5 * 86400))
        published = found + timedelta(seconds=7200 + int(r() * 3 * 86400))
        if began < recent:
            status = "closed" if r() < 0.85 else "contained" if r() < 0.7 else "investigating"
        else:
            status = STATUSES[int(r() * 4)]
        publisher = run.provincial.get(province.code, "DEP-G-MEE") if r() < 0.8 else "DEP-G-MEE"
        pol = run.pol[main]
        title = run.pick(
            (
                Pair(
                    f"{place.zh}{river.zh}{pol.zh}超标事件",
                    f"{run.pol_cap[main]} exceedance in the {river.en}, {place.en}",
                ),
                Pair(
                    f"{river.zh}{town.zh}段{pol.zh}污染事件",
                    f"{run.pol_cap[main]} pollution of the {river.en} at {town.en}",
                ),
                Pair(
                    f"{place.zh}{pol.zh}污染突发环境事件",
                    f"Sudden {pol.en} pollution incident in {place.en}",
                ),
            )
        )
        dept = run.dep_short[publisher]
        lead = Pair(
            f"{zh_date(found.date())}，{place.zh}{river.zh}{town.zh}段发现{pol.zh}浓度异常，"
            f"{dept.zh}接报后立即组织调查。",
            f"On {en_date(found.date())}, abnormal {pol.en} levels were found in the "
            f"{river.en} at {town.en}, {place.en}; the {dept.en} opened an investigation.",
        )
        pols = [text.by_pollutant[c] for c in codes]
        summary_zh, summary_en = compose(r, lead, [text.general, *pols, *pols], 150, text.top)
        row: dict[str, Any] = {
            "id": f"INC-G-{began.year}-{k:06d}",
            "publisher_id": publisher,
            "published_at": published.isoformat(),
            "sample": True,
            "title_zh": title.zh,
        }
        if en:
            row["title_en"] = title.en
        row["summary_zh"] = summary_zh
        if en:
            row["summary_en"] = summary_en
        row["began_at"] = began.isoformat()
        row["found_at"] = found.isoformat()
        row["river_zh"] = river.zh
        if en:
            row["river_en"] = river.en
        row["place_zh"] = town.zh
        if en:
            row["place_en"] = town.en
        row["province"] = province.code
        row["city_zh"] = place.zh
        if en:
            row["city_en"] = place.en
        lat = round(place.lat + (r() - 0.5) * 0.4, 5)
        lon = round(place.lon + (r() - 0.5) * 0.4, 5)
        row["latitude"] = lat
        row["longitude"] = lon
        row["status"] = status
        row["pollutants"] = sorted(codes)
        readings = []
        when = found
        for j in range(2 + int(r() * 9)):
            section = WORDS["section"][0 if j == 0 else 1 + int(r() * 6)]
            site = Pair(f"{river.zh}{section.zh}断面", f"{river.en}, {section.en} section")
            factor = 0.3 + r() if j == 0 else math.exp(r() * 3.5)
            reading = run.measurement(run.pick(codes), site, when, True, factor, en)
            reading["latitude"] = round(lat + (r() - 0.5) * 0.1, 5)
            reading["longitude"] = round(lon + (r() - 0.5) * 0.1, 5)
            readings.append(reading)
            when += timedelta(seconds=1800 + int(r() * 6 * 3600))
        row["readings"] = readings
        resp = []
        for e in responsible:
            role = run.pick(RESPONSIBLE_ROLES)
            item = {"enterprise_id": ents.id(e), "role_zh": role.zh}
            if en:
                item["role_en"] = role.en
            resp.append(item)
        row["responsible"] = resp
        phases = STATUSES.index(status) + 1
        updates = []
        at = found + timedelta(seconds=1800)
        local = [run.local_department(where, city) for _ in range(2)]
        deps = [*local, publisher, run.government.get(place.zh, publisher)]
        for phase in range(phases):
            for _ in range(1 + int(r() * 2)):
                s = run.pick(text.updates[phase])
                update = {
                    "department_id": run.pick(deps),
                    "at": at.isoformat(),
                    "text_zh": s.zh,
                }
                if en:
                    update["text_en"] = s.en[1:]
                updates.append(update)
                at += timedelta(seconds=3600 + int(r() * 3 * 86400))
        row["updates"] = updates
        if r() < 0.5:
            row["sources"] = [
                {
                    "title": f"{dept.zh}关于{title.zh}的通报",
                    "url": f"https://example.org/notices/{row['id'].lower()}",
                    "published_on": published.date().isoformat(),
                }
            ]
        yield row
