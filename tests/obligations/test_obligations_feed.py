"""The feed of obligations that became overdue, read by a feed client: a journalist learns the
day after 15 March who missed it; entries keep their id for ever."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

import factories


def parsed(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


@pytest.fixture
def missed(session: Session) -> str:
    """A key discharger from 2023 that files nothing."""
    factories.publish(session, factories.department())
    factories.publish(session, factories.bureau())
    ent = factories.enterprise(
        name_zh="逾期测试冶炼厂",
        name_en="Overdue Test Smelter",
        designations=[
            {
                "kind": "key_discharger",
                "from_year": 2023,
                "department_id": "DEP-GX-EEB",
                "source": {"title": "测试：重点排污单位名录"},
            }
        ],
    )
    return factories.publish(session, ent)


def test_the_day_after_15_march_the_feed_says_who_missed_it(
    app: Flask, client: FlaskClient, missed: str
) -> None:
    app.config["OBLIGATIONS_TODAY"] = "2024-03-15"
    assert parsed(client, "/feeds/obligations.atom").entries == []

    app.config["OBLIGATIONS_TODAY"] = "2024-03-16"
    feed = parsed(client, "/feeds/obligations.atom?lang=en")
    (entry,) = feed.entries
    assert entry.id == f"tag:localhost,2026:obligations/{missed}/annual/2023"
    assert entry.title == "Overdue Test Smelter: annual disclosure report for 2023 overdue"
    assert entry.updated.startswith("2024-03-16T00:00:00+08:00")
    assert "by 2024-03-15" in entry.summary and "As of 2024-03-16" in entry.summary
    assert "key pollutant-discharging unit" in entry.summary
    assert f"enterprise={missed}" in entry.link

    zh = parsed(client, "/feeds/obligations.rss")
    assert zh.entries[0].title == "逾期测试冶炼厂：2023 年度环境信息依法披露报告逾期未披露"
    assert zh.entries[0].id == entry.id


def test_a_late_filing_keeps_the_entry_and_its_id(
    app: Flask, client: FlaskClient, session: Session, missed: str
) -> None:
    app.config["OBLIGATIONS_TODAY"] = "2024-04-01"
    before = parsed(client, "/feeds/obligations.atom?lang=en").entries
    report = factories.disclosure(missed, published_at="2024-03-20T10:00:00+08:00")
    factories.publish(session, report)
    (entry,) = parsed(client, "/feeds/obligations.atom?lang=en").entries
    assert entry.id == before[0].id and entry.updated == before[0].updated
    assert entry.title.endswith("filed 5 day(s) late")
    assert report["id"] in entry.summary


def test_filters_apply_and_status_is_the_feeds_own(
    app: Flask, client: FlaskClient, missed: str
) -> None:
    app.config["OBLIGATIONS_TODAY"] = "2024-06-30"
    assert len(parsed(client, "/feeds/obligations.atom?province=广西&year=2023").entries) == 1
    assert parsed(client, "/feeds/obligations.atom?province=Henan").entries == []
    feed = parsed(client, "/feeds/obligations.atom?type=annual&lang=en")
    assert feed.feed.title == "Clearwater · Overdue environmental disclosures · annual report"
    for bad, said in [
        ("status=overdue", "already fixes 'status'"),
        ("year=2020", "no disclosure obligations for 2020"),
        ("limit=0", "'limit' must be a whole number from 1 to 200"),
        ("colour=red", "Unknown parameter 'colour'"),
    ]:
        response = client.get(f"/feeds/obligations.atom?{bad}")
        assert response.status_code == 400 and response.mimetype == "application/problem+json"
        assert said in response.get_json()["detail"], bad


def test_an_unchanged_feed_answers_304(app: Flask, client: FlaskClient, missed: str) -> None:
    app.config["OBLIGATIONS_TODAY"] = "2024-06-30"
    first = client.get("/feeds/obligations.atom")
    again = client.get("/feeds/obligations.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    app.config["OBLIGATIONS_TODAY"] = "2024-07-01"  # another day, another judgement
    assert (
        client.get(
            "/feeds/obligations.atom", headers={"If-None-Match": first.headers["ETag"]}
        ).status_code
        == 200
    )
