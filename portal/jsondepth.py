"""How deeply JSON text nests, counted without parsing it.

Python's JSON parser recurses once per level: `[` repeated 100,000 times makes it give up with a
RecursionError, and a few hundred levels still reach code that walks the value. Nothing the
portal takes nests deeper than four, so every reader of JSON from outside (request bodies,
import files) refuses text deeper than MAX_DEPTH before parsing it.
"""

from __future__ import annotations

import re
from array import array
from itertools import accumulate

MAX_DEPTH = 32  # levels of arrays and objects in one JSON value

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
# Opening brackets count +1, closing ones -1 (0xFF read as a signed byte).
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def too_deep(raw: bytes | str, depth: int = MAX_DEPTH) -> bool:
    """True when JSON text opens more than `depth` arrays or objects inside one another
    (closed or not), counted without parsing: strings are set aside, then the brackets summed."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if data.count(b"[") + data.count(b"{") <= depth:
        return False
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", data))
    steps = array("b", brackets.translate(_STEPS))
    return max(accumulate(steps), default=0) > depth
