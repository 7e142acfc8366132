"""The curl examples of a guide, read as requests a test client can make."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

BASE = "http://127.0.0.1:5000"


@dataclass(frozen=True)
class Example:
    """One curl line: its method, path, query string, headers and body."""

    line: str
    method: str
    path: str
    query: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


def examples(guide: Path) -> list[Example]:
    """Every `curl` line of the guide's sh blocks, in order."""
    text = guide.read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    lines = [line for block in blocks for line in block.splitlines() if line.startswith("curl ")]
    return [parse(line) for line in lines]


def parse(line: str) -> Example:
    """Read one curl line (-X, -H, -d, -I and one URL on the portal)."""
    words = shlex.split(line)
    urls = [w for w in words if w.startswith(BASE)]
    assert len(urls) == 1, line
    headers = dict(
        words[i + 1].split(": ", 1) for i, w in enumerate(words) if w in ("-H", "--header")
    )
    body = next((words[i + 1] for i, w in enumerate(words) if w in ("-d", "--data")), None)
    explicit = next((words[i + 1] for i, w in enumerate(words) if w in ("-X", "--request")), None)
    if explicit:
        method = explicit
    elif "-I" in words or "--head" in words:
        method = "HEAD"
    else:
        method = "POST" if body is not None else "GET"
    parts = urlsplit(urls[0])
    return Example(line, method, parts.path, quote(parts.query, safe="=&%"), headers, body)
