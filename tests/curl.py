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


def _urlencoded(pair: str) -> str:
    """A `--data-urlencode 'name=value'` argument as curl sends it."""
    name, _, value = pair.partition("=")
    return f"{name}={quote(value, safe='')}"


def parse(line: str) -> Example:
    """Read one curl line (-X, -H, -d, --data-urlencode, -G, -I and one URL on the portal).

    The URL is taken as curl sends it: as typed. One holding a character outside ASCII, which
    curl would send raw (a server then reads it as Latin-1), fails here (issue 21)."""
    words = shlex.split(line)
    urls = [w for w in words if w.startswith(BASE)]
    assert len(urls) == 1, line
    assert urls[0].isascii() and " " not in urls[0], f"curl sends this address raw: {urls[0]}"
    headers = dict(
        words[i + 1].split(": ", 1) for i, w in enumerate(words) if w in ("-H", "--header")
    )
    data = []
    for i, word in enumerate(words[:-1]):
        if word in ("-d", "--data"):
            data.append(words[i + 1])
        elif word == "--data-urlencode":
            data.append(_urlencoded(words[i + 1]))
    parts = urlsplit(urls[0])
    query, body = parts.query, "&".join(data) if data else None
    if "-G" in words or "--get" in words:  # the data goes in the query string
        query, body = "&".join(p for p in (query, body) if p), None
    explicit = next((words[i + 1] for i, w in enumerate(words) if w in ("-X", "--request")), None)
    if explicit:
        method = explicit
    elif "-I" in words or "--head" in words:
        method = "HEAD"
    else:
        method = "POST" if body is not None else "GET"
    return Example(line, method, parts.path, query, headers, body)
