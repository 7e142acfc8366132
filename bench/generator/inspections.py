"""Inspections: visits to invented enterprises, mostly compliant, some with penalties."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bench.generator.run import ENGLISH_SHARE, TZ, Run, en_date, zh_date
from bench.generator.tables import (
    FINDINGS_BAD,
    FINDINGS_GOOD,
    FINDINGS_IMPORT,
    FINDINGS_POLLUTANT_BAD,
    FINDINGS_POLLUTANT_GOOD,
    FOLLOW_UP,
    MEASURES,
    SANCTIONS,
    SECTORS,
    Pair,
)
from bench.generator.text import Sentence, compose, top


@dataclass(frozen=True, slots=True)
class Text:
    """Sentence pools of findings (per sector, per pollutant), measures and follow-ups, and the
    lengths past which each text stops growing."""

    bad: list[list[Sentence]]  # by sector, in SECTORS order
    good: list[Sentence]
    imported: list[list[Sentence]]  # by sector
    pollutant_bad: dict[str, list[Sentence]]
    pollutant_good: dict[str, list[Sentence]]
    measures: list[Sentence]
    follow_up: list[Sentence]
    top_findings: int
    top_measures: int
    top_follow_up: int


def fill(run: Run) -> Text:
    """Fill the pools, in the order that keeps each seed's set as it always was."""
    bad = run.sector_pools(FINDINGS_BAD, 12)
    good = run.filler.pool(FINDINGS_GOOD, 40, runs=True)
    imported = run.sector_pools(FINDINGS_IMPORT, 10)
    pollutant_bad = run.pollutant_pools(FINDINGS_POLLUTANT_BAD, 20)
    pollutant_good = run.pollutant_pools(FINDINGS_POLLUTANT_GOOD, 20)
    measures = run.filler.pool(MEASURES, 20)
    follow_up = run.filler.pool(FOLLOW_UP, 20)
    return Text(
        bad,
        good,
        imported,
        pollutant_bad,
        pollutant_good,
        measures,
        follow_up,
        top(600, 100, bad, imported, [good], pollutant_bad.values(), pollutant_good.values()),
        top(250, 20, [measures]),
        top(120, 10, [follow_up]),
    )


def rows(run: Run, text: Text) -> Iterator[dict[str, Any]]:
    """Visits to invented enterprises, mostly compliant, some with penalties."""
    r = run.r
    ents = run.ents
    day0 = date(2012, 1, 1)
    days = (date(2025, 6, 30) - day0).days
    for k in range(1, run.counts.inspections + 1):
        e = int(r() * ents.count)
        en = r() < ENGLISH_SHARE
        where, city = ents.province[e], ents.city[e]
        sector_no = ents.sector[e]
        sector = SECTORS[sector_no]
        name = ents.name(e)
        on = day0 + timedelta(days=int(r() * days))
        published = datetime(on.year, on.month, on.day, 9, tzinfo=TZ) + timedelta(
            seconds=86400 + int(r() * 30 * 86400)
        )
        kind = run.kind_pick[int(r() * len(run.kind_pick))]
        if kind.code == "import_cargo" and sector.code in ("mining", "primary_smelting"):
            kind = run.kind_pick[0]  # mines import no scrap: routine
        x = r()
        if x < 0.55:
            outcome = "compliant"
        elif x < 0.8:
            outcome = "violation"
        else:
            outcome = "rectification_ordered"
        if kind.code == "import_cargo" and run.customs:
            publisher = run.pick(run.customs)
        elif r() < 0.92:
            publisher = run.local_department(where, city)
        else:
            publisher = run.pick(run.extra or ["DEP-G-MEE"])
        n_pol = int(r() * 4)
        codes: list[str] = []
        for _ in range(3 * n_pol):
            if len(codes) >= n_pol:
                break
            c = run.pick(sector.pollutants)
            if c not in codes:
                codes.append(c)
        dept = run.dep_short[publisher]
        lead = Pair(
            f"{zh_date(on)}，{dept.zh}对{name.zh}开展{kind.zh}。",
            f"{name.en} received {kind.en} from the {dept.en} on {en_date(on)}.",
        )
        if kind.code == "import_cargo":
            pools = [text.imported[sector_no]]
        elif outcome == "compliant":
            pools = [text.good, text.good]
            pools += [text.pollutant_good[c] for c in codes]
        else:
            pools = [text.bad[sector_no], text.bad[sector_no], text.good]
            pools += [text.pollutant_bad[c] for c in codes]
        findings_zh, findings_en = compose(r, lead, pools, 100, text.top_findings)
        row: dict[str, Any] = {
            "id": f"INS-G-{on.year}-{k:07d}",
            "publisher_id": publisher,
            "published_at": published.isoformat(),
            "sample": True,
            "enterprise_id": ents.id(e),
            "inspected_on": on.isoformat(),
            "inspection_type": kind.code,
            "outcome": outcome,
            "findings_zh": findings_zh,
        }
        if en:
            row["findings_en"] = findings_en
        if outcome != "compliant":
            if r() < (0.7 if outcome == "violation" else 0.25):
                row["penalty_yuan"] = int(math.exp(9.2 + 5.3 * r())) // 1000 * 1000 + 1000
                # The decision some days after the visit; every seventh with a sanction
                # (from the row number: no draw).
                row["decided_on"] = (on + timedelta(days=7 + k % 21)).isoformat()
                if k % 7 == 0:
                    row["sanctions"] = [SANCTIONS[k // 7 % len(SANCTIONS)]]
            first = run.pick(text.measures)
            measures = compose(
                r, Pair(first.zh, first.en[1:]), [text.measures], 20, text.top_measures
            )
            row["measures_zh"] = measures.zh
            if en:
                row["measures_en"] = measures.en
            if outcome == "rectification_ordered" or r() < 0.4:
                row["deadline"] = (on + timedelta(days=15 + int(r() * 76))).isoformat()
            if r() < 0.5:
                first = run.pick(text.follow_up)
                follow = compose(
                    r, Pair(first.zh, first.en[1:]), [text.follow_up], 10, text.top_follow_up
                )
                row["follow_up_zh"] = follow.zh
                if en:
                    row["follow_up_en"] = follow.en
        row["pollutants"] = sorted(codes)
        if r() < 0.2:
            batch = 1 + int(r() * 12)
            row["sources"] = [
                {
                    "title": f"{dept.zh}{on.year}年环境行政执法信息公开（第{batch}批）",
                    "published_on": published.date().isoformat(),
                }
            ]
        yield row
