"""gunicorn with the project's gunicorn.conf.py checks the settings before any worker starts
(issue 23): several workers without PORTAL_SECRET_KEY would each sign forms and sign-ins with a
random key of their own, so a form made by one worker would fail on the next; and a wrong value
stops gunicorn with the sentence the `portal` command prints, not a worker's traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from serving import free_port, wait_for_answer

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
KEY_COMMAND = 'python -c "import secrets; print(secrets.token_hex(32))"'


def _gunicorn(url: str, index_dir: Path, *argv: str, **variables: str) -> subprocess.Popen[str]:
    """gunicorn -c gunicorn.conf.py on the test's database, with only these PORTAL_ variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_DATABASE_URL=url, PORTAL_INDEX_DIR=str(index_dir), PORT=str(free_port()))
    env.update(variables)
    return subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", *argv],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _refusal(master: subprocess.Popen[str]) -> str:
    """What gunicorn said as it refused to start (it must exit 1 within 60 s)."""
    try:
        output, _ = master.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        master.terminate()
        output, _ = master.communicate(timeout=30)
        raise AssertionError(f"gunicorn started instead of refusing:\n{output}") from None
    assert master.returncode == 1, output
    return output


def test_two_workers_without_a_secret_key_refuse_to_start(
    database_url: str, index_dir: Path
) -> None:
    output = _refusal(_gunicorn(database_url, index_dir, PORTAL_WORKERS="2"))
    assert "PORTAL_SECRET_KEY must be set when gunicorn runs 2 workers" in output
    assert KEY_COMMAND in output
    assert "Booting worker" not in output


def test_workers_given_on_the_command_line_count_too(database_url: str, index_dir: Path) -> None:
    output = _refusal(_gunicorn(database_url, index_dir, "-w", "3", PORTAL_WORKERS="1"))
    assert "PORTAL_SECRET_KEY must be set when gunicorn runs 3 workers" in output


def test_a_wrong_value_stops_gunicorn_with_the_sentence(database_url: str, index_dir: Path) -> None:
    master = _gunicorn(
        database_url, index_dir, PORTAL_WORKERS="1", PORTAL_RENDER_CACHE_MAX_BYTES="lots"
    )
    output = _refusal(master)
    assert output.strip() == (
        "error: PORTAL_RENDER_CACHE_MAX_BYTES must be a whole number from 0 to 1073741824, "
        "not 'lots'."
    )


def test_two_workers_with_a_secret_key_serve(database_url: str, index_dir: Path) -> None:
    port = free_port()
    master = _gunicorn(
        database_url,
        index_dir,
        "-b",
        f"127.0.0.1:{port}",
        PORTAL_WORKERS="2",
        PORTAL_SECRET_KEY="two-workers-one-key",
    )
    try:
        wait_for_answer(master, port, 90, lambda: str(master.communicate()[0]))
    finally:
        master.terminate()
        master.communicate(timeout=30)
