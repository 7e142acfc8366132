"""Folding names so that spellings of one name meet: traditional characters to simplified,
case, punctuation, pinyin, and names one edit apart.

`fold` keeps the length of the text it folds (one character for one), so a name found in the
folded question is at the same place in the question as written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

from portal.assistant.text import words_of

_LATIN = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _to_simplified() -> dict[str, str]:
    """zhconv's table of traditional characters and their simplified forms, one for one (read
    here, with the file closed after, rather than through zhconv's loader, which leaves it open)."""
    from importlib.resources import files

    with files("zhconv").joinpath("zhcdict.json").open(encoding="utf-8") as handle:
        table = json.load(handle)["zh2Hans"]
    return {k: v for k, v in table.items() if len(k) == 1 and len(v) == 1}


def _simplified(char: str) -> str:
    """One character in simplified form."""
    return _to_simplified().get(char, char)


def fold(text: str) -> str:
    """The text in simplified characters and lower case, one character for one."""
    if text.isascii():
        return text.lower()
    out = []
    for char in text:
        if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff":
            out.append(_simplified(char))
            continue
        if not char.isascii():
            char = unicodedata.normalize("NFKC", char)
            char = char if len(char) == 1 else "?"
        lower = char.lower()
        out.append(lower if len(lower) == 1 else char)
    return "".join(out)


def latin_key(text: str) -> str:
    """A Latin name as lower-case words joined by one space: "Co., Ltd." -> "co ltd"."""
    return " ".join(_LATIN.findall(fold(text)))


@lru_cache(maxsize=8192)
def _readings(char: str) -> tuple[str, ...]:
    """The toneless pinyin readings of one character, the commonest first."""
    from pypinyin.pinyin_dict import pinyin_dict  # its table alone, not the phrase segmenter

    found = pinyin_dict.get(ord(char))
    if not found:
        return (char,)
    out = []
    for reading in found.split(","):
        bare = "".join(c for c in unicodedata.normalize("NFD", reading) if c.isascii())
        out.append(bare.lower())
    return tuple(dict.fromkeys(out))


MAX_READINGS = 16


@lru_cache(maxsize=16384)
def pinyin_keys(text: str) -> tuple[str, ...]:
    """The toneless pinyin of the Chinese in a name, without spaces, in each reading of its
    characters (at most 16): 长岭 -> zhangling, changling."""
    keys = [""]
    for char in fold(text).replace(" ", ""):
        readings = _readings(char)
        keys = [k + r for k in keys for r in readings][:MAX_READINGS]
    return tuple(keys)


def within_one(a: str, b: str) -> bool:
    """True when b is a away by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


_INITIALS = words_of("b p m f d t n l g k h j q x zh ch sh r z c s y w")
_FINALS = words_of(
    "a o e i u v ai ei ui ao ou iu ie ve ue er an en in un vn ang eng ing ong ia iao ian iang "
    "iong ua uo uai uan uang"
)
_ALONE = words_of("a o e ai ei ao ou an en ang eng er")  # finals written without an initial
SYLLABLES = frozenset([i + f for i in _INITIALS for f in _FINALS] + _ALONE)


@lru_cache(maxsize=4096)
def syllables(word: str) -> int:
    """How many pinyin syllables a word splits into (0 when it does not split): a word of two
    or more is the romanised form of a Chinese name (Zhangmu, Qingshan), not English."""
    w = word.lower()
    if not w.isalpha() or not w.isascii():
        return 0
    best = [0] + [-1] * len(w)  # best[i]: fewest syllables covering w[:i], -1 when none
    for end in range(1, len(w) + 1):
        for start in range(max(0, end - 6), end):
            if best[start] >= 0 and w[start:end] in SYLLABLES:
                n = best[start] + 1
                if best[end] < 0 or n < best[end]:
                    best[end] = n
    return max(best[len(w)], 0)
