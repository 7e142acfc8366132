"""Departments: the fixed set of tables.DEPARTMENTS, parents first, so that any prefix keeps
references whole."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from bench.generator.run import TZ, Run
from bench.generator.tables import DEPARTMENT_SUFFIX


def rows(run: Run) -> Iterator[dict[str, Any]]:
    """The fixed departments, parents before children."""
    start = datetime(2012, 1, 1, 9, 0, tzinfo=TZ)
    for i, d in enumerate(run.departments):
        row: dict[str, Any] = {
            "id": d.id,
            "publisher_id": d.id,
            "published_at": (start + timedelta(minutes=i)).isoformat(),
            "sample": True,
            "name_zh": d.name_zh + DEPARTMENT_SUFFIX.zh,
            "name_en": d.name_en + DEPARTMENT_SUFFIX.en,
            "function": d.function,
            "level": d.level,
        }
        optional = {
            "parent_id": d.parent_id,
            "province": d.province,
            "city_zh": d.city_zh,
            "city_en": d.city_en,
            "formerly_zh": d.formerly_zh,
            "formerly_en": d.formerly_en,
        }
        row.update((k, v) for k, v in optional.items() if v)
        row["description_zh"] = (
            d.description_zh or f"{d.name_zh}。"
        ) + "本条为自动生成的样例数据。"
        row["description_en"] = (d.description_en or f"{d.name_en}.") + " Generated sample data."
        yield row
