"""The compliance table's figures (issue 22) are what a plain count over the public records
gives, for every enterprise, under every filter; every column sorts both ways with ties ordered
by id; pages put together are the whole table; the query parser refuses what it cannot read."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from sqlmodel import Session

from factories import basics, enterprise, incident, inspection, publish
from portal import records
from portal.records import RecordQuery, compliance
from portal.records.compliance import ComplianceQuery, Order
from portal.records.query import QueryError

CITIES = (("河池市", "Hechi"), ("柳州市", "Liuzhou"))
PARKS = (None, ("金城江工业园", "Jinchengjiang Park"))
SECTORS = ("primary_smelting", "secondary_lead", "mining")


def _world(session: Session, seed: int = 22) -> None:
    """Twelve enterprises in two provinces with inspections of every outcome, fines, penalties
    in CNY and USD (on incidents and on enterprises), withdrawn records and many ties."""
    basics(session)
    rng = random.Random(seed)
    ids = []
    for n in range(12):
        city = CITIES[n % 2]
        park = PARKS[n % 3 == 0]
        own = []
        if n % 4 == 1:
            own = [
                {"amount": rng.choice([50000, 80000]), "currency": "CNY", "authority_zh": "海关"}
            ]
        if n % 5 == 2:
            own.append(
                {"amount": 1000, "currency": "EUR", "authority_zh": "法院", "approximate": True}
            )
        ent = enterprise(
            id=f"ENT-C{n:02d}",
            province="45" if n < 8 else "44",
            city_zh=city[0],
            city_en=city[1],
            park_zh=park[0] if park else None,
            park_en=park[1] if park else None,
            sector=SECTORS[n % 3],
            penalties=own,
        )
        publish(session, ent)
        ids.append(ent["id"])
    for n in range(40):
        outcome = rng.choice(["compliant", "violation", "rectification_ordered"])
        extra: dict[str, Any] = {"outcome": outcome}
        if outcome == "compliant":
            extra["penalty_yuan"] = None
        else:
            extra["penalty_yuan"] = rng.choice([None, 10000, 20000, 120000])
        if outcome == "rectification_ordered" and rng.random() < 0.5:
            extra["follow_up_zh"] = "已整改。"
        day = date(2020 + rng.randrange(5), rng.randrange(1, 13), rng.randrange(1, 28))
        publish(
            session,
            inspection(
                rng.choice(ids[:10]), id=f"INS-C-{n:03d}", inspected_on=day.isoformat(), **extra
            ),
        )
    for n in range(8):
        named = rng.sample(ids, rng.randrange(1, 3))
        fined = [
            {
                "enterprise_id": e,
                "amount": rng.choice([None, 162000]),
                "currency": "USD",
                "authority_zh": "法院",
            }
            for e in named
            if rng.random() < 0.6
        ]
        publish(
            session,
            incident(
                id=f"INC-C-{n:03d}",
                responsible=[{"enterprise_id": e} for e in named],
                penalties=fined,
            ),
        )
    for gone in ("INS-C-000", "INS-C-001", "INC-C-000", "ENT-C11"):
        records.withdraw(session, gone, reason="published in error", author_id="DEP-MEE")
    session.commit()


def _recount(session: Session, query: ComplianceQuery) -> dict[str, dict[str, Any]]:
    """The figures by counting the public records one by one (no SQL of the table's)."""
    listing = RecordQuery(
        kind="enterprises",
        province=query.province,
        city=query.city,
        sector=query.sector,
        park=query.park,
        limit=1000,
    )
    _, ents = records.list_records(session, listing)
    _, inspections = records.list_records(session, RecordQuery(kind="inspections", limit=1000))
    _, incidents = records.list_records(session, RecordQuery(kind="incidents", limit=1000))
    out: dict[str, dict[str, Any]] = {}
    fines: dict[str, Counter[str]] = defaultdict(Counter)
    counts: Counter[str] = Counter()
    about: dict[str, set[str]] = defaultdict(set)
    for e in ents:
        for p in e.penalties:
            counts[e.id] += 1
            fines[e.id][p.currency] += p.amount or 0
            if p.approximate:
                about[e.id].add(p.currency)
    for i in inspections:
        if i.penalty_yuan:
            counts[i.enterprise_id] += 1
            fines[i.enterprise_id]["CNY"] += i.penalty_yuan
    for inc in incidents:
        for p in inc.penalties:
            counts[p.enterprise_id] += 1
            fines[p.enterprise_id][p.currency] += p.amount or 0
    for e in ents:
        mine = [i for i in inspections if i.enterprise_id == e.id]
        out[e.id] = {
            "inspections": len(mine),
            "violations": sum(i.outcome == "violation" for i in mine),
            "open_orders": sum(
                i.outcome == "rectification_ordered" and not i.follow_up_zh for i in mine
            ),
            "last_inspection": max((i.inspected_on for i in mine), default=None),
            "penalties": counts[e.id],
            "fines_cny": fines[e.id]["CNY"],
            "fines": sorted(
                ((c, a, c in about[e.id]) for c, a in fines[e.id].items()),
                key=lambda f: (f[0] != "CNY", f[0]),
            ),
            "incidents": sum(
                any(r.enterprise_id == e.id for r in inc.responsible) for inc in incidents
            ),
        }
    return out


FILTERS = [
    {},
    {"province": "45"},
    {"city": "Liuzhou"},
    {"city": "河池市", "sector": "mining"},
    {"park": "Jinchengjiang Park"},
    {"province": "44", "sector": "primary_smelting"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=[repr(f) for f in FILTERS])
def test_the_figures_are_a_plain_count_of_the_records(
    session: Session, filters: dict[str, str]
) -> None:
    _world(session)
    overdue = {"ENT-C03": 2, "ENT-C05": 1, "ENT-C11": 4}
    query = compliance.parse_compliance_query(filters, default_limit=1000)
    page = compliance.compliance_page(session, query, overdue)
    expected = _recount(session, query)
    assert page.total == len(expected) == len(page.rows)
    assert "ENT-C11" not in expected  # withdrawn: no row
    for row in page.rows:
        want = expected[row.enterprise_id]
        got = row.model_dump()
        got["fines"] = [(f["currency"], f["amount"], f["approximate"]) for f in got["fines"]]
        assert {k: got[k] for k in want} == want, row.enterprise_id
        assert row.overdue_disclosures == overdue.get(row.enterprise_id, 0)
    if not filters:  # the world has what the test means to check
        assert {r.enterprise_id for r in page.rows if len(r.fines) > 1}
        assert any(r.open_orders for r in page.rows) and any(r.incidents for r in page.rows)


def test_every_column_sorts_both_ways_ties_by_id_and_pages_add_up(session: Session) -> None:
    _world(session)
    overdue = {"ENT-C03": 2, "ENT-C05": 1}
    for sort in compliance.SORTS:
        for order in Order:
            whole = compliance.compliance_page(
                session, ComplianceQuery(sort=sort, order=order, limit=1000), overdue
            ).rows
            field = {"name": "name_zh", "id": "enterprise_id", "city": "city_zh", "park": "park_zh"}
            key = field.get(sort, sort)
            values = [getattr(r, key) for r in whole]
            present = [v for v in values if v is not None]
            assert values[: len(present)] == present, (sort, order)  # empty last
            assert present == sorted(present, reverse=order == Order.desc), (sort, order)
            for a, b in pairwise(whole):
                if getattr(a, key) == getattr(b, key):
                    assert a.enterprise_id < b.enterprise_id, (sort, order)
            pages = []
            for number in (1, 2, 3, 4):
                query = ComplianceQuery(sort=sort, order=order, page=number, limit=3)
                pages += compliance.compliance_page(session, query, overdue).rows
            assert pages == whole, (sort, order)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ({"sort": "fines_other"}, "'sort' must be one of name, id, province"),
        ({"sort": "name;drop table enterprise"}, "'sort' must be one of"),
        ({"order": "sideways"}, "'order' must be asc (smallest first) or desc"),
        ({"province": "Atlantis"}, "Unknown province 'Atlantis'"),
        ({"sector": "banking"}, "'sector' must be one of"),
        ({"page": "0"}, "'page' must be a whole number from 1 to 100,000."),
        ({"page": "1" + "0" * 30}, "'page' must be a whole number from 1 to 100,000."),
        ({"page": "٣"}, "'page' must be a whole number"),
        ({"limit": "5000"}, "'limit' must be a whole number from 1 to 1,000."),
        ({"city": "x" * 501}, "'city' is longer than 500 characters."),
        ({"kind": "x"}, "Unknown parameter 'kind'; the compliance table takes city, limit"),
    ],
)
def test_a_query_it_cannot_read_is_refused_with_a_sentence(
    args: dict[str, str], words: str
) -> None:
    with pytest.raises(QueryError) as caught:
        compliance.parse_compliance_query(args)
    assert any(words in p for p in caught.value.problems), caught.value.problems


def test_a_page_past_the_last_says_how_many_there_are(session: Session) -> None:
    _world(session)
    with pytest.raises(compliance.PageOutOfRange) as caught:
        compliance.compliance_page(session, ComplianceQuery(page=3, limit=10), {})
    assert caught.value.problems == [
        "Page 3 is past the last page (2) of 12 enterprises at 10 a page."
    ]
    empty = ComplianceQuery(province="11")
    assert compliance.compliance_page(session, empty, {}).rows == []  # page 1 of nothing is fine
