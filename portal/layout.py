"""Where the portal reads the files it ships and where it writes its own, checkout or wheel.

The standards, vocabularies, sample records (`data/`) and the assistant's prompts (`prompts/`)
sit at the top of the repository, beside `portal/`, and a wheel carries them inside the package
as `portal/data/` and `portal/prompts/` (pyproject.toml maps them there). They are found through
`importlib.resources`, so an installed portal reads its own copy whatever the working directory;
in a checkout (editable install included) the package has no such folder and the top-level one
is read, as before.

Defaults that write (the SQLite file, the Whoosh index, snapshots, generated data) follow the same
split: a checkout keeps them where they always were (`data/`, `search_index/`); an installed
portal must not write into its own package (site-packages may be read-only, and a reinstall
would wipe it), so it uses the instance folder Flask gives an installed package,
`<sys.prefix>/var/portal-instance`: one per installation, the same from any directory.
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def shipped(folder: str) -> Path:
    """Shipped files ("data" or "prompts"): the installed package's folder, else the checkout's."""
    inside = files("portal").joinpath(folder)
    if inside.is_dir():
        if not isinstance(inside, Path):  # a zipped install: our readers need real files
            raise RuntimeError(f"portal/{folder} must be installed as files, not in a zip archive")
        return inside
    return CHECKOUT / folder


DATA_DIR = shipped("data")
PROMPTS_DIR = shipped("prompts")
INSTALLED = DATA_DIR != CHECKOUT / "data"
# Where the defaults write: data/ and search_index/ of the checkout, or the instance folder.
STATE_DIR = Path(sys.prefix, "var", "portal-instance") if INSTALLED else CHECKOUT / "data"
INDEX_DIR = STATE_DIR / "search_index" if INSTALLED else CHECKOUT / "search_index"
