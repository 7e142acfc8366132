"""Factories: plain dicts in the import format, with defaults a test can override."""

from __future__ import annotations

import itertools
from typing import Any

from sqlmodel import Session

from portal import records
from portal.models.credit_code import make_credit_code

_n = itertools.count(1)


def department(**kw: Any) -> dict[str, Any]:
    """A national department publishing itself."""
    data = {
        "id": "DEP-MEE",
        "publisher_id": "DEP-MEE",
        "name_zh": "生态环境部",
        "name_en": "Ministry of Ecology and Environment",
        "function": "environment",
        "level": "national",
    }
    return {**data, **kw}


def bureau(**kw: Any) -> dict[str, Any]:
    """A provincial bureau under the ministry."""
    return department(
        id="DEP-GX-EEB",
        publisher_id="DEP-MEE",
        parent_id="DEP-MEE",
        name_zh="广西壮族自治区生态环境厅",
        name_en="Guangxi Department of Ecology and Environment",
        level="provincial",
        province="45",
        **kw,
    )


def enterprise(**kw: Any) -> dict[str, Any]:
    """An illustrative smelter in Guangxi with a valid credit code."""
    n = next(_n)
    data = {
        "id": f"ENT-T{n:04d}",
        "publisher_id": "DEP-GX-EEB",
        "name_zh": f"测试冶炼厂{n}",
        "name_en": f"Test Smelter {n}",
        "sector": "primary_smelting",
        "province": "广西",
        "city_zh": "河池市",
        "city_en": "Hechi",
        "credit_code": make_credit_code(f"91451200MA5K{n:05d}"),
        "sample": True,
    }
    return {**data, **kw}


def incident(**kw: Any) -> dict[str, Any]:
    """A cadmium incident on the Longjiang with one reading over the class III limit."""
    data = {
        "id": f"INC-T-{next(_n):04d}",
        "publisher_id": "DEP-GX-EEB",
        "title_zh": "龙江镉污染",
        "title_en": "Cadmium in the Longjiang",
        "summary_zh": "河段镉超标。",
        "began_at": "2012-01-15T09:00:00+08:00",
        "province": "45",
        "status": "investigating",
        "river_zh": "龙江",
        "river_en": "Longjiang",
        "readings": [
            {
                "site_zh": "拉浪",
                "measured_at": "2012-01-19T17:00:00+08:00",
                "pollutant": "Cd",
                "value": 0.0247,
                "unit": "mg/L",
                "standard": "GB 3838-2002",
                "standard_class": "III",
            }
        ],
    }
    return {**data, **kw}


def inspection(enterprise_id: str, **kw: Any) -> dict[str, Any]:
    """A routine inspection that found a violation."""
    data = {
        "id": f"INS-T-{next(_n):04d}",
        "publisher_id": "DEP-GX-EEB",
        "enterprise_id": enterprise_id,
        "inspected_on": "2023-05-10",
        "inspection_type": "routine",
        "outcome": "violation",
        "findings_zh": "废水排放口镉超标。",
        "penalty_yuan": 120000,
        "pollutants": ["Cd"],
    }
    return {**data, **kw}


def disclosure(enterprise_id: str, **kw: Any) -> dict[str, Any]:
    """An annual pollutant-emission disclosure with one figure."""
    data = {
        "id": f"DIS-T-{next(_n):04d}",
        "publisher_id": enterprise_id,
        "enterprise_id": enterprise_id,
        "category": "pollutant_emission",
        "report_type": "annual",
        "period_start": "2023-01-01",
        "period_end": "2023-12-31",
        "title_zh": "2023 年度排放信息",
        "text_zh": "年度排放情况。",
        "figures": [
            {
                "site_zh": "总排口",
                "pollutant": "Pb",
                "value": 0.4,
                "unit": "mg/L",
                "standard": "GB 8978-1996",
            }
        ],
    }
    return {**data, **kw}


def publish(session: Session, data: dict[str, Any], author: str | None = None) -> str:
    """Publish one record through the records layer and commit."""
    kind = records.kind_of_id(data["id"])
    record_id = records.publish(session, kind, data, author_id=author or data["publisher_id"])
    session.commit()
    return record_id


def basics(session: Session) -> dict[str, str]:
    """A ministry, a bureau under it and one enterprise; returns their ids."""
    publish(session, department())
    publish(session, bureau())
    ent = enterprise()
    publish(session, ent)
    return {"ministry": "DEP-MEE", "bureau": "DEP-GX-EEB", "enterprise": ent["id"]}


def publishing_token(app: Any, publisher_id: str, **kw: Any) -> str:
    """A token for a publisher in the app's database; returns the secret."""
    from portal.db import get_engine, session_scope
    from portal.records.tokens import create_token

    with session_scope(get_engine(app.config["DATABASE_URL"])) as session:
        return create_token(session, publisher_id, **kw)[0]
