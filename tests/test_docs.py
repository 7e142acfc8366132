"""Documentation stays in step with the code: every setting and every CLI command is described."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal.cli import main
from portal.config import SETTINGS, load_settings

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = DOCS.parent / "README.md"


def test_every_setting_is_in_the_configuration_document() -> None:
    text = (DOCS / "configuration.md").read_text("utf-8")
    documented = set(re.findall(r"^\| `(PORTAL_[A-Z_]+)` \|", text, flags=re.M))
    assert documented == {s.name for s in SETTINGS}


def test_the_configuration_document_lists_what_portal_config_prints_in_its_order() -> None:
    text = (DOCS / "configuration.md").read_text("utf-8")
    documented = re.findall(r"^\| `(PORTAL_[A-Z_]+)` \|", text, flags=re.M)
    printed = CliRunner().invoke(main, ["config"]).stdout.splitlines()
    assert documented == [line.split("=", 1)[0] for line in printed]


def test_every_setting_has_help() -> None:
    assert all(len(s.help) > 20 for s in SETTINGS)


def test_settings_read_the_environment() -> None:
    settings = load_settings({"PORTAL_DATABASE_URL": "sqlite:///x.db", "PORTAL_PAGE_SIZE": "20"})
    assert settings.database_url == "sqlite:///x.db" and settings.page_size == 20
    assert load_settings({}).page_size == 50


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_operator_guide(command: str) -> None:
    assert f"portal {command}" in (DOCS / "operators.md").read_text("utf-8")


def test_readme_names_the_two_commands_first() -> None:
    text = README.read_text("utf-8")
    first_code = re.search(r"```sh\n(.*?)```", text, flags=re.S)
    assert first_code is not None
    assert first_code.group(1).split() == ["make", "run", "make", "test"]


def test_data_format_examples_import_in_order(session, tmp_path: Path) -> None:
    from portal.ingest import import_file

    text = (DOCS / "data-formats.md").read_text("utf-8")
    examples = re.findall(r"<!-- example: (\S+) -->\n```\w+\n(.*?)```", text, flags=re.S)
    assert [name.split(".")[0] for name, _ in examples] == [
        "departments",
        "enterprises",
        "incidents",
        "inspections",
        "disclosures",
        "responses",
        "tips",
    ]
    for name, body in examples:
        path = tmp_path / name
        path.write_text(body, "utf-8")
        result = import_file(session, path, as_publisher=None)
        assert result.ok, (name, result.problems)
        assert result.new >= 1
        session.commit()
