"""What pyproject.toml puts in the wheel, and where a checkout finds its files (issue 23).

The packages are listed by hand (data/ and prompts/ are mapped into the wheel, which package-dir
does only with a list), so a new folder of portal/ would silently stay out of the wheel: this
fails first, in a second, before tests/deploy/test_wheel.py builds and runs one.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from portal import layout
from portal.config import load_settings

ROOT = Path(__file__).resolve().parents[1]


def _setuptools() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["setuptools"]


# Folders the portal itself writes in a checkout (git ignores them): not shipped.
WRITTEN = {"__pycache__", "generated", "snapshots"}


def _folders(top: Path, package: str) -> set[str]:
    """Every folder under `top` (itself included) as a dotted package name."""
    folders = {top} | {
        p for p in top.rglob("*") if p.is_dir() and not WRITTEN & set(p.relative_to(top).parts)
    }
    return {".".join((package, *p.relative_to(top).parts)) for p in folders}


def test_every_folder_of_the_package_and_the_shipped_files_is_in_the_wheel() -> None:
    config = _setuptools()
    assert config["package-dir"] == {"portal.data": "data", "portal.prompts": "prompts"}
    expected = (
        _folders(ROOT / "portal", "portal")
        | _folders(ROOT / "data", "portal.data")
        | _folders(ROOT / "prompts", "portal.prompts")
    )
    assert sorted(config["packages"]) == sorted(expected)
    for package in config["packages"]:
        assert config["packages"].count(package) == 1, package


def test_a_checkout_reads_and_writes_where_it_always_did() -> None:
    assert not layout.INSTALLED
    assert layout.DATA_DIR == ROOT / "data"
    assert layout.PROMPTS_DIR == ROOT / "prompts"
    defaults = load_settings({})
    assert defaults.database_url == f"sqlite:///{ROOT / 'data' / 'clearwater.db'}"
    assert Path(defaults.index_dir) == ROOT / "search_index"
    assert Path(defaults.snapshot_dir) == ROOT / "data" / "snapshots"
