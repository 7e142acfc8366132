"""The `portal` command as a clerk or operator uses it: clear messages, honest exit codes."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from factories import bureau, department, enterprise, inspection
from portal.cli import main


def ndjson(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_init_is_repeatable(portal) -> None:
    first = portal("init")
    assert first.exit_code == 0 and "Database ready" in first.output
    assert portal("init").exit_code == 0


def test_import_then_dry_run_then_problems(portal, tmp_path: Path) -> None:
    deps = ndjson(tmp_path / "deps.ndjson", [department(), bureau()])
    ok = portal("import", str(deps), "--as", "DEP-MEE")
    assert ok.exit_code == 0, ok.output
    assert "Imported 2 row(s) of departments: 2 new" in ok.output

    ent = enterprise()
    ents = ndjson(tmp_path / "ents.ndjson", [ent])
    dry = portal("import", str(ents), "--as", "DEP-GX-EEB", "--dry-run")
    assert dry.exit_code == 0 and "Dry run: 1 row(s) of enterprises: 1 new" in dry.output
    assert "Nothing was written" in dry.output
    again = portal("import", str(ents), "--as", "DEP-GX-EEB")
    assert "1 new" in again.output  # the dry run wrote nothing

    bad = ndjson(
        tmp_path / "bad.ndjson", [inspection(ent["id"], outcome="guilty"), inspection("ENT-NOPE")]
    )
    refused = portal("import", str(bad), "--as", "DEP-GX-EEB")
    assert refused.exit_code == 1
    assert "bad.ndjson: line 1, outcome:" in refused.output
    assert "bad.ndjson: line 2, enterprise_id: there is no enterprise ENT-NOPE" in refused.output
    assert "2 problem(s) in bad.ndjson; nothing was written" in refused.output
    assert "Traceback" not in refused.output


def test_import_needs_a_publisher(portal, tmp_path: Path) -> None:
    path = ndjson(tmp_path / "d.ndjson", [department()])
    result = portal("import", str(path))
    assert result.exit_code == 1 and "say who publishes the file" in result.output


def test_missing_file(portal, tmp_path: Path) -> None:
    result = portal("import", str(tmp_path / "nope.csv"), "--as", "DEP-MEE")
    assert result.exit_code == 1 and "no such file" in result.output


def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    runner = CliRunner()
    url = "postgresql+psycopg://nobody@127.0.0.1:9/clearwater?connect_timeout=2"
    result = runner.invoke(main, ["init"], env={"PORTAL_DATABASE_URL": url})
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: Cannot reach the database")
    assert "Traceback" not in result.output


def test_unusable_database_url(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init"], env={"PORTAL_DATABASE_URL": "nosuchdb://x"})
    assert result.exit_code == 1 and "is not usable" in result.output


def test_commands_refuse_an_uninitialised_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    result = CliRunner().invoke(main, ["load-sample"], env={"PORTAL_DATABASE_URL": url})
    assert result.exit_code == 1 and "run `portal init`" in result.output


def test_bad_setting_is_reported(tmp_path: Path) -> None:
    env = {"PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "PORTAL_PAGE_SIZE": "lots"}
    result = CliRunner().invoke(main, ["init"], env=env)
    assert result.exit_code == 1 and "PORTAL_PAGE_SIZE must be a whole number" in result.output


def test_help_lists_the_contract_commands() -> None:
    output = CliRunner().invoke(main, ["--help"]).output
    for command in ("init", "load-sample", "import", "generate", "run"):
        assert command in output


@pytest.mark.parametrize("records", ["0", "-5", "many"])
def test_generate_refuses_bad_sizes(records: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["generate", "--records", records, "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--records" in result.output


def test_tokens_from_creation_to_revocation(sample_portal, sample_app) -> None:
    made = sample_portal("token", "create", "dep-gx-hc-eeb", "--label", "执法科", "--days", "30")
    assert made.exit_code == 0, made.output
    secret = made.output.splitlines()[1]
    assert secret.startswith("cw_") and "enterprises, incidents, inspections" in made.output
    association = sample_portal("token", "create", "DEP-CMRA")
    assert "tips" in association.output.splitlines()[0]  # the association moderates by default
    listed = sample_portal("token", "list")
    assert "DEP-GX-HC-EEB" in listed.output and "active until" in listed.output
    assert secret not in listed.output and secret[:9] in listed.output  # a hint, never the secret
    # The token writes; once revoked, it does not.
    client = sample_app.test_client()
    body = {"reason": "补充英文名称", "revision": 1, "changes": {"name_en": "Jinhe Mining"}}
    headers = {"Authorization": f"Bearer {secret}"}
    ok = client.patch("/api/v1/enterprises/ENT-GX-JINHE", json=body, headers=headers)
    assert ok.status_code == 200, ok.get_json()
    token_id = made.output.split()[1]  # "Token 1 for ..."
    assert sample_portal("token", "revoke", token_id).exit_code == 0
    body["revision"] = 2
    assert (
        client.patch("/api/v1/enterprises/ENT-GX-JINHE", json=body, headers=headers).status_code
        == 401
    )
    again = sample_portal("token", "revoke", token_id)
    assert again.exit_code == 1 and "already revoked" in again.output
    log = sample_portal("audit", "--record", "ENT-GX-JINHE")
    lines = log.output.splitlines()
    assert lines[0].startswith("at\tvia\tactor")
    assert any("\tcorrect\tENT-GX-JINHE\t2\t200\t" in line for line in lines)
    assert any("\t401\t" in line for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("token", "create", "DEP-NOPE"), "no department DEP-NOPE"),
        (("token", "create", "ENT-0028", "--scope", "inspections"), "may not hold"),
        (("token", "create", "DEP-MEE", "--scope", "everything"), "Unknown scope"),
        (("token", "create", "DEP-MEE", "--days", "0"), "--days"),
        (("token", "create", "TIP-0001"), "not a publisher"),
        (("token", "revoke", "424242"), "no token 424242"),
        (("audit", "--since", "yesterday"), "ISO 8601"),
    ],
)
def test_token_mistakes_are_one_line_and_exit_1(sample_portal, args, message) -> None:
    result = sample_portal(*args)
    assert result.exit_code == 1 and message in result.output, result.output
