"""One record's own feed (/feeds/records/<id>.atom and .rss), read by a real feed client
(feedparser): its events newest first through publish, reply, correct and withdraw, the record
page's Subscribe box and conditional requests (bad addresses: test_feeds.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from sqlmodel import Session
from test_feeds import parsed

import factories
from portal import records

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def keys(feed: Any) -> list[str]:
    """The entries' ids without the tag's authority and date, in feed order."""
    return [e.id.split(":", 2)[2] for e in feed.entries]


def _at(day: int) -> datetime:
    return T0.replace(day=day)


def test_events_newest_first_through_publish_reply_correct_withdraw(
    client: FlaskClient, session: Session
) -> None:
    ids = factories.basics(session)
    ent = ids["enterprise"]
    incident = factories.incident(
        responsible=[{"enterprise_id": ent}],
        updates=[
            {"department_id": "DEP-MEE", "at": "2012-01-20T12:00:00+08:00", "text_zh": "派工作组"},
            {
                "department_id": ids["bureau"],
                "at": "2012-01-25T12:00:00+08:00",
                "text_zh": "投放絮凝剂",
                "text_en": "Flocculant added",
            },
        ],
    )
    inc = incident["id"]
    records.publish(session, records.kind_of_id(inc), incident, author_id=ids["bureau"], now=_at(1))
    session.commit()
    url = f"/feeds/records/{inc}.atom"
    feed = parsed(client, url)
    published = f"{inc}/revisions/1"
    timeline = [
        f"{inc}/updates/{ids['bureau']}/20120125T040000Z",
        f"{inc}/updates/DEP-MEE/20120120T040000Z",
    ]
    assert keys(feed) == [published, *timeline]
    first = feed.entries[0]
    assert first.title.startswith("发布：") and "龙江镉污染" in first.title
    assert datetime.fromisoformat(first.updated) == _at(1)
    assert first.link.endswith(f"/incidents/{inc}")
    assert "河段镉超标" in first.summary
    assert feed.entries[1].title == "广西壮族自治区生态环境厅：进展更新"
    assert "投放絮凝剂" in feed.entries[1].summary

    reply = {
        "id": "RSP-T-0001",
        "publisher_id": ent,
        "enterprise_id": ent,
        "subject_id": inc,
        "text_zh": "本公司已停产整改。",
    }
    records.publish(session, records.kind_of_id("RSP-T-0001"), reply, author_id=ent, now=_at(2))
    records.correct(
        session,
        inc,
        {"status": "contained"},
        reason="县环保局确认已截断污染源",
        author_id=ids["bureau"],
        now=_at(3),
    )
    session.commit()
    feed = parsed(client, url)
    corrected = f"{inc}/revisions/2"
    assert keys(feed) == [corrected, "RSP-T-0001", published, *timeline]
    assert feed.entries[0].title.startswith("更正（第 2 版）：")
    assert "县环保局确认已截断污染源" in feed.entries[0].summary
    assert "contained" in feed.entries[0].summary
    assert "本公司已停产整改" in feed.entries[1].summary
    assert feed.entries[1].link.endswith(f"/incidents/{inc}#RSP-T-0001")
    # The same entry ids as before: a reader shows no event twice.
    assert datetime.fromisoformat(feed.entries[2].updated) == _at(1)

    records.withdraw(
        session, inc, reason="重复录入，见另一条记录", author_id=ids["bureau"], now=_at(4)
    )
    session.commit()
    feed = parsed(client, url)  # a withdrawn record's feed still answers
    assert keys(feed) == [f"{inc}/revisions/3", corrected, "RSP-T-0001", published, *timeline]
    gone = feed.entries[0]
    assert gone.title.startswith("【已撤回】")
    assert "重复录入，见另一条记录" in gone.summary and "广西壮族自治区生态环境厅" in gone.summary
    assert [datetime.fromisoformat(e.updated) for e in feed.entries[:4]] == [
        _at(4),
        _at(3),
        _at(2),
        _at(1),
    ]

    english = parsed(client, f"/feeds/records/{inc}.rss?lang=en")
    assert keys(english) == keys(feed)
    assert english.feed.language == "en" and feed.feed.language == "zh-CN"
    assert english.entries[0].title.startswith("[Withdrawn] Cadmium in the Longjiang")
    assert english.entries[1].title.startswith("Corrected (revision 2): ")
    assert english.entries[-2].title == "Update from Guangxi Department of Ecology and Environment"
    assert "Flocculant added" in english.entries[-2].summary
    assert len(parsed(client, f"{url}?limit=2").entries) == 2


def test_the_record_page_offers_its_own_feed_first(sample_client: FlaskClient) -> None:
    pages = {
        "/incidents/INC-2012-0001": ["/feeds/incidents.atom"],
        "/inspections/INS-2025-0023": ["/feeds/inspections.atom"],
        "/enterprises/ENT-0028": ["/feeds/enterprises/ENT-0028.atom", "/feeds/enterprises.atom"],
        "/departments/DEP-MEE": ["/feeds/departments/DEP-MEE.atom", "/feeds/departments.atom"],
    }
    for page, others in pages.items():
        record_id = page.rsplit("/", 1)[1]
        html = sample_client.get(page + "?lang=en").get_data(as_text=True)
        own = f"/feeds/records/{record_id}.atom?lang=en"
        # The first feed a reader discovers, and the address the Subscribe box gives to copy.
        first = html.index('rel="alternate" type="application/atom+xml"')
        assert own in html[first : html.index(">", first)], page
        start = html.index('id="feed-url"')
        value = html[html.index('value="', start) + 7 :]
        given = value[: value.index('"')].replace("&amp;", "&")
        assert urlsplit(given).path == f"/feeds/records/{record_id}.atom", page
        box = html[html.index('class="subscribe"') :]
        for other in others:  # still offered, after it
            assert other in box, (page, other)
        parts = urlsplit(given)
        feed = parsed(sample_client, f"{parts.path}?{parts.query}")
        assert feed.entries and feed.feed.language == "en"
        assert feed.feed.link.endswith(page + "?lang=en")
    zh = sample_client.get("/incidents/INC-2012-0001").get_data(as_text=True)
    assert "关注这条记录" in zh and "/feeds/records/INC-2012-0001.atom" in zh


def test_longjiang_feed_holds_its_replies_and_timeline(sample_client: FlaskClient) -> None:
    feed = parsed(sample_client, "/feeds/records/INC-2019-0001.atom?limit=200")
    found = keys(feed)
    assert "RSP-2019-0001" in found and "INC-2019-0001/revisions/1" in found
    api = sample_client.get("/api/v1/incidents/INC-2019-0001").get_json()
    assert sum("/updates/" in k for k in found) == len(api["updates"])
    times = [e.updated for e in feed.entries]
    assert times == sorted(times, key=datetime.fromisoformat, reverse=True)


def test_conditional_requests(client: FlaskClient, session: Session) -> None:
    factories.basics(session)
    incident = factories.incident()
    factories.publish(session, incident)
    url = f"/feeds/records/{incident['id']}.atom"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert "max-age=" in first.headers["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url + "?lang=en", headers={"If-None-Match": etag}).status_code == 200
    records.correct(
        session, incident["id"], {"status": "closed"}, reason="事件已结案", author_id="DEP-GX-EEB"
    )
    session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_lower_case_id_finds_the_record(sample_client: FlaskClient) -> None:
    feed = parsed(sample_client, "/feeds/records/inc-2012-0001.atom")
    assert keys(feed)[-1].startswith("INC-2012-0001/")
