"""Provenance that tells the truth (issue 21, decision 0029): when a record was first published
(and by whom), who entered it here, and when this portal recorded or changed it are kept apart.
Loading the sample or importing a department's old records keeps their publication times in the
revision log; feeds' `updated` is a record's last real change, not the load time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import feedparser
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from conftest import Portal
from factories import basics, incident, publishing_token
from portal.db import get_engine
from portal.models.revision import Revision

LONGJIANG = "INC-2012-0001"
KINDS = {
    "DEP": "departments",
    "ENT": "enterprises",
    "INC": "incidents",
    "INS": "inspections",
    "DIS": "disclosures",
    "RSP": "responses",
}


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _entry_times(client: FlaskClient, path: str) -> dict[str, datetime]:
    """Each entry's record id and `updated`, as a feed reader parses them."""
    feed = feedparser.parse(client.get(path).get_data())
    assert not feed.bozo, feed.bozo_exception
    return {
        e.id.rsplit(":", 1)[1]: datetime(*e.updated_parsed[:6], tzinfo=UTC) for e in feed.entries
    }


def test_feed_entries_are_dated_by_each_records_real_change(
    sample_client: FlaskClient, sample_app: Flask
) -> None:
    entries = _entry_times(sample_client, "/feeds/all.atom")
    assert len(entries) == 50
    loaded: set[datetime] = set()
    for record_id, updated in entries.items():
        kind = KINDS[record_id[:3]]
        record = sample_client.get(f"/api/v1/{kind}/{record_id}").get_json()
        # Never corrected: it last changed when it was published, long before it was loaded.
        assert record["revision"] == 1
        assert updated == _time(record["updated_at"]) == _time(record["published_at"])
        assert _time(record["recorded_at"]) - updated > timedelta(days=300), record_id
        loaded.add(_time(record["recorded_at"]))
    assert len(loaded) == 1  # one load, one moment; and no entry says it
    assert all(t < min(loaded) - timedelta(days=300) for t in entries.values())
    assert len(set(entries.values())) == len(entries)  # no two entries share an `updated`

    # A correction made here is a real change now: its entry says so, the others keep theirs.
    target = next(i for i in entries if i.startswith("INC-"))
    record = sample_client.get(f"/api/v1/incidents/{target}").get_json()
    token = publishing_token(sample_app, record["publisher_id"])
    before = datetime.now(UTC).replace(microsecond=0)
    corrected = sample_client.patch(
        f"/api/v1/incidents/{target}",
        json={"reason": "状态更新", "revision": 1, "changes": {"status": "closed"}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert corrected.status_code == 200, corrected.get_data(as_text=True)
    after = _entry_times(sample_client, "/feeds/all.atom")
    assert after[target] >= before
    assert {i: t for i, t in after.items() if i != target} == {
        i: t for i, t in entries.items() if i in after and i != target
    }
    assert next(iter(after)) == target  # newest recorded first


def test_the_longjiang_incident_says_it_was_compiled_from_press_reports(
    sample_client: FlaskClient,
) -> None:
    record = sample_client.get(f"/api/v1/incidents/{LONGJIANG}").get_json()
    assert record["published_at"] == "2012-01-19T16:00:00Z"  # 20 January, China time
    assert record["first_published_by_en"] == "Xinhua, via China News Service"
    assert record["entered_by"] == "editor" and record["sources"]
    assert record["updated_at"] == record["published_at"]
    recorded = _time(record["recorded_at"])
    assert datetime.now(UTC) - recorded < timedelta(hours=6)

    (revision,) = sample_client.get(f"/api/v1/incidents/{LONGJIANG}/history").get_json()["items"]
    assert revision["published_at"] == "2012-01-19T16:00:00Z"
    assert _time(revision["at"]) == recorded  # the load: recorded, not published, then

    for lang, said in (
        ("en", ("First published", "2012-01-20", "Xinhua, via China News Service",
                "an editor of this portal, compiled from the public sources named below",
                "which did not publish this record itself", "Recorded in this portal")),
        ("zh", ("首次发布", "2012-01-20", "新华社（中国新闻网转载）",
                "本平台编辑，依据下列公开来源整理", "该部门并未自行发布此记录", "本平台收录时间")),
    ):  # fmt: skip
        page = sample_client.get(f"/incidents/{LONGJIANG}?lang={lang}").get_data(as_text=True)
        for text in said:
            assert text in page, (lang, text)
        assert f"{recorded.astimezone(timezone(timedelta(hours=8))):%Y-%m-%d}" in page
    history = sample_client.get(f"/incidents/{LONGJIANG}/history?lang=en").get_data(as_text=True)
    assert "2012-01-20 00:00" in history
    assert "compiled by an editor of this portal from the public sources" in history
    assert "recorded in this portal" in history


def test_an_import_of_old_records_keeps_their_times_and_reaches_mirrors(
    app: Flask, database_url: str, portal: Portal, tmp_path: Path
) -> None:
    with Session(get_engine(database_url)) as session:
        basics(session)
    client = app.test_client()
    before = datetime.now(UTC) - timedelta(seconds=1)
    rows = [
        incident(id="INC-T-OLD1", published_at="2020-07-01T08:00:00+08:00"),
        incident(id="INC-T-OLD2", published_at="2021-03-05T09:30:00+08:00"),
    ]
    path = tmp_path / "incidents.ndjson"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    result = portal("import", str(path), "--as-recorded")
    assert result.exit_code == 0, result.output

    for record_id, published in (
        ("INC-T-OLD1", "2020-07-01T00:00:00Z"),
        ("INC-T-OLD2", "2021-03-05T01:30:00Z"),
    ):
        record = client.get(f"/api/v1/incidents/{record_id}").get_json()
        assert record["published_at"] == record["updated_at"] == published
        assert _time(record["recorded_at"]) >= before
        assert record["entered_by"] == "publisher" and record["first_published_by_zh"] is None
        (revision,) = client.get(f"/api/v1/incidents/{record_id}/history").get_json()["items"]
        assert revision["published_at"] == published and _time(revision["at"]) >= before
    # A mirror asking what changed since before the import gets both: the portal wrote them since.
    since = before.isoformat().replace("+00:00", "Z")
    listed = client.get("/api/v1/incidents", query_string={"updated_since": since}).get_json()
    assert {i["id"] for i in listed["items"]} == {"INC-T-OLD1", "INC-T-OLD2"}
    # The change log stays in commit order (decision 0016): versions follow the file.
    with Session(get_engine(database_url)) as session:
        versions = session.exec(select(Revision.record_id).order_by(col(Revision.version))).all()
    assert versions[-2:] == ["INC-T-OLD1", "INC-T-OLD2"]

    # Importing the same file again changes nothing, and an API write says it was entered now.
    assert "2 unchanged" in portal("import", str(path), "--as-recorded").output
    token = publishing_token(app, "DEP-GX-EEB")
    body = incident(id="INC-T-NEW")
    del body["publisher_id"]
    posted = client.post(
        "/api/v1/incidents", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert posted.status_code == 201, posted.get_data(as_text=True)
    new = client.get("/api/v1/incidents/INC-T-NEW").get_json()
    assert new["published_at"] == new["updated_at"] == new["recorded_at"]


def test_an_editors_record_names_its_sources(app: Flask, database_url: str) -> None:
    with Session(get_engine(database_url)) as session:
        basics(session)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {publishing_token(app, 'DEP-GX-EEB')}"}
    body: dict[str, Any] = incident(id="INC-T-ED1", entered_by="editor")
    del body["publisher_id"]
    refused = client.post("/api/v1/incidents", json=body, headers=headers)
    assert refused.status_code == 422
    assert "names the public sources it was compiled from" in refused.get_data(as_text=True)
    body["sources"] = [{"title": "示例日报", "published_on": "2020-06-30"}]
    body["first_published_by_en"] = "Example Daily"
    refused = client.post("/api/v1/incidents", json=body, headers=headers)
    assert "first_published_by_en translates first_published_by_zh" in refused.get_data(
        as_text=True
    )
    body["first_published_by_zh"] = "示例日报"
    assert client.post("/api/v1/incidents", json=body, headers=headers).status_code == 201
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    create = next(v for k, v in spec.items() if k.startswith("IncidentCreate"))
    assert {"entered_by", "first_published_by_zh", "first_published_by_en"} <= set(
        create["properties"]
    )
    public = next(v for k, v in spec.items() if k == "IncidentItem")
    assert {"recorded_at", "entered_by"} <= set(public["properties"])
