"""`portal snapshot`: dated, immutable, checksummed, with a changelog; listed and served."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import frictionless
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from conftest import Portal, _app
from factories import basics, enterprise, incident, publish
from portal import records
from portal.api.snapshot import write_snapshot
from portal.db import get_engine

KINDS = ["enterprises", "incidents", "inspections", "disclosures", "departments", "responses"]


def _sums(folder: Path) -> dict[str, str]:
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ") for line in lines)}


def test_a_snapshot_is_dated_checksummed_and_valid(sample_portal: Portal, tmp_path: Path) -> None:
    tmp_path = tmp_path / "snapshots"
    result = sample_portal("snapshot", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    day = datetime.now(UTC).date().isoformat()
    folder = tmp_path / day
    expected = {f"{k}.{f}" for k in (*KINDS, "readings") for f in ("csv", "ndjson")}
    assert expected | {"changes.csv", "CHANGES.md", "datapackage.json"} == set(_sums(folder))
    for name, digest in _sums(folder).items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    meta = json.loads((folder / "datapackage.json").read_text())
    assert meta["clearwater:previous"] is None
    assert (
        meta["clearwater:changes"]["incidents"]["added"] == meta["clearwater:counts"]["incidents"]
    )
    assert not list(tmp_path.glob(".*"))  # no partial folder left behind


def test_a_snapshot_is_never_overwritten(sample_portal: Portal, tmp_path: Path) -> None:
    tmp_path = tmp_path / "snapshots"
    assert sample_portal("snapshot", "--out", str(tmp_path)).exit_code == 0
    before = _sums(next(tmp_path.iterdir()))
    again = sample_portal("snapshot", "--out", str(tmp_path))
    assert again.exit_code == 1 and "never overwritten" in again.output
    assert _sums(next(tmp_path.iterdir())) == before


def test_the_changelog_says_what_changed_since_the_previous(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    ids = basics(session)
    kept, dropped = incident(), incident()
    publish(session, kept)
    publish(session, dropped)
    engine = get_engine(database_url)
    root = tmp_path / "snapshots"
    first = write_snapshot(engine, root)
    first = first.rename(root / (datetime.now(UTC) - timedelta(days=1)).date().isoformat())
    records.correct(session, kept["id"], {"status": "closed"}, reason="Cleaned up", author_id="X")
    records.withdraw(session, dropped["id"], reason="A duplicate entry", author_id="X")
    added = enterprise()
    publish(session, added)
    second = write_snapshot(engine, root)
    assert first.name < second.name
    changes = list(csv.DictReader(io.StringIO((second / "changes.csv").read_text())))
    assert {(c["kind"], c["id"], c["change"]) for c in changes} == {
        ("incidents", kept["id"], "changed"),
        ("incidents", dropped["id"], "withdrawn"),
        ("enterprises", added["id"], "added"),
    }
    meta = json.loads((second / "datapackage.json").read_text())
    assert meta["clearwater:previous"] == first.name
    assert meta["clearwater:changes"]["incidents"] == {"added": 0, "changed": 1, "withdrawn": 1}
    assert meta["clearwater:counts"]["incidents"] == 1  # the withdrawn one left the set
    assert "1 | 0 | 0" in (second / "CHANGES.md").read_text()
    assert ids["enterprise"] not in (second / "changes.csv").read_text()


def test_the_api_lists_and_serves_snapshots(
    sample_app: Flask, sample_portal: Portal, tmp_path: Path
) -> None:
    client: FlaskClient = sample_app.test_client()
    tmp_path = tmp_path / "snapshots"
    sample_app.config["SNAPSHOT_DIR"] = str(tmp_path)
    assert client.get("/api/v1/snapshots").get_json() == {"items": [], "total": 0, "next": None}
    assert sample_portal("snapshot", "--out", str(tmp_path)).exit_code == 0
    listing = client.get("/api/v1/snapshots").get_json()
    assert listing["total"] == 1
    snap = listing["items"][0]
    assert snap["counts"]["incidents"] == 21 and snap["previous"] is None
    files = {f["name"]: f for f in snap["files"]}
    assert "SHA256SUMS" in files and "incidents.csv" in files
    with client.get(files["incidents.csv"]["url"]) as served:
        assert served.status_code == 200
        assert hashlib.sha256(served.data).hexdigest() == files["incidents.csv"]["sha256"]
        assert "immutable" in served.headers["Cache-Control"]
    with client.get("/api/v1/snapshots/latest/SHA256SUMS") as latest:
        assert latest.status_code == 200
        assert latest.headers["Content-Location"].endswith(f"/{snap['date']}/SHA256SUMS")
    for bad in ["../datapackage.json", ".hidden", "nothing.csv"]:
        response = client.get(f"/api/v1/snapshots/{snap['date']}/{bad}")
        assert response.status_code == 404


def test_a_fresh_install_has_a_snapshot_from_its_first_start(
    portal: Portal, database_url: str, index_dir: Path, tmp_path: Path
) -> None:
    """`make run`'s steps on an empty database: the API lists a snapshot and serves its
    SHA256SUMS at once, instead of `[]` and a 404 until someone runs `portal snapshot`."""
    snapshots = tmp_path / "snapshots"
    portal.env["PORTAL_SNAPSHOT_DIR"] = str(snapshots)
    for step in (["init"], ["load-sample", "--if-empty"], ["snapshot", "--if-none"]):
        result = portal(*step)
        assert result.exit_code == 0, result.output
    again = portal("snapshot", "--if-none")  # the next start: nothing written, no error
    assert again.exit_code == 0 and "none written" in again.output
    assert len(list(snapshots.iterdir())) == 1
    app = _app(database_url, index_dir)
    app.config["SNAPSHOT_DIR"] = str(snapshots)
    client = app.test_client()
    listing = client.get("/api/v1/snapshots").get_json()
    assert listing["total"] == 1 and listing["items"][0]["counts"]["incidents"] == 21
    with client.get("/api/v1/snapshots/latest/SHA256SUMS") as sums:
        assert sums.status_code == 200 and b"incidents.csv" in sums.data
