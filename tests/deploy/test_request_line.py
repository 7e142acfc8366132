"""An address too long for gunicorn is refused the way the portal refuses anything: 414 with
problem+json and a sentence, not gunicorn's HTML page (issue 19).

gunicorn reads a request line of at most 8,190 bytes (limit_request_line; past that only
"unlimited" is left), so the project's gunicorn.conf.py answers a longer one itself; a query
string over the API's 8,000 bytes that fits the line is refused by the app.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import gunicorn


def _get(port: int, target: str) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", target)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read().decode()
    finally:
        conn.close()


@pytest.fixture
def served(sample_url: str, sample_index: Path, tmp_path: Path) -> Iterator[int]:
    """The sample portal under gunicorn with the project's gunicorn.conf.py; its port."""
    with gunicorn(
        tmp_path / "gunicorn.log",
        PORTAL_DATABASE_URL=sample_url,
        PORTAL_INDEX_DIR=str(sample_index),
    ) as port:
        yield port


def test_an_address_too_long_for_gunicorn_is_a_problem(served: int) -> None:
    status, media, body = _get(served, "/api/v1/incidents?text=" + "x" * 9000)
    assert status == 414
    assert media == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == 414 and problem["title"] == "URI Too Long"
    assert "shorten the query string" in problem["detail"]


def test_a_long_query_string_that_fits_the_line_is_refused_by_the_app(served: int) -> None:
    status, media, body = _get(served, "/api/v1/incidents?text=" + "x" * 8100)
    assert (status, media) == (414, "application/problem+json")
    assert "the API takes up to 8,000" in json.loads(body)["detail"]
    assert _get(served, "/api/v1/incidents?limit=1")[0] == 200
