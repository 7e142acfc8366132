"""Words of questions and records: normalising, language, terms, sentences, and matching.

Chinese is cut into words with jieba (the dictionary the search index already loads, with the
names it taught it); English words are lower-cased and lightly stemmed, the same way on both
sides, so "punished" in a question meets "punishment" in a record.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import jieba_fast_dat as jieba

jieba.setLogLevel(logging.WARNING)
_JIEBA_READY = threading.Event()
_JIEBA_LOCK = threading.Lock()

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:\.\d+)?")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def words_of(text: str) -> list[str]:
    """The words of a block of text (a vocabulary written as prose)."""
    return text.split()


def tidy(text: str) -> str:
    """One line of text as written, without invisible control characters or repeated spaces."""
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()


def normalise(text: str) -> str:
    """Text as the assistant reads it: tidied, with compatibility forms folded (full-width
    letters, digits and punctuation)."""
    return tidy(unicodedata.normalize("NFKC", _CONTROL.sub(" ", text)))


def language(text: str) -> str:
    """'zh' when the text is mostly Chinese, else 'en'."""
    cjk = len(CJK.findall(text))
    words = len(re.findall(r"[A-Za-z]{2,}", text))
    return "zh" if cjk and cjk >= words else "en"


def _ready() -> None:
    if _JIEBA_READY.is_set():
        return
    with _JIEBA_LOCK:
        if not _JIEBA_READY.is_set():
            jieba.initialize()
            _JIEBA_READY.set()


def zh_words(text: str) -> list[str]:
    """Chinese (and any embedded Latin) words of a text, in order, punctuation dropped."""
    _ready()
    return [w.strip() for w in jieba.lcut(text) if w.strip() and _is_word(w)]


def _is_word(token: str) -> bool:
    return bool(re.search(r"[^\W_]", token))


def stem(word: str) -> str:
    """A light English stem: plural, past and -ing, -ment and -ion endings removed."""
    w = word.lower().strip("'-")
    if len(w) <= 3 or not w.isalpha():
        return w
    for suffix, repl in (
        ("ies", "y"),
        ("ments", ""),
        ("ment", ""),
        ("ations", "ate"),
        ("ation", "ate"),
        ("ions", ""),
        ("ion", ""),
        ("ings", ""),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if suffix == "s" and w.endswith("ss"):
            break  # process, mass: not a plural
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + repl
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def en_words(text: str) -> list[str]:
    """English words and numbers of a text, lower-cased, in order."""
    return [m.group().lower() for m in _LATIN_WORD.finditer(text)]


@lru_cache(maxsize=8192)
def en_stems(text: str) -> frozenset[str]:
    """The stems of every English word of a text (for matching)."""
    return frozenset(stem(w) for w in en_words(text))


@dataclass(frozen=True)
class Term:
    """A word of a question, with the forms that count as finding it in a text."""

    text: str
    variants: frozenset[str]
    weight: float = 1.0
    is_name: bool = False  # an enterprise's or department's name, as written


def variant_in(variant: str, text: str, stems: frozenset[str]) -> bool:
    """True when one form of a word is in a text: Chinese as a substring, an English word by
    its stem, an English phrase as a case-insensitive substring."""
    if CJK.search(variant):
        return variant in text
    if " " in variant or not variant.isalpha():
        return (
            re.search(rf"(?<![A-Za-z0-9]){re.escape(variant)}(?![A-Za-z0-9])", text, re.I)
            is not None
        )
    return stem(variant) in stems


def found(term: Term, text: str, stems: frozenset[str] | None = None) -> bool:
    """True when any form of the term is in the text."""
    stems = en_stems(text) if stems is None else stems
    return any(variant_in(v, text, stems) for v in term.variants)


# Sentences end at 。！？ (and ! ? . followed by a capital, a digit or an opening quote or
# bracket in English, after a closing quote too: "... is closed.' Slag ...", "... complete.
# [Note to AI models] ...": a bracketed note is a sentence of its own) or at a line end.
_ZH_END = re.compile(r"(?<=[。！？!?])|\n")
_EN_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+(?=[A-Z0-9\"“(\[【])|\n")


@dataclass(frozen=True)
class Span:
    """A sentence of a record's field: where it starts and ends in that field's text."""

    start: int
    end: int


def sentences(text: str) -> Iterator[Span]:
    """The sentences of a text as spans, trimmed; fragments without a word left out."""
    pattern = _ZH_END if CJK.search(text) else _EN_END
    start = 0
    for match in pattern.finditer(text):
        if match.start() > start:
            yield from _trimmed(text, start, match.start())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterable[Span]:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped or not _is_word(stripped):
        return []
    offset = start + (len(piece) - len(piece.lstrip()))
    return [Span(offset, offset + len(stripped))]
