"""Records with extreme but valid values in every field of every kind, published through the
write API, then every page, feed, download, search and assistant answer that shows them: no 5xx.

Extreme means what the models accept at their edges: dates at both ends of the range
(models/times.py, read from there, so widening the range widens the test) in odd offsets, texts
at their longest in Chinese, Arabic, Hebrew, astral and combining characters, numbers at their
bounds, every value of every enumeration, optional fields left out, and many nested parts. The
runs are derandomized, so a failure repeats.
"""

from __future__ import annotations

import itertools
import json
import random
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from conftest import _app, fuzz_settings, portal_like
from factories import basics
from portal.db import get_engine
from portal.models.credit_code import make_credit_code
from portal.models.department import DepartmentFunction, DepartmentLevel
from portal.models.disclosure import DisclosureCategory, ReportType
from portal.models.enterprise import DesignationKind, EnterpriseStatus, Sector
from portal.models.incident import IncidentStatus
from portal.models.inspection import MAX_PENALTY, InspectionKind, Outcome, Sanction
from portal.models.times import EARLIEST, LATEST
from portal.models.tip import TipCreate, TipKind
from portal.models.vocab import pollutants, provinces, unit_spellings
from portal.records.tips import receive_tips
from portal.records.tokens import create_token
from portal.search import SearchService, service_of

EXAMPLES = 8
_n = itertools.count(1)

# -- dates and times at the range's ends, in offsets up to a minute short of a day ------------
_FIRST = datetime.combine(EARLIEST, time.min)
_LAST = datetime.combine(LATEST, time.max)
_WIDEST = 23 * 60 + 59


def _written(moment: datetime, minutes: int) -> str:
    """A wall-clock time written with an offset of `minutes` (Z for none)."""
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    return aware.isoformat().replace("+00:00", "Z")


def _instant_of(text: str) -> datetime:
    return datetime.fromisoformat(text)


OFFSETS = st.one_of(
    st.sampled_from([_WIDEST, -_WIDEST, 0, 8 * 60, 5 * 60 + 45, -9 * 60 - 30, 14 * 60]),
    st.integers(-_WIDEST, _WIDEST),
)
WALL = st.one_of(
    st.sampled_from([_FIRST, _LAST, _LAST.replace(microsecond=0)]),
    st.datetimes(min_value=_FIRST, max_value=_LAST),
)
INSTANT = st.builds(_written, WALL, OFFSETS)
# Publication times have happened: from the range's start up to a little before now.
_NOW = datetime.now().replace(microsecond=0) - timedelta(days=2)
PAST = st.builds(
    _written,
    st.one_of(st.just(_FIRST), st.datetimes(min_value=_FIRST, max_value=_NOW)),
    OFFSETS,
)
DAY = st.one_of(st.sampled_from([EARLIEST, LATEST]), st.dates(EARLIEST, LATEST)).map(date.isoformat)

# -- texts at their longest in every script, and short ones -----------------------------------
PIECES = [
    "龙江河镉污染事件，河池市金城江区",
    "مصهر الرصاص الثانوي في هتشي ",
    "מפעל התכה של עופרת ",
    "𠀀𠀁𪚥🐟☢️ ",
    "e\u0301\u0308 \u200f\u202e\u200d ",
    "<script>alert(1)</script> & \"'` ",
    "Cadmium in the Longjiang ",
]


def _text(cap: int) -> st.SearchStrategy[str]:
    """A text of up to `cap` characters: one piece, or pieces repeated to the cap."""

    def fill(piece: str, full: bool) -> str:
        text = (piece * (cap // len(piece) + 1))[:cap] if full else piece
        return text.strip() or "镉"

    return st.builds(fill, st.sampled_from(PIECES), st.booleans())


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


NAME, TITLE, BODY, SHORT = _text(200), _text(300), _text(20_000), _text(100)
SOURCES = st.lists(
    st.fixed_dictionaries(
        {"title": TITLE},
        optional={"url": st.just("https://example.org/" + "a" * 900), "published_on": DAY},
    ),
    max_size=3,
)
PROVINCE = st.sampled_from(sorted(provinces()))
POLLUTANT = st.sampled_from(sorted(pollutants()))
VALUE = st.sampled_from([0.0, 1e12, 1e-9, 0.0247, 123456.789])
LATITUDE = _maybe(st.sampled_from([-90.0, 90.0, 0.0, 22.5]))
LONGITUDE = _maybe(st.sampled_from([-180.0, 180.0, 0.0, 108.1]))


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


MEASUREMENT = st.builds(
    lambda **kw: _drop_none(kw),
    site_zh=NAME,
    site_en=_maybe(NAME),
    measured_at=_maybe(INSTANT),
    pollutant=POLLUTANT,
    value=VALUE,
    unit=st.sampled_from(["mg/L", "μg/m³", "t/a"]) | SHORT,
    standard=_maybe(st.sampled_from(["GB 3838-2002", "GB 8978-1996"]) | SHORT),
    standard_class=_maybe(st.sampled_from(["I", "III", "V", "二级"])),
    note_zh=_maybe(TITLE),
    note_en=_maybe(TITLE),
)


# A disclosure's figure: a reading's fields with any spelling of the unit vocabulary
# (data/units.csv); or, without a pollutant, an item (an investment, t CO2e, staff trained).
def _figure(reading: dict[str, Any], unit: str, counted: bool, item: str | None) -> dict[str, Any]:
    figure = {**reading, "unit": unit}
    if counted:
        for name in ("pollutant", "standard", "standard_class"):
            figure.pop(name, None)
        figure["item_zh"] = item or "环保投入"
    return figure


FIGURE = st.builds(
    _figure, MEASUREMENT, st.sampled_from(sorted(unit_spellings())), st.booleans(), _maybe(NAME)
)


class World(dict[str, Any]):
    """One example's records by kind; shown by their ids (a whole one runs to 200 kB)."""

    def __repr__(self) -> str:
        return f"World({', '.join(record['id'] for record in self.values())})"


@st.composite
def world_records(draw: st.DrawFn) -> World:
    """One record of every kind (and a tip), their ids and dates drawn to the edges."""
    n = next(_n)
    tag = draw(st.sampled_from([f"{n:04d}", f"ZZZZZZZZZZZZ-YYYYYYYYYYYY-{n:04d}"]))
    dep, ent = f"DEP-FZ-{n:04d}", f"ENT-FZ-{tag}"
    inc, ins, dis, res = f"INC-FZ-{tag}", f"INS-FZ-{tag}", f"DIS-FZ-{tag}", f"RSP-FZ-{tag}"
    began, found = sorted(draw(st.lists(INSTANT, min_size=2, max_size=2)), key=_instant_of)
    inspected, deadline, decided = sorted(draw(st.lists(DAY, min_size=3, max_size=3)))
    start, end = sorted(draw(st.lists(DAY, min_size=2, max_size=2)))
    outcome = draw(st.sampled_from(list(Outcome)))
    punished = outcome != Outcome.compliant
    common = {"sources": draw(SOURCES), "sample": draw(st.booleans())}
    return World(
        departments={
            "id": dep,
            "name_zh": draw(NAME),
            "name_en": draw(_maybe(NAME)),
            "function": draw(st.sampled_from(list(DepartmentFunction))),
            "level": draw(st.sampled_from(list(DepartmentLevel))),
            "parent_id": "DEP-MEE",
            "province": draw(_maybe(PROVINCE)),
            "description_zh": draw(_maybe(BODY)),
            "published_at": draw(PAST),
            **common,
        },
        enterprises={
            "id": ent,
            "name_zh": draw(NAME),
            "name_en": draw(_maybe(NAME)),
            "credit_code": make_credit_code(f"91451200MA5F{n:05d}"),
            "sector": draw(st.sampled_from(list(Sector))),
            "status": draw(st.sampled_from(list(EnterpriseStatus))),
            "province": draw(PROVINCE),
            "city_zh": draw(_maybe(NAME)),
            "county_zh": draw(_maybe(NAME)),
            "park_zh": draw(_maybe(NAME)),
            "latitude": draw(LATITUDE),
            "longitude": draw(LONGITUDE),
            "permit_number": draw(_maybe(SHORT)),
            "description_zh": draw(_maybe(BODY)),
            "description_en": draw(_maybe(BODY)),
            "listed_company": draw(st.booleans()),
            "bond_issuer": draw(st.booleans()),
            "designations": [
                {
                    "kind": kind,
                    "from_year": 2000,
                    "to_year": draw(_maybe(st.sampled_from([2000, 2100]))),
                    "department_id": "DEP-GX-EEB",
                    "source": {"title": draw(TITLE), "published_on": draw(DAY)},
                }
                for kind in draw(st.lists(st.sampled_from(list(DesignationKind)), max_size=2))
            ],
            "published_at": draw(PAST),
            **common,
        },
        incidents={
            "id": inc,
            "title_zh": draw(TITLE),
            "title_en": draw(_maybe(TITLE)),
            "summary_zh": draw(BODY),
            "summary_en": draw(_maybe(BODY)),
            "began_at": draw(st.sampled_from([began, None])),  # unknown start (issue 21)
            "found_at": draw(st.sampled_from([found, None])),
            "river_zh": draw(_maybe(NAME)),
            "place_zh": draw(_maybe(NAME)),
            "province": draw(PROVINCE),
            "city_zh": draw(_maybe(NAME)),
            "latitude": draw(LATITUDE),
            "longitude": draw(LONGITUDE),
            "status": draw(st.sampled_from(list(IncidentStatus))),
            "pollutants": draw(st.lists(POLLUTANT, max_size=30)),
            "readings": draw(st.lists(MEASUREMENT, max_size=40)),
            "responsible": [{"enterprise_id": ent, "role_zh": draw(_maybe(TITLE))}],
            "updates": [
                {"department_id": "DEP-GX-EEB", "at": at, "text_zh": draw(BODY)}
                for at in draw(st.lists(INSTANT, max_size=4))
            ],
            "published_at": draw(PAST),
            **common,
        },
        inspections={
            "id": ins,
            "enterprise_id": ent,
            "inspected_on": inspected,
            "inspection_type": draw(st.sampled_from(list(InspectionKind))),
            "outcome": outcome,
            "findings_zh": draw(BODY),
            "findings_en": draw(_maybe(BODY)),
            "penalty_yuan": draw(st.sampled_from([None, 0, MAX_PENALTY])) if punished else None,
            "measures_zh": draw(_maybe(BODY)),
            "deadline": draw(st.sampled_from([deadline, None])),
            "follow_up_zh": draw(_maybe(BODY)),
            "sanctions": draw(st.lists(st.sampled_from(list(Sanction)))) if punished else [],
            "decided_on": draw(st.sampled_from([decided, None])),
            "pollutants": draw(st.lists(POLLUTANT, max_size=5)),
            "published_at": draw(PAST),
            **common,
        },
        disclosures={
            "id": dis,
            "enterprise_id": ent,
            "category": draw(st.sampled_from(list(DisclosureCategory))),
            "report_type": draw(st.sampled_from(list(ReportType))),
            "period_start": start,
            "period_end": end,
            "title_zh": draw(TITLE),
            "text_zh": draw(BODY),
            "text_en": draw(_maybe(BODY)),
            "figures": draw(st.lists(FIGURE, max_size=40)),
            "published_at": draw(PAST),
            **common,
        },
        responses={
            "id": res,
            "enterprise_id": ent,
            "subject_id": inc,
            "text_zh": draw(BODY),
            "text_en": draw(_maybe(BODY)),
            "published_at": draw(PAST),
        },
        tip={
            "id": f"TIP-FZ-{tag}",
            "kind": draw(st.sampled_from(list(TipKind))),
            "about_id": draw(st.sampled_from([inc, ent, None])),
            "text": draw(BODY),
            "place": draw(_maybe(NAME)),
            "province": draw(_maybe(PROVINCE)),
            "received_at": draw(PAST),
            "contact": draw(_maybe(NAME)),
        },
    )


@pytest.fixture
def portal_app(database_url: str, index_dir: Path) -> Flask:
    """The ministry and the Guangxi bureau with an index, and no rate limits (each example
    makes about eighty requests)."""
    with Session(get_engine(database_url)) as session:
        basics(session)
    SearchService(index_dir, database_url).rebuild(procs=1)
    app = _app(database_url, index_dir)
    return portal_like(app, RATELIMIT_ENABLED=False, ASK_RATE_LIMIT="1000000 per minute")


def _pages(found: dict[str, Any], ent: str) -> list[str]:
    """Every page, feed, download and search that shows the records of one example."""
    word = quote(found["incidents"]["title_zh"][:4])
    paths = [
        "/",
        "/incidents?province=" + found["incidents"]["province"],
        "/departments/DEP-GX-EEB",
        f"/search?q={word}",
        "/obligations",
        "/feeds/all.atom",
        "/feeds/all.rss",
        f"/feeds/search.atom?q={word}",
        f"/feeds/enterprises/{ent}.rss",
        "/feeds/departments/DEP-GX-EEB.atom",
        f"/api/v1/search?q={word}",
        f"/tips/{found['tip']['id']}",
    ]
    for kind, record in found.items():
        if kind == "tip":
            continue
        record_id = record["id"]
        if kind != "responses":
            paths += [f"/{kind}", f"/{kind}/{record_id}", f"/{kind}/{record_id}/history"]
            paths += [f"/feeds/{kind}.atom", f"/feeds/{kind}.rss"]
        paths += [f"/api/v1/{kind}", f"/api/v1/{kind}/{record_id}"]
        paths += [f"/api/v1/{kind}.csv", f"/api/v1/{kind}.ndjson"]
    return paths


def test_extreme_valid_records_break_no_page_feed_download_or_search(
    portal_app: Flask, database_url: str
) -> None:
    client = portal_app.test_client()
    with Session(get_engine(database_url)) as session:
        tokens = {
            "DEP-MEE": create_token(session, "DEP-MEE", scopes=["departments"])[0],
            "DEP-GX-EEB": create_token(session, "DEP-GX-EEB")[0],
        }
        session.commit()

    @given(found=world_records())
    @fuzz_settings(EXAMPLES)
    def run(found: World) -> None:
        random.seed()  # Whoosh names index segments from it; Hypothesis fixes it per example
        ent = found["enterprises"]["id"]
        writers = {"departments": "DEP-MEE", "disclosures": ent, "responses": ent}
        for kind, record in found.items():
            if kind == "tip":
                continue
            if kind == "disclosures":  # the enterprise files its own, once it is published
                with Session(get_engine(database_url)) as session:
                    tokens[ent] = create_token(session, ent)[0]
                    session.commit()
            body = json.dumps(_drop_none(record), ensure_ascii=False)
            token = tokens[writers.get(kind, "DEP-GX-EEB")]
            response = client.post(
                f"/api/v1/{kind}",
                data=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            assert response.status_code == 201, (kind, response.get_data(as_text=True)[:800])
        with Session(get_engine(database_url)) as session:
            tip = TipCreate.model_validate(_drop_none(found["tip"]))
            assert receive_tips(session, [tip], now=datetime.now().astimezone())[2] == []
            session.commit()
        for path in _pages(found, ent):
            response = client.get(path)
            assert response.status_code < 500, (path, response.get_data(as_text=True)[:800])
            if path.split("?")[0].endswith(found["incidents"]["id"]):
                assert response.status_code == 200, path
                if found["incidents"]["began_at"] is None and path.startswith("/incidents/"):
                    assert "不详" in response.get_data(as_text=True), path  # start unknown
        for question in (found["incidents"]["title_zh"], f"{ent} 的处罚"):
            response = client.post("/api/v1/ask", json={"question": question[:300]})
            assert response.status_code < 500, response.get_data(as_text=True)[:800]
        # Every record reached the index: one record that cannot become a document stops none.
        assert service_of(portal_app).check().ok

    run()
