"""No two modules of portal/search import each other (issue 23).

search/index.py imported build.py, and build.py imported index.py inside a function (for the
name of the user dictionary file) to get round the cycle: which one loads first then decided
whether an import worked. Imports made inside functions count here too."""

import ast
from pathlib import Path

SEARCH = Path(__file__).resolve().parents[2] / "portal" / "search"


def _imports(path: Path, package: str) -> set[str]:
    """The portal modules a file imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_two_modules_of_search_import_each_other() -> None:
    modules = {}
    for path in SEARCH.rglob("*.py"):
        if path.name == "__init__.py":
            continue  # the package gathers the interface its modules make
        dotted = ".".join(path.relative_to(SEARCH.parents[1]).with_suffix("").parts)
        modules[dotted] = path
    imports = {name: _imports(path, name.rsplit(".", 1)[0]) for name, path in modules.items()}
    pairs = sorted(
        (a, b) for a in modules for b in modules if a < b and b in imports[a] and a in imports[b]
    )
    assert pairs == []
