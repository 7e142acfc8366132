"""Disclosures: annual and temporary reports, each filed by its own enterprise."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bench.generator.run import ENGLISH_SHARE, TZ, Run, en_date, site_kind, zh_date
from bench.generator.tables import (
    DISCLOSURE_BY_CATEGORY,
    DISCLOSURE_GENERIC,
    DISCLOSURE_POLLUTANT,
    FIGURE_NOTES,
    SECTORS,
    WORDS,
    Pair,
)
from bench.generator.text import Sentence, compose, top


@dataclass(frozen=True, slots=True)
class Text:
    """Sentence pools of a disclosure's text and the length past which it stops growing."""

    generic: list[Sentence]
    by_sector: list[dict[str, list[Sentence]]]  # in SECTORS order, then by category
    by_pollutant: dict[str, list[Sentence]]
    top: int


def fill(run: Run) -> Text:
    """Fill the pools, in the order that keeps each seed's set as it always was."""
    generic = run.filler.pool(DISCLOSURE_GENERIC, 1)
    by_sector = [
        {
            category: run.filler.pool(
                templates, 12, {"material": s.materials, "product": s.products}, runs=True
            )
            for category, templates in DISCLOSURE_BY_CATEGORY.items()
        }
        for s in SECTORS
    ]
    by_pollutant = run.pollutant_pools(DISCLOSURE_POLLUTANT, 20)
    every = [pool for pools in by_sector for pool in pools.values()]
    return Text(
        generic, by_sector, by_pollutant, top(2000, 200, every, [generic], by_pollutant.values())
    )


def rows(run: Run, text: Text) -> Iterator[dict[str, Any]]:
    """Annual and temporary disclosures, each filed by its own enterprise."""
    r = run.r
    ents = run.ents
    day0 = date(2015, 1, 1)
    days = (date(2025, 6, 1) - day0).days
    for k in range(1, run.counts.disclosures + 1):
        e = int(r() * ents.count)
        en = r() < ENGLISH_SHARE
        sector = SECTORS[ents.sector[e]]
        name = ents.name(e)
        ent_id = ents.id(e)
        category = run.category_pick[int(r() * len(run.category_pick))]
        temporary = category.code == "temporary_disclosures" or (
            category.code == "violations_penalties" and r() < 0.4
        )
        if temporary:
            start = day0 + timedelta(days=int(r() * days))
            end = start + timedelta(days=int(r() * 30))
            published = datetime(end.year, end.month, end.day, 10, tzinfo=TZ) + timedelta(
                seconds=86400 + int(r() * 6 * 86400)
            )
            title = Pair(
                f"{name.zh}环境信息临时披露报告（{zh_date(start)}）",
                f"{name.en}: temporary environmental disclosure ({en_date(start)})",
            )
            lead = Pair(
                f"根据相关规定，{name.zh}现就{zh_date(start)}发生的{category.zh}事项予以披露。",
                f"{name.en} discloses the following {category.en} matter of {en_date(start)}.",
            )
        else:
            year = 2014 + int(r() * 11)
            start, end = date(year, 1, 1), date(year, 12, 31)
            published = datetime(year + 1, 1, 5, 9, tzinfo=TZ) + timedelta(
                seconds=int(r() * 69 * 86400)
            )
            title = Pair(
                f"{name.zh}{year}年度环境信息依法披露报告：{category.zh}",
                f"{name.en}: {year} annual environmental disclosure, {category.en}",
            )
            lead = Pair(
                f"本报告为{name.zh}{year}年度环境信息依法披露报告的{category.zh}部分。",
                f"This is the {category.en} section of {name.en}'s environmental disclosure "
                f"report for {year}.",
            )
        if category.code == "pollutant_emission":
            n_fig = 1 + int(r() * 6)
        else:
            n_fig = 0 if r() < 0.8 else 1 + int(r() * 2)
        figures = []
        codes: list[str] = []
        span = (end - start).days + 1
        for _ in range(n_fig):
            code = run.pick(sector.pollutants)
            codes.append(code)
            site = run.pick(WORDS[site_kind(code)])
            d = start + timedelta(days=int(r() * span))
            when = datetime(d.year, d.month, d.day, 8 + int(r() * 10), tzinfo=TZ)
            factor = math.exp(-2.5 * r()) * (1.3 if r() < 0.1 else 0.9)
            figure = run.measurement(code, site, when, False, factor, en)
            if r() < 0.4:
                note = run.pick(FIGURE_NOTES)
                figure["note_zh"] = note.zh
                if en:
                    figure["note_en"] = note.en
            figures.append(figure)
        own = text.by_sector[ents.sector[e]]
        pools = [own[category.code], own[category.code], text.generic]
        if category.code == "violations_penalties" and not temporary and r() < 0.5:
            lead = Pair(
                lead.zh + "报告期内企业未受到生态环境行政处罚。",
                lead.en + " No environmental penalty was imposed during the period.",
            )
            pools = [own["environmental_management"], text.generic]
        if not temporary:  # yearly loads and means belong to annual reports
            pools += [text.by_pollutant[c] for c in dict.fromkeys(codes)]
        text_zh, text_en = compose(r, lead, pools, 200, text.top, breaks=0.15)
        row: dict[str, Any] = {
            "id": f"DIS-G-{start.year}-{k:07d}",
            "publisher_id": ent_id,
            "published_at": published.isoformat(),
            "sample": True,
            "enterprise_id": ent_id,
            "category": category.code,
            "report_type": "temporary" if temporary else "annual",
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "title_zh": title.zh,
        }
        if en:
            row["title_en"] = title.en
        row["text_zh"] = text_zh
        if en:
            row["text_en"] = text_en
        row["figures"] = figures
        yield row
