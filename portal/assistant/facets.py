"""What a record is about beyond its sentences, as words for matching a question's names: its
kind, day, names, places, pollutants and labels in both languages (the facets), and the proper
names among them (which the check of a model's answer looks for)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from portal.models import vocab
from portal.models.labels import label

KIND_WORDS = {
    "incidents": ("污染事件 事件", "incident pollution event"),
    "inspections": ("检查", "inspection"),
    "disclosures": ("信息披露 披露 报告", "disclosure report"),
    "enterprises": ("企业 公司", "enterprise company"),
    "departments": ("部门", "department"),
}
# Extra words an outcome is known by, beyond its label.
OUTCOME_WORDS = {
    "violation": ("违规 违反 不合格 处罚", "violation violated failed breach"),
    "rectification_ordered": ("整改 不合格", "rectification ordered rectify failed"),
    "compliant": ("合格 达标 未发现问题", "compliant passed"),
}


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def date_words(day: date | None) -> list[str]:
    """A record's day as people write it: 4 June 2024, June 2024, 2024年6月4日."""
    if day is None:
        return []
    month = MONTHS[day.month - 1]
    return [f"{day.day} {month} {day.year}", f"{month} {day.year}",
            f"{day.year}年{day.month}月{day.day}日"]  # fmt: skip


def facets_of(
    record: Any,
    day: date | None,
    names: Mapping[str, tuple[str, str | None]],
    places: Mapping[str, list[str]],
) -> str:
    """The facets of a record (`day`: its main day), one word or name a line."""
    words: list[str] = date_words(day)
    zh, en = KIND_WORDS.get(record.kind, ("", ""))
    words += [zh, en]
    for attr in (
        "name_zh",
        "name_en",
        "title_zh",
        "title_en",
        "city_zh",
        "city_en",
        "river_zh",
        "river_en",
        "place_zh",
        "place_en",
        "park_zh",
        "park_en",
        "county_zh",
        "county_en",
        "formerly_zh",
        "formerly_en",
    ):
        value = getattr(record, attr, None)
        if value:
            words.append(value)
    province = vocab.provinces().get(getattr(record, "province", None) or "")
    if province:
        words += [province.short_zh, province.name_zh, province.name_en]
    for code in getattr(record, "pollutants", []) or []:
        pollutant = vocab.pollutants().get(code)
        words += [code] + ([pollutant.name_zh, pollutant.name_en] if pollutant else [])
    for attr in ("outcome", "status", "sector", "category", "inspection_type", "function"):
        value = getattr(record, attr, None)
        if value:
            words += [label(str(value), "zh"), label(str(value), "en")]
            words += list(OUTCOME_WORDS.get(str(value), ()))
    for rid in ids_named(record):
        if rid in names:
            zh_name, en_name = names[rid]
            words += [zh_name, en_name or ""]
        if rid in places and rid != record.id:
            words += places[rid]
    return "\n".join(w for w in words if w)


def ids_named(record: Any) -> list[str]:
    """The enterprises and departments a record names (for their display names)."""
    ids = [record.publisher_id, getattr(record, "enterprise_id", None)]
    ids += [r.enterprise_id for r in getattr(record, "responsible", []) or []]
    ids += [u.department_id for u in getattr(record, "updates", []) or []]
    ids += [p.enterprise_id for p in getattr(record, "penalties", []) or []]
    return list(dict.fromkeys(i for i in ids if i))


def place_words(enterprise: Any) -> list[str]:
    """Where an enterprise is, in both languages, and its sector (facts of what names it)."""
    words = [enterprise.city_zh, enterprise.city_en, enterprise.county_zh, enterprise.county_en]
    province = vocab.provinces().get(enterprise.province or "")
    if province:
        words += [province.short_zh, province.name_zh, province.name_en]
    words += [label(str(enterprise.sector), "zh"), label(str(enterprise.sector), "en")]
    return [w for w in words if w]


NAME_FIELDS = ("name", "title", "city", "county", "park", "river", "place", "formerly")


def proper_names(record: Any, names: Mapping[str, tuple[str, str | None]]) -> list[str]:
    """The names a record holds (its own, its places and sites, its province, the enterprises
    and departments it names), in both languages: what a model may not move between records."""
    out: list[str] = []
    for stem in NAME_FIELDS:
        out += [getattr(record, f"{stem}_{lang}", None) or "" for lang in ("zh", "en")]
    for part in ("readings", "figures"):
        for item in getattr(record, part, []) or []:
            out += [item.site_zh or "", item.site_en or ""]
    province = vocab.provinces().get(getattr(record, "province", None) or "")
    if province:
        out += [province.short_zh, province.name_zh, province.name_en]
    for rid in ids_named(record):
        out += [n or "" for n in names.get(rid, ("", None))]
    return sorted({n for n in out if len(n) >= 2})
