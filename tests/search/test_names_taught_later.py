"""A record is found by every name in its text, however late the name was taught (issue 20).

Names (enterprise, department and place names) are taught to jieba as the records that define
them are indexed. A record mentioning a name that only a later record (or a later import)
defines was cut before jieba knew the name, and a search for the name as a phrase did not find
it; `portal check` saw nothing, as the revision and analysis were the same. Runs on the engine
of the test database: Whoosh on SQLite, PostgreSQL's full text on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from conftest import Portal
from portal.search import index as whoosh_store
from portal.search import parse_search, service_of
from portal.search.pg import writing as pg_writing

# Not in jieba's dictionary: before it is taught, 蓝鳌坡 is cut into single characters. One name
# for each test: jieba's dictionary is the process's, and a name stays taught.
NAMES = {"imports": "蓝鳌坡再生铜业有限公司", "batches": "紫鲟岙再生铅业有限公司"}
PUBLISHER = "DEP-GX-HC-EEB"


def _enterprise(
    record_id: str, name_zh: str, description_zh: str, **more: str
) -> dict[str, object]:
    return {
        "id": record_id,
        "publisher_id": PUBLISHER,
        "published_at": "2024-05-01T09:00:00+08:00",
        "sample": False,
        "name_zh": name_zh,
        "name_en": f"{record_id} Co.",
        "sector": "secondary_copper",
        "province": "45",
        "status": "operating",
        "description_zh": description_zh,
        **more,
    }


def _mentions(name: str) -> dict[str, object]:
    return _enterprise("ENT-GX-1-MENTIONS", "河池某金属回收站", f"该站的废料全部卖给{name}。")


def _defines(name: str) -> dict[str, object]:
    return _enterprise("ENT-GX-2-DEFINES", name, "再生铜冶炼。")


def _import(portal: Portal, tmp_path: Path, name: str, rows: list[dict[str, object]]) -> None:
    path = tmp_path / f"{name}.ndjson"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    result = portal("import", str(path), "--as", PUBLISHER)
    assert result.exit_code == 0, result.output


def _found(app: Flask, q: str) -> set[str]:
    return {hit.id for hit in service_of(app).search(parse_search({"q": q})).hits}


def _assert_found_and_clean(app: Flask, portal: Portal, name: str) -> None:
    assert _found(app, f'"{name}"') == {"ENT-GX-1-MENTIONS", "ENT-GX-2-DEFINES"}
    assert _found(app, f'"卖给{name}"') == {"ENT-GX-1-MENTIONS"}
    checked = portal("check")
    assert checked.exit_code == 0, checked.output


def test_a_name_defined_by_a_later_import_finds_the_earlier_record(
    sample_app: Flask, sample_portal: Portal, sample_index: Path, tmp_path: Path
) -> None:
    name = NAMES["imports"]
    _import(sample_portal, tmp_path, "first", [_mentions(name)])
    _import(sample_portal, tmp_path, "second", [_defines(name)])
    _assert_found_and_clean(sample_app, sample_portal, name)


def test_a_name_defined_later_in_the_same_import_finds_the_earlier_record(
    sample_app: Flask,
    sample_portal: Portal,
    sample_index: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Batches of one record, as a file of thousands is written in batches of 500.
    monkeypatch.setattr(pg_writing, "BATCH", 1)
    monkeypatch.setattr(whoosh_store, "BATCH", 1)
    name = NAMES["batches"]
    _import(sample_portal, tmp_path, "both", [_mentions(name), _defines(name)])
    _assert_found_and_clean(sample_app, sample_portal, name)


def test_a_place_taught_later_is_found_inside_a_name_taught_before(
    sample_app: Flask, sample_portal: Portal, sample_index: Path, tmp_path: Path
) -> None:
    # The enterprise's name is one word from the start, and its parts are indexed too; 鳌鲟坡
    # became one of those parts only once a later record taught it as a place.
    named = _enterprise("ENT-GX-1-NAMED", "鳌鲟坡镇再生铝业有限公司", "再生铝。")
    placed = _enterprise("ENT-GX-2-PLACED", "河池某铝材厂", "铝型材。", city_zh="鳌鲟坡")
    _import(sample_portal, tmp_path, "first", [named])
    _import(sample_portal, tmp_path, "second", [placed])
    assert _found(sample_app, '"鳌鲟坡"') == {"ENT-GX-1-NAMED", "ENT-GX-2-PLACED"}
    checked = sample_portal("check")
    assert checked.exit_code == 0, checked.output
