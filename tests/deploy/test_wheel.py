"""The portal as a wheel: installed into a fresh virtual environment, it runs from any directory.

Issue 23. The standards, vocabularies, sample (data/) and prompts (prompts/) sit at the top of the
repository; pyproject.toml maps them into the wheel as portal/data and portal/prompts and
portal/layout.py finds them through importlib.resources. This builds the wheel from a copy of the
checkout (the files git keeps: nothing ignored, so no .venv, database or index), installs it
alone into a new venv, and from an empty directory runs `portal init`, `portal load-sample` and
`portal reindex`, then serves / and a search through the installed package; `portal generate`,
whose generator ships only with the checkout (bench/generator), refuses with a sentence.

The new venv reaches the dependencies already installed here through one .pth line naming this
environment's site-packages. That line adds a plain path: the .pth files inside that folder (the
editable install's finder, which maps `portal` to the checkout) are not run, so `portal` can only
come from the wheel, which the test checks (portal.__file__, the data and prompts folders).
The dependencies are not under test; the wheel's own files are, and they are all it installs.

It runs on the defaults (SQLite in the instance folder) whichever database the suite uses: a
fresh install is what is under test. Building needs setuptools>=69 from an index (pip's build
isolation). Where none answers, the test is skipped, unless PORTAL_REQUIRE_SERVICES names `wheel`
(CI), which makes it fail.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from conftest import need

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
STEP_TIMEOUT = 120  # seconds for one step; the whole test took 44 to 60 s on two busy cores

# Reads back, inside the installed portal, where it found its files and what it serves.
PROBE = """
import json, sys
import portal
from portal import create_app, layout
from portal.assistant.llm import load_prompt, prompt_file
client = create_app().test_client()
home = client.get("/")
found = client.get("/api/v1/search", query_string={"q": sys.argv[1]}).get_json()
load_prompt("answer")
print(json.dumps({
    "package": portal.__file__,
    "data": str(layout.DATA_DIR),
    "prompt": str(prompt_file("answer")),
    "home_status": home.status_code,
    "home": home.get_data(as_text=True),
    "found": [item["id"] for item in found["items"]],
}))
"""


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{args[0]} {args[1]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _copy_checkout(dest: Path) -> None:
    """The files git keeps (tracked, or new and not ignored), as the working tree has them."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        need("wheel", "no git checkout to build the wheel from")
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree is still listed
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def _build(src: Path, out: Path) -> Path:
    # A short timeout and one retry: where no index answers, the skip comes in seconds, not the
    # minutes pip would wait by default (the build backend's installer reads the same variables).
    env = {**os.environ, "PIP_DEFAULT_TIMEOUT": "10", "PIP_RETRIES": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    if done.returncode and re.search(r"install(ing)? build dependencies", done.stderr):
        need("wheel", "pip could not install the build backend (setuptools>=69) from any index")
    assert done.returncode == 0, f"building the wheel failed:\n{done.stdout}\n{done.stderr}"
    (wheel,) = out.glob("clearwater_portal-*.whl")
    return wheel


def _expected_counts() -> dict[str, int]:
    """Records of each kind in the sample files, counted from the files themselves."""
    counts = {}
    for path in SAMPLE.glob("[0-9][0-9]-*.*"):
        kind = path.stem.split("-", 1)[1]
        text = path.read_text("utf-8")
        if path.suffix == ".csv":
            counts[kind] = sum(1 for _ in csv.DictReader(text.splitlines()))
        elif path.suffix == ".ndjson":
            counts[kind] = sum(1 for line in text.splitlines() if line.strip())
        else:
            counts[kind] = len(json.loads(text))
    return counts


def _package_files(site: Path) -> set[str]:
    return {
        str(p.relative_to(site))
        for p in (site / "portal").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_wheel_installs_and_runs_from_another_directory(tmp_path: Path) -> None:
    src, dist, venv, elsewhere = (tmp_path / n for n in ("src", "dist", "venv", "elsewhere"))
    src.mkdir()
    elsewhere.mkdir()
    _copy_checkout(src)
    wheel = _build(src, dist)

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert {n.split("/", 1)[0] for n in names} == {
        "portal",
        wheel.name.split("-py3")[0] + ".dist-info",
    }
    assert not [n for n in names if "generate" in n]  # the load-test generator stays in bench/
    for shipped in (
        "data/standards.csv",
        "data/sample/02-enterprises.csv",
        "prompts/answer.v1.txt",
    ):
        assert f"portal/{shipped}" in names

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path
        ).strip()
    )
    ours = sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})
    (site / "clearwater-test-dependencies.pth").write_text("\n".join(ours) + "\n", "utf-8")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            wheel,
        ],
        tmp_path,
    )
    installed = _package_files(site)

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PORTAL_", "PYTHON", "VIRTUAL_ENV"))
    }
    portal = venv / "bin" / "portal"
    instance = venv / "var" / "portal-instance"
    assert f"sqlite:///{instance / 'clearwater.db'}" in _run([portal, "init"], elsewhere, env)
    loaded = _run([portal, "load-sample"], elsewhere, env)
    expected = _expected_counts()
    assert f"Sample loaded: {sum(expected.values())} new, 0 already there." in loaded
    assert str(instance / "search_index") in _run([portal, "reindex"], elsewhere, env)

    with (SAMPLE / "02-enterprises.csv").open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    probe = json.loads(_run([python, "-c", PROBE, first["name_zh"]], elsewhere, env))
    assert Path(probe["package"]).is_relative_to(site)
    assert Path(probe["data"]) == site / "portal" / "data"
    assert Path(probe["prompt"]).parent == site / "portal" / "prompts"
    assert probe["home_status"] == 200
    shown = dict(re.findall(r'href="/(\w+)\?lang=\w+"><strong>([\d,]+)</strong>', probe["home"]))
    for kind in ("departments", "enterprises", "incidents", "inspections", "disclosures"):
        assert int(shown[kind].replace(",", "")) == expected[kind], kind
    assert first["id"] in probe["found"]

    # The load-test generator ships with the checkout only: the command says so and writes nothing.
    refused = subprocess.run(
        [portal, "generate", "--records", "30"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "ships with it, not with the installed package" in refused.stderr
    assert not (instance / "generated").exists()

    assert _package_files(site) == installed  # nothing written into the installed package
    assert not any(elsewhere.iterdir())  # nor into the directory it ran from
