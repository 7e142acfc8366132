"""Atom and RSS feeds, read by a real feed client (feedparser): every feed, filters, corrections,
withdrawals, conditional requests, bad input and hostile text."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

import factories
from portal import records
from portal.feeds import xml_text

FEEDS = (
    "/feeds/all",
    "/feeds/incidents",
    "/feeds/inspections",
    "/feeds/disclosures",
    "/feeds/enterprises",
    "/feeds/departments",
    "/feeds/enterprises/ENT-0028",
    "/feeds/departments/DEP-GX-HC-EEB",
)


def parsed(client: FlaskClient, url: str) -> Any:
    """Fetch a feed and parse it as a feed reader would; it must be well formed."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


def ids_of(feed: Any) -> list[str]:
    return [e.id.rsplit(":", 1)[1] for e in feed.entries]


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_every_feed_is_well_formed_and_its_links_resolve(
    sample_client: FlaskClient, fmt: str
) -> None:
    seen_links: set[str] = set()
    for path in (*FEEDS, "/feeds/search", "/feeds/incidents"):
        url = f"{path}.{fmt}" + ("?q=镉" if path.endswith("search") else "")
        feed = parsed(sample_client, url)
        assert feed.version.startswith(fmt), (url, feed.version)
        assert feed.entries, url
        for entry in feed.entries:
            assert entry.title and entry.id.startswith("tag:")
            assert entry.get("author") or entry.get("author_detail"), url
            seen_links.add(entry.link)
    for link in sorted(seen_links)[:60]:  # the pages behind the entries exist
        parts = urlsplit(link)
        page = sample_client.get(parts.path)
        assert page.status_code == 200, link
        if parts.fragment:
            assert f'id="{parts.fragment}"' in page.get_data(as_text=True)


def test_filters_of_the_listing_apply(sample_client: FlaskClient) -> None:
    feed = parsed(sample_client, "/feeds/incidents.atom?province=广西&pollutant=cadmium&limit=200")
    listing = sample_client.get("/api/v1/incidents?province=45&pollutant=Cd&limit=1000").get_json()
    assert set(ids_of(feed)) == {i["id"] for i in listing["items"]}
    assert "INC-2012-0001" in ids_of(feed)
    everything = parsed(sample_client, "/feeds/incidents.atom?limit=200")
    assert len(everything.entries) > len(feed.entries)
    # A filter only inspections carry leaves only inspections in the feed of everything.
    violations = parsed(sample_client, "/feeds/all.atom?outcome=violation")
    assert violations.entries
    assert {t.term for e in violations.entries for t in e.tags[:1]} == {"inspections"}


def test_language_and_categories(sample_client: FlaskClient) -> None:
    zh = parsed(sample_client, "/feeds/incidents.atom?province=45&pollutant=Cd&limit=200")
    en = parsed(sample_client, "/feeds/incidents.atom?province=45&pollutant=Cd&limit=200&lang=en")
    by_id_zh = dict(zip(ids_of(zh), zh.entries, strict=True))
    by_id_en = dict(zip(ids_of(en), en.entries, strict=True))
    longjiang_zh, longjiang_en = by_id_zh["INC-2012-0001"], by_id_en["INC-2012-0001"]
    assert "龙江" in longjiang_zh.title and "Longjiang" in longjiang_en.title
    assert zh.feed.language == "zh-CN" and en.feed.language == "en"
    # Chinese by default, with the English beside it where the record has it.
    assert "Longjiang" in longjiang_zh.summary and "龙江" in longjiang_zh.summary
    assert "cadmium" in {t.label for t in longjiang_en.tags}
    assert "镉" in {t.label for t in longjiang_zh.tags}
    assert "Guangxi" in en.feed.title and "广西" in zh.feed.title


def test_limit(sample_client: FlaskClient) -> None:
    assert len(parsed(sample_client, "/feeds/all.atom").entries) == 50
    assert len(parsed(sample_client, "/feeds/all.atom?limit=200").entries) == 200
    assert len(parsed(sample_client, "/feeds/all.rss?limit=3").entries) == 3


def test_enterprise_feed_follows_everything_about_it(sample_client: FlaskClient) -> None:
    ids = set(ids_of(parsed(sample_client, "/feeds/enterprises/ENT-0028.atom?limit=200")))
    assert "ENT-0028" in ids  # its own record: a correction to its profile shows too
    assert "INC-2019-0001" in ids  # an incident naming it
    assert {"RSP-2019-0001", "RSP-2019-0004"} <= ids  # its responses
    inspections = sample_client.get("/api/v1/inspections?enterprise=ENT-0028").get_json()
    assert {i["id"] for i in inspections["items"]} <= ids
    assert not any(i.startswith("ENT-") and i != "ENT-0028" for i in ids)


def test_department_feed_is_what_it_published(sample_client: FlaskClient) -> None:
    ids = ids_of(parsed(sample_client, "/feeds/departments/DEP-GX-HC-EEB.atom?limit=200"))
    assert "INC-2025-0001" in ids
    for record_id in ids:
        item = sample_client.get(f"/api/v1/{records.kind_of_id(record_id).name}/{record_id}")
        body = item.get_json()
        published_by = body["publisher_id"]
        updates = {u["department_id"] for u in body.get("updates", [])}
        assert published_by.startswith("DEP-GX-HC") or updates & {"DEP-GX-HC-EEB"}, record_id


def test_search_feed_follows_the_search(sample_client: FlaskClient) -> None:
    feed = parsed(sample_client, "/feeds/search.atom?q=镉&kind=incidents&limit=100")
    found = sample_client.get("/api/v1/search?q=镉&kind=incidents&limit=50").get_json()
    assert set(ids_of(feed)) >= {i["id"] for i in found["items"]}
    assert all(i.startswith("INC-") for i in ids_of(feed))
    # Newest first, not by relevance.
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)


def _atom(client: FlaskClient, url: str) -> Any:
    return parsed(client, url)


def test_a_correction_moves_the_entry_and_says_what_and_why(
    client: FlaskClient, session: Session
) -> None:
    ids = factories.basics(session)
    incident = factories.incident()
    factories.publish(session, incident)
    other = factories.incident(title_zh="另一事件")
    factories.publish(session, other)
    before = _atom(client, "/feeds/incidents.atom")
    assert ids_of(before)[0] == other["id"]
    first = before.entries[ids_of(before).index(incident["id"])]

    records.correct(
        session,
        incident["id"],
        {"status": "contained"},
        reason="县环保局确认已截断污染源",
        author_id=ids["bureau"],
    )
    session.commit()
    after = _atom(client, "/feeds/incidents.atom")
    entry = after.entries[0]
    assert ids_of(after)[0] == incident["id"]  # back on top, under the same id
    assert entry.id == first.id
    assert datetime.fromisoformat(entry.updated) > datetime.fromisoformat(first.updated)
    assert entry.published == first.published
    assert "县环保局确认已截断污染源" in entry.summary
    assert "status" in entry.summary and "contained" in entry.summary
    english = _atom(client, "/feeds/incidents.atom?lang=en").entries[0]
    assert "Corrected (revision 2" in english.summary


def test_a_withdrawal_stays_in_the_feed_saying_who_and_why(
    client: FlaskClient, session: Session
) -> None:
    ids = factories.basics(session)
    incident = factories.incident()
    factories.publish(session, incident)
    records.withdraw(
        session, incident["id"], reason="重复录入，见另一条记录", author_id=ids["bureau"]
    )
    session.commit()
    for url in ("/feeds/incidents.atom", "/feeds/all.rss", "/feeds/departments/DEP-MEE.atom"):
        feed = _atom(client, url)
        entry = feed.entries[ids_of(feed).index(incident["id"])]
        assert entry.title.startswith("【已撤回】"), url
        assert "重复录入，见另一条记录" in entry.summary
        assert "广西壮族自治区生态环境厅" in entry.summary  # who withdrew it
    english = _atom(client, "/feeds/incidents.atom?lang=en").entries[0]
    assert english.title.startswith("[Withdrawn]")
    assert "Guangxi Department of Ecology and Environment" in english.summary
    # The listing and the page no longer list it; only the feed keeps the tombstone.
    assert client.get("/api/v1/incidents").get_json()["total"] == 0


def test_conditional_requests(client: FlaskClient, session: Session) -> None:
    factories.basics(session)
    factories.publish(session, factories.incident())
    first = client.get("/feeds/incidents.atom")
    assert first.status_code == 200
    assert "max-age=" in first.headers["Cache-Control"]
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get("/feeds/incidents.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    assert (
        client.get("/feeds/incidents.atom", headers={"If-Modified-Since": modified}).status_code
        == 304
    )
    # Another format or language is another document.
    assert client.get("/feeds/incidents.rss", headers={"If-None-Match": etag}).status_code == 200
    assert (
        client.get("/feeds/incidents.atom?lang=en", headers={"If-None-Match": etag}).status_code
        == 200
    )
    factories.publish(session, factories.incident())
    changed = client.get("/feeds/incidents.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/feeds/bogus.atom", 404, "no feed"),
        ("/feeds/incidents.xml", 404, "no feed"),
        ("/feeds/enterprises/ENT-NOPE.atom", 404, "no record"),
        ("/feeds/enterprises/DEP-MEE.atom", 404, "no record"),
        ("/feeds/departments/..%2F..%2Fetc%2Fpasswd.atom", 404, ""),
        ("/feeds/enterprises/" + "A" * 5000 + ".atom", 404, "no record"),
        ("/feeds/incidents.atom?province=Atlantis", 400, "province"),
        ("/feeds/incidents.atom?colour=red", 400, "colour"),
        ("/feeds/incidents.atom?outcome=violation", 400, "outcome"),
        ("/feeds/incidents.atom?from=2024-13-01", 400, "from"),
        ("/feeds/incidents.atom?text=%00", 400, "control"),
        ("/feeds/incidents.atom?sort=oldest", 400, "sort"),
        ("/feeds/incidents.atom?cursor=abc", 400, "cursor"),
        ("/feeds/incidents.atom?limit=0", 400, "limit"),
        ("/feeds/incidents.atom?limit=-1", 400, "limit"),
        ("/feeds/incidents.atom?limit=201", 400, "limit"),
        ("/feeds/incidents.atom?limit=10e9", 400, "limit"),
        ("/feeds/incidents.atom?lang=fr", 400, "lang"),
        ("/feeds/enterprises/ENT-0028.atom?enterprise=ENT-0001", 400, "enterprise"),
        ("/feeds/search.atom", 400, "q"),
        ("/feeds/search.atom?q=" + "x" * 5000, 400, "q"),
        ("/feeds/search.atom?q=镉&kind=tips", 400, "kind"),
        ("/feeds/records/INC-NOPE-0001.atom", 404, "no record"),
        ("/feeds/records/RSP-2019-0001.atom", 404, "feed of the incident"),
        ("/feeds/records/TIP-2023-0001.rss", 404, "no record"),
        ("/feeds/records/" + "A" * 5000 + ".atom", 404, "no record"),
        ("/feeds/records/INC-2012-0001.xml", 404, "no feed"),
        ("/feeds/records/INC-2012-0001.atom?province=45", 400, "province"),
        ("/feeds/records/INC-2012-0001.atom?limit=0", 400, "limit"),
        ("/feeds/responses.atom?subject=ENT-0028", 400, "subject"),
    ],
)
def test_bad_addresses_are_problems(
    sample_client: FlaskClient, url: str, status: int, words: str
) -> None:
    response = sample_client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert words.lower() in body["detail"].lower()


HOSTILE = {
    "title_zh": "<script>alert('x')</script> ]]> {{7*7}} \u202eRTL\u202c & <b>",
    "title_en": "]]><![CDATA[ <img src=x onerror=alert(1)> &amp; \u200f",
    "summary_zh": "</summary></entry><entry><title>伪造</title> ' \" \\ \u2028 行",
    "summary_en": "'; DROP TABLE incident; -- <iframe src=//evil>",
    "river_zh": "../../etc/passwd",
}


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_hostile_text_stays_text(client: FlaskClient, session: Session, fmt: str) -> None:
    factories.basics(session)
    incident = factories.incident(**HOSTILE)
    factories.publish(session, incident)
    for lang in ("zh", "en"):
        response = client.get(f"/feeds/incidents.{fmt}?lang={lang}")
        raw = response.get_data(as_text=True)
        for tag in ("<script", "<img", "<iframe", "<![CDATA[", "<b>"):
            assert tag not in raw
        feed = feedparser.parse(response.data)
        assert feed.bozo == 0
        assert len(feed.entries) == 1  # no entry smuggled in by the summary
        title = feed.entries[0].title
        wanted = HOSTILE["title_en"] if lang == "en" else HOSTILE["title_zh"]
        # Atom titles are text; RSS readers take titles as HTML, so there it arrives escaped
        # and shows as the same characters.
        assert (html.unescape(title) if fmt == "rss" else title) == wanted


def test_characters_xml_cannot_carry_are_dropped() -> None:
    assert xml_text("a\x00b\x1bc\ufffed\ud800e\t\n") == "abcde\t\n"
    assert xml_text("镉 \u202e ok") == "镉 \u202e ok"


def test_pages_link_their_feeds(sample_client: FlaskClient) -> None:
    pages = {
        "/incidents?province=45&pollutant=Cd": "/feeds/incidents.atom?",
        "/enterprises/ENT-0028": "/feeds/enterprises/ENT-0028.atom",
        "/departments/DEP-MEE": "/feeds/departments/DEP-MEE.atom",
        "/incidents/INC-2012-0001": "/feeds/incidents.atom",
        "/search?q=镉": "/feeds/search.atom?q=",
    }
    for page, feed in pages.items():
        html = sample_client.get(page).get_data(as_text=True)
        assert 'rel="alternate" type="application/atom+xml"' in html, page
        assert 'rel="alternate" type="application/rss+xml"' in html, page
        assert feed in html, page
        assert "订阅" in html and 'id="feed-url"' in html, page
    listing = sample_client.get("/incidents?province=45&pollutant=Cd&lang=en").get_data(
        as_text=True
    )
    assert "Subscribe" in listing
    assert "province=45" in listing and "pollutant=Cd" in listing and "lang=en" in listing
    # The address given to copy is a feed that answers.
    start = listing.index('id="feed-url"')
    value = listing[listing.index('value="', start) + 7 :]
    url = value[: value.index('"')].replace("&amp;", "&")
    assert parsed(sample_client, urlsplit(url).path + "?" + urlsplit(url).query).entries


def test_data_page_explains_feeds_in_both_languages(sample_client: FlaskClient) -> None:
    zh = sample_client.get("/data?lang=zh").get_data(as_text=True)
    en = sample_client.get("/data?lang=en").get_data(as_text=True)
    assert "订阅源" in zh and "/feeds/all.atom" in zh
    assert "A feed is an address" in en and "/feeds/enterprises/&lt;id&gt;.atom" in en
    assert 'id="feeds"' in zh


def test_examples_in_the_feeds_guide_work(sample_client: FlaskClient) -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "feeds.md").read_text("utf-8")
    examples = re.findall(r"curl '(http://127\.0\.0\.1:5000[^']+)'", guide)
    assert len(examples) >= 3
    for url in examples:
        parts = urlsplit(url)
        feed = parsed(sample_client, f"{parts.path}?{parts.query}")
        assert feed.entries, url
