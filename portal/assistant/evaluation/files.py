"""An evaluation world as import files: one JSON file per kind, in dependency order, and who
publishes each (disclosures: one file per enterprise, which files its own)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.assistant.evaluation.world import MINISTRY, World


@dataclass(frozen=True)
class ImportStep:
    """One file of a world and who publishes it: `portal import FILE --as PUBLISHER`."""

    path: Path
    publisher: str

    @property
    def argv(self) -> list[str]:
        """The arguments of the `portal` command that imports the file."""
        return ["import", str(self.path), "--as", self.publisher]


def _dump(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", "utf-8")


def write_world(world: World, folder: Path) -> list[ImportStep]:
    """Write the world's import files into `folder`; the steps to import them, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    steps = []
    for number, kind in enumerate(("departments", "enterprises", "incidents", "inspections"), 1):
        path = folder / f"{number:02d}-{kind}.json"
        _dump(path, getattr(world, kind))
        steps.append(ImportStep(path, MINISTRY))
    for enterprise in world.enterprises:
        own = [d for d in world.disclosures if d["enterprise_id"] == enterprise["id"]]
        if own:
            path = folder / f"05-disclosures-{enterprise['id']}.json"
            _dump(path, own)
            steps.append(ImportStep(path, enterprise["id"]))
    return steps
