"""A listing's cursor is the portal's own: one with a time but no offset, a time that overflows
when moved to UTC or China time, or a day where the listing sorts by time (and the reverse) is
a 400 with a sentence on every listing, API and pages, forwards (`cursor`) and backwards
(`before`). Each was a 500 before (a naive time reached the database, an aware one overflowed)."""

from __future__ import annotations

import base64
import json

import pytest
from flask import Flask
from sqlmodel import Session

from factories import basics, enterprise, incident, inspection, publish
from portal.records import Cursor, QueryError, parse_query
from portal.records.kinds import KINDS
from portal.web.views import PUBLIC_KINDS


def _token(value: str, record_id: str = "INC-2012-0001") -> str:
    raw = json.dumps([value, record_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


TAMPERED = {
    "a time without an offset": "2024-01-01T00:00:00",
    "a time that overflows in UTC": "9999-12-31T23:59:59-14:00",
    "a time before the first day": "0001-01-01T00:00:00+14:00",
    "a day out of range": "9999-12-31",
    "not a time": "2024-13-45T00:00:00+00:00",
}


def _wrong_for(kind: str) -> dict[str, str]:
    """Every tampered value, and the kind of sort value this kind's listing never makes."""
    timed = KINDS[kind].date_field.endswith("_at")
    other = "2024-01-01" if timed else "2024-01-01T00:00:00+00:00"
    return {**TAMPERED, "the other kind of sort value": other}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_tampered_cursor_is_a_query_error(kind: str) -> None:
    for why, value in _wrong_for(kind).items():
        with pytest.raises(QueryError) as err:
            parse_query(kind, {"cursor": _token(value)})
        assert "'cursor' is not one this portal made" in err.value.problems[0], why


def test_the_cursors_the_portal_makes_still_decode() -> None:
    assert Cursor.decode(_token("2012-01-15T01:00:00+00:00"), KINDS["incidents"]).id
    assert Cursor.decode(_token("2023-05-06", "INS-2023-0001"), KINDS["inspections"]).id


@pytest.fixture
def listed(app: Flask, session: Session) -> Flask:
    basics(session)
    ent = publish(session, enterprise())
    publish(session, incident(id="INC-2012-0001"))
    publish(session, inspection(ent, id="INS-2023-0001"))
    return app


@pytest.mark.parametrize("kind", PUBLIC_KINDS)
def test_a_tampered_cursor_is_a_400_on_every_listing(listed: Flask, kind: str) -> None:
    client = listed.test_client()
    for why, value in _wrong_for(kind).items():
        token = _token(value)
        addresses = [
            f"/api/v1/{kind}?cursor={token}",
            f"/{kind}?cursor={token}&lang=en",
            f"/{kind}?before={token}&lang=en",
        ]
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 400, (why, address, response.status_code)
            assert "not one this portal made" in response.get_data(as_text=True), (why, address)
