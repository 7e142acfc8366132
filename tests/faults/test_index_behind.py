"""An index that cannot be written (a full disk) lags behind the records, and says so where
operators and readers look: `/api/v1/status` gives the lag and how recent the newest change in
search is, `/api/v1/search` a field and a sentence, and the /search page a notice, in Chinese and
English. Once the index can be written again, the next search catches up and the notices go."""

from __future__ import annotations

import shutil
from pathlib import Path

import test_disk_full
from flask import Flask
from test_disk_full import _fill

from conftest import _app, whoosh_only
from factories import publishing_token

small_disk = test_disk_full.small_disk  # the fixture: a 12 MiB tmpfs for this test

INSPECTION = {
    "id": "INS-2033-0002",
    "enterprise_id": "ENT-GX-JINHE",
    "inspected_on": "2024-06-02",
    "inspection_type": "targeted",
    "outcome": "violation",
    "findings_zh": "索引落后测试：渣场渗滤液镉超标。",
}
NOTICE_EN = "The search index is 1 change behind the records"
NOTICE_ZH = "搜索索引比记录落后 1 项更改"


def _search(app: Flask, lang: str) -> dict:
    response = app.test_client().get(f"/api/v1/search?q=镉&lang={lang}")
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict = response.get_json()
    return body


def _ids(app: Flask, words: str) -> set[str]:
    items = app.test_client().get(f"/api/v1/search?q={words}").get_json()["items"]
    return {hit["id"] for hit in items}


def _page(app: Flask, lang: str) -> str:
    response = app.test_client().get(f"/search?q=镉&lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@whoosh_only
def test_a_lagging_index_is_reported_until_it_catches_up(
    sample_url: str, sample_index: Path, small_disk: Path
) -> None:
    index = small_disk / "index"
    shutil.copytree(sample_index, index)
    app = _app(sample_url, index)
    app.config["API_RATE_LIMIT"] = "1000000 per minute"
    client = app.test_client()
    before = client.get("/api/v1/status").get_json()
    assert before["status"] == "ok" and before["search"]["lag"] == 0
    assert _search(app, "en")["index_lag"] == 0 and _search(app, "en")["notice"] is None
    assert "index-behind" not in _page(app, "en")

    ballast = _fill(small_disk)
    token = publishing_token(app, "DEP-GX-HC-EEB")
    published = client.post(
        "/api/v1/inspections", json=INSPECTION, headers={"Authorization": f"Bearer {token}"}
    )
    assert published.status_code == 201  # the record is published all the same

    status = client.get("/api/v1/status")
    assert status.status_code == 200
    body = status.get_json()
    assert body["status"] == "degraded"
    assert body["search"]["reachable"] is True and body["search"]["lag"] == 1
    assert body["search"]["last_indexed_at"] == before["database"]["last_change_at"]
    assert body["database"]["last_change_at"] > before["database"]["last_change_at"]

    english, chinese = _search(app, "en"), _search(app, "zh")
    assert english["index_lag"] == chinese["index_lag"] == 1
    assert english["notice"].startswith(NOTICE_EN + ":")
    assert chinese["notice"].startswith(NOTICE_ZH + "：")
    assert "INS-2033-0002" not in _ids(app, "索引落后测试")
    assert NOTICE_EN in _page(app, "en")
    assert NOTICE_ZH in _page(app, "zh")

    ballast.unlink()  # room again: the next search takes the record in
    caught_up = _search(app, "en")
    assert caught_up["index_lag"] == 0 and caught_up["notice"] is None
    assert "INS-2033-0002" in _ids(app, "索引落后测试")
    assert "index-behind" not in _page(app, "zh")
    after = client.get("/api/v1/status").get_json()
    assert after["status"] == "ok" and after["search"]["lag"] == 0
    assert after["search"]["last_indexed_at"] == after["database"]["last_change_at"]
