"""The data package as a data user meets it (issue 22): the sample portal under gunicorn with its
default rate limit, `frictionless validate <url>/api/v1/datapackage.json` twice, pandas reading
every CSV and Parquet download, and a third validation: all succeed, with no 429.

One validation fetches every file twice and each foreign key's resource again; downloads of
unchanged data cost one request each when small (their cost follows the bytes sent), so the
whole round stays inside the default budget of 300 requests a minute."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pandas as pd
from serving import gunicorn

FRICTIONLESS = str(Path(sys.executable).with_name("frictionless"))


def _validate(url: str, cwd: Path) -> dict[str, object]:
    done = subprocess.run(
        [FRICTIONLESS, "validate", "--json", url],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report: dict[str, object] = json.loads(done.stdout)
    errors = [
        (task["name"], error["type"], error["note"][:120])
        for task in report["tasks"]  # type: ignore[attr-defined]
        for error in task["errors"]
    ]
    assert report["valid"] and done.returncode == 0, errors[:10]
    return report


def test_validate_then_pandas_then_validate_again(
    sample_url: str, sample_index: Path, tmp_path: Path
) -> None:
    with gunicorn(
        tmp_path / "gunicorn.log",
        PORTAL_DATABASE_URL=sample_url,
        PORTAL_INDEX_DIR=str(sample_index),
        PORTAL_API_RATE_LIMIT="300 per minute",  # the default, said here
    ) as port:
        base = f"http://127.0.0.1:{port}/api/v1"
        descriptor = f"{base}/datapackage.json"
        first = _validate(descriptor, tmp_path)
        tasks = first["tasks"]
        assert isinstance(tasks, list)
        assert len(tasks) == 21  # six kinds and the readings, in three formats each
        _validate(descriptor, tmp_path)
        with urllib.request.urlopen(descriptor) as reply:
            resources = json.load(reply)["resources"]
        for resource in resources:
            url = f"{base}/{resource['path']}"
            if resource["format"] == "csv":
                frame = pd.read_csv(url, dtype=str, keep_default_na=False)
            elif resource["format"] == "parquet":
                frame = pd.read_parquet(url)
            else:
                frame = pd.read_json(url, lines=True)
            assert len(frame) > 0, resource["name"]
            assert list(frame.columns) == [f["name"] for f in resource["schema"]["fields"]]
        _validate(descriptor, tmp_path)
        with urllib.request.urlopen(f"{base}/departments?limit=1") as reply:
            left = int(reply.headers["RateLimit-Remaining"])
        assert left > 0  # and room to spare
