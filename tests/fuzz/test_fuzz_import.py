"""Corrupted, truncated, mis-encoded and malformed files through `portal import`.

A file the portal cannot take whole is refused: the command exits 1 with a line a person can
act on (which line, what is wrong, that nothing was written), and no table changes: not the
records, not their parts, not the revision log, not the audit log. A corruption that leaves a
valid file (a cut exactly between two records, say) imports that file, and the rows it reports
are the rows that arrive.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from conftest import Portal, fuzz_settings, table_counts
from factories import basics, inspection
from portal.db import get_engine

ROWS = 12
CSV_COLUMNS = (
    "id,publisher_id,enterprise_id,inspected_on,inspection_type,outcome,findings_zh,findings_en,"
    "penalty_yuan\n"
)


def _rows(enterprise_id: str) -> list[dict[str, Any]]:
    return [
        inspection(
            enterprise_id,
            id=f"INS-2031-{n:04d}",
            findings_zh=f"第{n}次检查：废水排放口镉超标，责令整改。",
            findings_en=f"Inspection {n}: cadmium over the limit, rectification ordered.",
        )
        for n in range(1, ROWS + 1)
    ]


def _good(fmt: str, rows: list[dict[str, Any]]) -> bytes:
    if fmt == "ndjson":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    elif fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1)
    else:
        text = CSV_COLUMNS + "".join(
            f"{r['id']},{r['publisher_id']},{r['enterprise_id']},{r['inspected_on']},"
            f'{r["inspection_type"]},{r["outcome"]},"{r["findings_zh"]}","{r["findings_en"]}",'
            f"{r['penalty_yuan']}\n"
            for r in rows
        )
    return text.encode("utf-8")


@pytest.fixture
def world(database_url: str, portal: Portal) -> dict[str, Any]:
    with Session(get_engine(database_url)) as session:
        ids = basics(session)
    return {"rows": _rows(ids["enterprise"]), "portal": portal, "url": database_url}


def _import(world: dict[str, Any], path: Path) -> tuple[int, str]:
    result = world["portal"]("import", str(path), "--as", "DEP-GX-EEB")
    return result.exit_code, result.output


def _refused_plainly(code: int, output: str, before: dict[str, int], after: dict[str, int]) -> None:
    assert code == 1, output
    assert "Traceback" not in output
    last = output.strip().splitlines()[-1]
    assert last.startswith("error: "), output
    assert "nothing was written" in last or "no records" in output or "not UTF-8" in output, output
    # Each problem names where it is: a line, a column or the file.
    problems = [line for line in output.splitlines() if not line.startswith("error: ")]
    assert problems or "holds no records" in last, output
    for line in problems:
        assert ": line " in line or ": file" in line, line
    assert after == before


# -- named corruptions: encodings, binary, archives ---------------------------------------------
def _gbk(data: bytes) -> bytes:
    return data.decode("utf-8").encode("gbk", errors="replace")


CORRUPTIONS = {
    "GBK": _gbk,
    "GB18030": lambda d: d.decode("utf-8").encode("gb18030"),
    "UTF-16 with BOM": lambda d: d.decode("utf-8").encode("utf-16"),
    "UTF-16-LE without BOM": lambda d: d.decode("utf-8").encode("utf-16-le"),
    "Big5": lambda d: d.decode("utf-8").encode("big5", errors="replace"),
    "gzip": gzip.compress,
    "random binary": lambda d: random.Random(11).randbytes(len(d)),
    "PNG header": lambda d: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + d,
    "NUL bytes": lambda d: d.replace(b"\xe6", b"\x00"),
    "half a multi-byte character": lambda d: d[: d.index("检".encode()) + 1] + b"\n",
    "a latin-1 line in the middle": lambda d: d.replace(
        "废水".encode(), "Café".encode("latin-1"), 1
    ),
    "cut mid-record": lambda d: d[: len(d) * 2 // 3],
    "only a BOM": lambda d: b"\xef\xbb\xbf",
    "empty": lambda d: b"",
}


@pytest.mark.parametrize("fmt", ["ndjson", "json", "csv"])
def test_named_corruptions_are_refused_whole(
    world: dict[str, Any], tmp_path: Path, fmt: str
) -> None:
    good = _good(fmt, world["rows"])
    before = table_counts(world["url"])
    for name, corrupt in CORRUPTIONS.items():
        path = tmp_path / f"inspections.{fmt}"
        path.write_bytes(corrupt(good))
        code, output = _import(world, path)
        _refused_plainly(code, output, before, table_counts(world["url"]))
        if name.startswith(("GB", "Big5", "UTF-16", "gzip", "random", "PNG")):
            assert "not UTF-8" in output or "not valid JSON" in output or "cells" in output, (
                name,
                output,
            )
        if name in ("GBK", "GB18030"):
            assert "iconv" in output, output  # the command that fixes it


# -- generated corruptions ----------------------------------------------------------------------
@st.composite
def corrupted(draw: st.DrawFn, good: bytes) -> bytes:
    """The good file with a few generated edits: cut, overwritten, inserted or deleted bytes,
    duplicated or swapped lines."""
    data = bytearray(good)
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(
            st.sampled_from(["cut", "overwrite", "insert", "delete", "dup line", "swap lines"])
        )
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if edit == "cut":
            del data[at:]
        elif edit == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=8))
            data[at : at + len(chunk)] = chunk
        elif edit == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=8),
                    st.sampled_from([b",", b'"', b"\n", b"{", b"]", b"\x00", "镉".encode("gbk")]),
                )
            )
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if edit == "dup line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@pytest.mark.parametrize("fmt", ["ndjson", "json", "csv"])
def test_generated_corruptions_write_all_or_nothing(
    world: dict[str, Any], tmp_path: Path, fmt: str
) -> None:
    good = _good(fmt, world["rows"])
    path = tmp_path / f"inspections.{fmt}"
    outcomes = {"refused": 0, "imported": 0}

    @given(data=corrupted(good))
    @fuzz_settings(8)
    def run(data: bytes) -> None:
        random.seed()  # Whoosh names index segments from it; Hypothesis fixes it per example
        before = table_counts(world["url"])
        path.write_bytes(data)
        code, output = _import(world, path)
        after = table_counts(world["url"])
        if code == 0:
            # What was left is a valid file: its rows arrived whole (or were there already).
            outcomes["imported"] += 1
            summary = output.strip().splitlines()[-2 if "index" in output else -1]
            assert summary.startswith("Imported "), output
            new = int(summary.split(": ")[1].split(" new")[0])
            assert after["inspection"] - before["inspection"] == new
            assert after["revision"] - before["revision"] >= new
        else:
            outcomes["refused"] += 1
            _refused_plainly(code, output, before, after)

    run()
    assert outcomes["refused"] > 0
