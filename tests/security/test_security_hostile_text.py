"""Hostile text published through the write API comes back on every surface as the text it was:
escaped in HTML (nothing injected runs), exact in JSON and NDJSON, defused in CSV, plain text in
feeds, never evaluated as a template; odd and traversing ids are a 404, never a file."""

from __future__ import annotations

import csv
import html
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import feedparser
import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hostile import CORPUS, FORMULA_STARTS, HUGE, LONG_ASTRAL, ODD_IDS, TEMPLATE_MARKS
from lxml import etree
from sqlmodel import Session, func, select

from conftest import Databases, _app
from factories import bureau, department, enterprise, incident, publish, publishing_token
from portal.db import get_engine
from portal.models import Revision
from portal.search import service_of

EVIL_URL = "https://evil.example/\"><script>alert('src')</script>"
ENT_NAME = "<svg/onload=alert('ent')>{{7*7}}冶炼厂"
ROLE = "\"><img src=x onerror=alert('role')>"
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class World:
    app: Flask
    client: FlaskClient
    url: str
    texts: dict[str, str]  # incident id -> the hostile text it carries
    enterprise_id: str
    auth: dict[str, str]


def _incident(record_id: str, text: str, enterprise_id: str) -> dict[str, Any]:
    data = incident(
        id=record_id,
        title_zh=text,
        title_en=text,
        summary_zh=f"{text} 摘要",
        summary_en=f"{text} summary",
        river_zh=text[:200],
        place_zh=text[:200],
        updates=[
            {"department_id": "DEP-GX-EEB", "at": "2012-01-20T10:00:00+08:00", "text_zh": text}
        ],
        responsible=[{"enterprise_id": enterprise_id, "role_zh": ROLE}],
        sources=[{"title": text, "url": EVIL_URL}],
    )
    data.pop("publisher_id")
    return data


@pytest.fixture(scope="module")
def world(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One database with every hostile text published through the API, built once."""
    tmp = tmp_path_factory.mktemp("hostile")
    url = databases.fresh(databases.template("empty"), tmp)
    with Session(get_engine(url)) as session:
        publish(session, department())
        publish(session, bureau())
    app = _app(url, tmp / "index")
    service_of(app).rebuild(procs=1)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {publishing_token(app, 'DEP-GX-EEB')}"}
    ent = enterprise(name_zh=ENT_NAME, name_en=ENT_NAME)
    ent.pop("publisher_id")
    made = client.post("/api/v1/enterprises", json=ent, headers=auth)
    assert made.status_code == 201, made.get_json()
    texts = {}
    for n, (_name, text) in enumerate(CORPUS, 1):
        record_id = f"INC-SEC-{n:04d}"
        sent = client.post(
            "/api/v1/incidents", json=_incident(record_id, text, ent["id"]), headers=auth
        )
        assert sent.status_code == 201, (text, sent.get_json())
        texts[record_id] = text
    yield World(app, client, url, texts, ent["id"], auth)
    databases.drop(url)


# -- what "inert" means for a page ----------------------------------------------------------------
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
FORBIDDEN = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "style"}


def inert_page(page: str) -> Any:
    """Parse a page as a browser would and assert nothing in it can run but our own files:
    scripts only from /static, no event handlers, no script: or data: links, no frames, no
    base or refresh, no inline style. Returns the parsed document."""
    doc = lxml.html.document_fromstring(page)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue  # comments and processing instructions
        tag = el.tag.rsplit("}", 1)[-1].lower()
        assert tag not in FORBIDDEN, lxml.html.tostring(el)[:200]
        if tag == "script":
            assert (el.get("src") or "").startswith("/static/"), lxml.html.tostring(el)[:200]
            assert not (el.text or "").strip()
        if tag == "meta":
            assert (el.get("http-equiv") or "").lower() != "refresh"
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), (tag, name, value)
            assert local != "style", (tag, name, value)
            if local in URL_ATTRS:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                assert not scheme.startswith(("javascript:", "vbscript:", "data:")), (tag, value)
    return doc


def shown(doc: Any) -> str:
    """The text a reader sees (without scripts, which inert_page allows only as files)."""
    return " ".join(doc.text_content().split())


def words(text: str) -> str:
    return " ".join(text.split())


def no_template_ran(text: str) -> None:
    for mark in TEMPLATE_MARKS:
        assert mark not in text, mark


# -- HTML -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_record_pages_show_hostile_text_as_text(world: World, lang: str) -> None:
    for record_id, text in world.texts.items():
        response = world.client.get(f"/incidents/{record_id}?lang={lang}")
        assert response.status_code == 200, record_id
        page = response.get_data(as_text=True)
        doc = inert_page(page)
        assert words(text) in shown(doc), (record_id, text)
        no_template_ran(page)
        # The hostile source address is a link to itself, http(s) only, never a script.
        hrefs = [a.get("href") for a in doc.iter("a")]
        assert not [h for h in hrefs if h and "<script" in h], hrefs


def test_listing_enterprise_and_history_pages_are_inert(world: World) -> None:
    for url in (
        "/incidents?lang=zh",
        "/incidents?lang=en",
        f"/enterprises/{world.enterprise_id}",
        "/enterprises",
        "/",
        "/incidents/INC-SEC-0001/history",
    ):
        response = world.client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        doc = inert_page(page)
        no_template_ran(page)
        if url.startswith("/incidents?"):
            seen = shown(doc)
            missing = [t for t in world.texts.values() if words(t)[:60] not in seen]
            assert not missing, missing
    ent_page = shown(inert_page(world.client.get(f"/enterprises/{world.enterprise_id}").text))
    assert ENT_NAME in ent_page


def test_search_page_escapes_hits_and_the_query_itself(world: World) -> None:
    # Every summary ends with 摘要: one search finds them all, snippets included.
    response = world.client.get("/search?q=摘要&limit=50")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    inert_page(page)
    no_template_ran(page)
    # The hostile text typed as the query: echoed in the box and the heading, never markup.
    for _name, text in CORPUS:
        answer = world.client.get("/search", query_string={"q": text})
        assert answer.status_code in (200, 400), (text, answer.status_code)
        body = answer.get_data(as_text=True)
        doc = inert_page(body)
        no_template_ran(body)
        boxes = [i.get("value") for i in doc.iter("input") if i.get("name") == "q"]
        if answer.status_code == 200:
            assert text.strip() in boxes or words(text) in shown(doc), text


# -- JSON, NDJSON, CSV ----------------------------------------------------------------------------
def test_json_gives_back_exactly_what_was_published(world: World) -> None:
    for record_id, text in world.texts.items():
        item = world.client.get(f"/api/v1/incidents/{record_id}").get_json()
        assert item["title_zh"] == text and item["title_en"] == text
        assert item["summary_zh"] == f"{text} 摘要"
        assert item["sources"][0] == {"title": text, "url": EVIL_URL, "published_on": None}
    listed = world.client.get("/api/v1/incidents?limit=100").get_json()
    assert {i["id"]: i["title_zh"] for i in listed["items"]} == world.texts


def test_ndjson_round_trips_exactly(world: World) -> None:
    response = world.client.get("/api/v1/incidents.ndjson")
    assert response.status_code == 200
    rows = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert {r["id"]: r["title_zh"] for r in rows} == world.texts
    assert {r["id"]: r["summary_en"] for r in rows} == {
        k: f"{v} summary" for k, v in world.texts.items()
    }


def test_csv_cells_never_start_a_formula(world: World) -> None:
    response = world.client.get("/api/v1/incidents.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["id"] for r in rows} == set(world.texts)
    for row in rows:
        text = world.texts[row["id"]]
        for name, value in row.items():
            assert not value.startswith(FORMULA_STARTS), (name, value)
        # A spreadsheet shows the text after the quote mark: nothing lost, nothing run.
        expected = "'" + text if text.startswith(FORMULA_STARTS) else text
        assert row["title_zh"] == expected


def test_the_export_neutralises_every_formula_start() -> None:
    from portal.api.export import Column, cell

    for start in ("=", "+", "-", "@", "\t", "\r", "\n=", "\u3000=", " @"):
        value = cell(f"{start}1+1", Column.scalar)
        assert isinstance(value, str) and value.startswith("'"), value
    assert cell(["=A1", "Cd"], Column.joined) == "'=A1;Cd"
    assert cell(-3.5, Column.scalar) == -3.5  # a number stays a number


# -- feeds ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_feeds_carry_hostile_text_as_text(world: World, fmt: str) -> None:
    response = world.client.get(f"/feeds/incidents.{fmt}?limit=100")
    assert response.status_code == 200
    raw = response.get_data()
    no_template_ran(raw.decode())
    feed = feedparser.parse(raw)
    assert feed.bozo == 0, feed.get("bozo_exception")
    titles = {e.id.rsplit(":", 1)[1]: e.title for e in feed.entries}
    if fmt == "rss":
        # Readers take an RSS title as HTML: it arrives escaped once, holding no element, and
        # shows as the same characters.
        for title in titles.values():
            assert len(lxml.html.fragment_fromstring(title, create_parent="p")) == 0, title
        titles = {k: html.unescape(v) for k, v in titles.items()}
    assert titles == world.texts
    # The summaries are HTML for the reader to show: the text escaped in it, nothing injected.
    tree = etree.fromstring(raw, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    summaries = (
        tree.iter(f"{ATOM}summary", f"{ATOM}content") if fmt == "atom" else tree.iter("description")
    )
    seen = 0
    for element in summaries:
        assert len(element) == 0, "markup injected into the feed's XML"
        markup = element.text or ""
        if not markup.strip():
            continue
        doc = inert_page(f"<html><body>{markup}</body></html>")
        seen += 1
        no_template_ran(markup)
        assert shown(doc)
    assert seen >= len(world.texts)
    if fmt == "atom":
        for title in tree.iter(f"{ATOM}title"):
            assert len(title) == 0 and title.get("type", "text") == "text"


def test_enterprise_feed_and_page_name_is_text(world: World) -> None:
    feed = feedparser.parse(world.client.get(f"/feeds/enterprises/{world.enterprise_id}.atom").data)
    assert feed.bozo == 0
    assert ENT_NAME in feed.feed.title


# -- too big, and odd ids -------------------------------------------------------------------------
def _revisions(url: str) -> int:
    with Session(get_engine(url)) as session:
        return int(session.exec(select(func.count()).select_from(Revision)).one())


def test_oversized_text_is_refused_whole_and_the_cap_is_kept_whole(world: World) -> None:
    before = _revisions(world.url)
    huge = _incident("INC-SEC-9001", "大", world.enterprise_id) | {"summary_zh": HUGE}
    refused = world.client.post("/api/v1/incidents", json=huge, headers=world.auth)
    assert refused.status_code == 422
    problem = refused.get_json()
    assert refused.mimetype == "application/problem+json"
    assert any("summary_zh" in p for p in problem["problems"]), problem
    assert _revisions(world.url) == before

    long = _incident("INC-SEC-9002", "长", world.enterprise_id) | {"summary_zh": LONG_ASTRAL}
    kept = world.client.post("/api/v1/incidents", json=long, headers=world.auth)
    assert kept.status_code == 201, kept.get_json()
    assert world.client.get("/api/v1/incidents/INC-SEC-9002").get_json()["summary_zh"] == (
        LONG_ASTRAL
    )
    assert LONG_ASTRAL in world.client.get("/incidents/INC-SEC-9002").get_data(as_text=True)


def _paths(odd: str) -> list[str]:
    quoted = quote(odd, safe="/%\\")
    return [
        f"/incidents/{quoted}",
        f"/enterprises/{quoted}",
        f"/incidents/{quoted}/history",
        f"/api/v1/incidents/{quoted}",
        f"/api/v1/snapshots/latest/{quoted}",
        f"/feeds/enterprises/{quoted}.atom",
        f"/tips/{quoted}",
        f"/static/{quoted}",
        f"/{quoted}",
    ]


def test_odd_and_traversing_ids_are_a_404_never_a_file(world: World, tmp_path: Path) -> None:
    # A real snapshot beside a secret file: traversal out of the snapshot folder finds nothing.
    snapshots = tmp_path / "snapshots"
    (snapshots / "2026-01-01").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("the operator's secret")
    world.app.config["SNAPSHOT_DIR"] = str(snapshots)
    passwd = Path("/etc/passwd").read_text() if os.path.exists("/etc/passwd") else "root:x:0:0"
    for odd in [*ODD_IDS, "../../secret.txt", "..%2f..%2fsecret.txt"]:
        for path in _paths(odd):
            response = world.client.get(path)
            assert response.status_code in (404, 400), (path, response.status_code)
            body = response.get_data(as_text=True)
            assert "operator's secret" not in body and passwd[:20] not in body, path
            no_template_ran(body)
            if path.startswith(("/api/", "/feeds/")):
                assert response.mimetype == "application/problem+json", path
                assert response.get_json()["detail"], path
            else:
                assert response.mimetype == "text/html", path
                inert_page(body)


def test_the_page_checker_catches_what_it_looks_for() -> None:
    for bad in (
        "<script>alert(1)</script>",
        "<svg><script>alert(1)</script></svg>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<iframe src=x></iframe>",
        '<p style="display:none">x</p>',
        '<meta http-equiv="refresh" content="0;url=x">',
    ):
        with pytest.raises(AssertionError):
            inert_page(f"<html><body>{bad}</body></html>")
    inert_page('<html><body><script src="/static/a.js"></script>&lt;script&gt;</body></html>')
