"""Whoosh's private names are reached from one module only (portal/search/whoosh_inside.py).

The fast build and the fast search read and write Whoosh's segments below its public API; a
new Whoosh release may rename any of that. Keeping every such name in one module, whose
docstring lists them and the version they were checked against, makes an upgrade a matter of
re-checking one file, not of finding out in production which search broke (issue 20).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import whoosh

from portal.search import whoosh_inside

PORTAL = Path(__file__).resolve().parents[2] / "portal"
FENCE = PORTAL / "search" / "whoosh_inside.py"
NAMED = ("getattr", "setattr", "hasattr", "delattr")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _root(node: ast.expr) -> ast.expr:
    """The name (or call, literal...) an attribute chain starts from."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def reaches(source: str) -> list[str]:
    """Where a module reaches a private name of Whoosh, as 'line: what'.

    Pragmatic, as a reader would judge: an underscore name imported from whoosh (or a module
    of whoosh whose path has one); an underscore attribute of a name bound by a whoosh import;
    and, in a module that imports whoosh, any underscore attribute of anything but `self` or
    `cls` (the readers, matchers and writers such a module handles are Whoosh's), directly or
    through getattr/setattr/hasattr/delattr with a literal name."""
    tree = ast.parse(source)
    found: list[str] = []
    bound: set[str] = set()
    uses_whoosh = False
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "whoosh":
            uses_whoosh = True
            module = node.module or ""
            if any(_private(part) for part in module.split(".")):
                found.append(f"{node.lineno}: from {module} import ...")
            for alias in node.names:
                bound.add(alias.asname or alias.name)
                if _private(alias.name):
                    found.append(f"{node.lineno}: from {module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "whoosh":
                    uses_whoosh = True
                    bound.add(alias.asname or alias.name.split(".")[0])
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append(f"{node.lineno}: import {alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            root = _root(node.value)
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            from_whoosh = isinstance(root, ast.Name) and root.id in bound
            if from_whoosh or (uses_whoosh and not own):
                found.append(f"{node.lineno}: .{node.attr}")
        elif (
            uses_whoosh
            and isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in NAMED
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            found.append(f"{node.lineno}: {node.func.id}(..., {node.args[1].value!r})")
    return found


def test_no_module_but_the_fence_reaches_a_private_whoosh_name() -> None:
    offenders = {
        str(path.relative_to(PORTAL.parent)): hits
        for path in sorted(PORTAL.rglob("*.py"))
        if path != FENCE and (hits := reaches(path.read_text("utf-8")))
    }
    assert not offenders, f"private Whoosh names outside {FENCE.name}: {offenders}"


def test_the_check_sees_each_way_of_reaching_in() -> None:
    # The check itself: each form it must catch, and what it must leave alone.
    caught = {
        "from whoosh.query.qcore import _NullQuery",
        "from whoosh._private import thing",
        "import whoosh\nwhoosh.index._x",
        "from whoosh.analysis import StemFilter\nStemFilter()._stem",
        "from whoosh import index\ndef f(reader):\n    return reader._perdoc",
        "from whoosh import index\nclass A:\n    def f(self):\n        return self.w._ids",
        "from whoosh import index\ndef f(writer):\n    return getattr(writer, '_searcher')",
    }
    for source in caught:
        assert reaches(source), source
    left_alone = {
        "def f(row):\n    return row._mapping",  # no whoosh here: SQLAlchemy's public name
        "from whoosh import index\nclass A:\n    def f(self):\n        return self._cache",
        "from whoosh import index\nx = index.__name__",
    }
    for source in left_alone:
        assert not reaches(source), source


def test_the_fence_names_the_whoosh_it_was_checked_against() -> None:
    # Upgrading whoosh-reloaded means reading the fence again: this fails until someone has.
    pinned = re.search(
        r'"whoosh-reloaded==([^"]+)"', (PORTAL.parent / "pyproject.toml").read_text()
    )
    assert pinned and pinned.group(1) == whoosh_inside.CHECKED_WITH == whoosh.versionstring()
    assert f"whoosh-reloaded {whoosh_inside.CHECKED_WITH}" in (whoosh_inside.__doc__ or "")
