"""Text analysis: jieba for Chinese (search mode, counted positions), stemming for English.

jieba runs as jieba_fast_dat: the same algorithm and dictionary compiled in C++ (MIT), seven
times faster here, which is what makes indexing 100,000 records in minutes possible
(docs/decisions/0006).

jieba's own ChineseAnalyzer reports character offsets as positions, which breaks phrase
queries; this tokenizer counts words instead. Sub-words that search mode adds (龙江 and 江河 inside
龙江河) share the position of the word they come from, so a phrase can match either.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jieba_fast_dat as jieba
from whoosh.analysis import (
    STOP_WORDS,
    Analyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)

jieba.setLogLevel(logging.WARNING)
_LOCK = threading.RLock()
_READY = threading.Event()


def ensure_dictionary() -> None:
    """Load jieba's dictionary once per process (about a second); tokenizing before that would
    cut every character apart."""
    if _READY.is_set():
        return
    with _LOCK:
        if not _READY.is_set():
            jieba.initialize()
            _READY.set()


_LOADED: dict[str, float] = {}  # user dictionary path -> mtime loaded
_TAUGHT: set[str] = set()  # names added to jieba's dictionary in this process


_WORDLIKE = re.compile(r"[^\W_]")


def _is_word(text: str) -> bool:
    """True for a token with a letter or digit in it (not punctuation or space)."""
    return _WORDLIKE.search(text) is not None


class ChineseTokenizer(Tokenizer):
    """Words in jieba's default cut, numbered in order, plus search-mode sub-words.

    With `normalize` (the analyzer's setting) it also does the filters' work in the same loop,
    which halves the cost of indexing: English words are lower-cased and stemmed, and stop
    words dropped, exactly as the English analyzer does."""

    def __init__(self, normalize: bool = False) -> None:
        self.normalize = normalize

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = start_pos
        ensure_dictionary()
        freq = jieba.get_FREQ
        normalize = self.normalize
        for word, start, _end in jieba.tokenize(value, HMM=False):
            if not _is_word(word):
                continue
            if normalize and word.isascii():
                word = word.lower()
                if word in STOPS:
                    position += 1
                    continue
                word = _stem(word)
            elif normalize and word in STOPS:
                position += 1
                continue
            for text, offset in _with_subwords(word, freq):
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = position
                if chars:
                    token.startchar = start_char + start + offset
                    token.endchar = token.startchar + len(text)
                yield token
            position += 1


def _with_subwords(word: str, freq: Callable[[str], Any]) -> Iterator[tuple[str, int]]:
    """The parts of a long word, then the word itself.

    As jieba's search mode: the 2- and 3-character dictionary words inside it. Names taught to
    jieba (金河矿业, 台州澄川再生铜业有限公司) also contain parts no dictionary knows (澄川):
    such runs are given whole and character by character, so that a search for part of a name
    finds it however the query is cut."""
    if len(word) > 2 and not word.isascii():
        covered = [False] * len(word)
        for size in (2, 3):
            if len(word) > size:
                for i in range(len(word) - size + 1):
                    gram = word[i : i + size]
                    if freq(gram):
                        covered[i : i + size] = [True] * size
                        yield gram, i
        start = None
        for i, done in enumerate([*covered, True]):
            if not done and start is None:
                start = i
            elif done and start is not None:
                run = word[start:i]
                if 1 < len(run) < len(word):
                    yield run, start
                for j, ch in enumerate(run):
                    if ch.isalnum():
                        yield ch, start + j
                start = None
    yield word, 0


# Function words that carry no meaning in a search. Single characters are kept otherwise:
# 镉, 铅 and 砷 are whole words.
CHINESE_STOPS: frozenset[str] = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "对",
        "于",
        "为",
        "而",
        "并",
        "等",
        "其",
        "之",
        "也",
        "被",
        "把",
        "将",
        "从",
        "以",
        "由",
    ]
)


STOPS = STOP_WORDS | CHINESE_STOPS
# Porter, as StemFilter stems, behind our own cache (StemFilter's cached stemmer is private)
_stem = functools.lru_cache(maxsize=50_000)(StemFilter().stemfn)


# --- the same analysis for indexing, without Token objects --------------------------------
#
# Building the index runs every word of every record through the analyzers above; these
# functions give the same terms at the same positions (tests/search/test_analysis.py compares
# them) as plain dicts, and remember what each distinct word becomes, which is most of the work.

_ZH_WORDS: dict[str, tuple[bool, tuple[str, ...]]] = {}  # jieba word -> (counts?, its terms)
_EN_WORDS: dict[str, str | None] = {}  # lower-cased English word -> its stem, None if a stop
_UNKNOWN = ""  # not a stem: no word is empty
_CACHE_LIMIT = 500_000
# whoosh's RegexTokenizer default pattern, with a non-capturing group so findall gives words.
_EN_WORD = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")


def _zh_word(word: str) -> tuple[bool, tuple[str, ...]]:
    """What ChineseTokenizer(normalize=True) makes of one word of jieba's cut."""
    if not _is_word(word):
        return False, ()
    if word.isascii():
        word = word.lower()
        if word in STOPS:
            return True, ()
        word = _stem(word)
    elif word in STOPS:
        return True, ()
    return True, tuple(text for text, _ in _with_subwords(word, jieba.get_FREQ))


def zh_terms(value: str) -> tuple[dict[str, list[int]], int]:
    """The terms of Chinese (or mixed) text with their positions, and how many tokens."""
    ensure_dictionary()
    if len(_ZH_WORDS) > _CACHE_LIMIT:
        _ZH_WORDS.clear()
    known = _ZH_WORDS
    out: defaultdict[str, list[int]] = defaultdict(list)
    position = 0
    for word in jieba.lcut(value, HMM=False):
        entry = known.get(word)
        if entry is None:
            entry = known[word] = _zh_word(word)
        counts, terms = entry
        if counts:
            for term in terms:
                out[term].append(position)
            position += 1
    return out, sum(map(len, out.values()))


def en_terms(value: str, spelling: set[str] | None = None) -> tuple[dict[str, list[int]], int]:
    """The terms of English text with their positions (as english_analyzer gives them), and
    how many tokens; the unstemmed words go into `spelling` (what whoosh's corrector reads)."""
    if len(_EN_WORDS) > _CACHE_LIMIT:
        _EN_WORDS.clear()
    known = _EN_WORDS
    if value.isascii():  # lower-casing first cannot change where words begin and end
        words = _EN_WORD.findall(value.lower())
    else:
        words = [w.lower() for w in _EN_WORD.findall(value)]
    if spelling is not None:
        spelling.update(words)
        spelling.difference_update(STOPS)
    out: defaultdict[str, list[int]] = defaultdict(list)
    for position, word in enumerate(words):
        term = known.get(word, _UNKNOWN)
        if term is _UNKNOWN:
            term = known[word] = None if word in STOPS else _stem(word)
        if term is not None:
            out[term].append(position)
    return out, sum(map(len, out.values()))


# --- character pairs: every Chinese substring findable however jieba cut it (issue 21) ------
#
# jieba cuts the same characters into different words by what surrounds them (a three-character
# term in one record, two words in another), and a search finds only the cut it was given. Each
# document also keeps every pair of neighbouring Chinese characters (its `grams` field); a typed
# Chinese word of two or more characters matches its pairs one after the other, so a record
# holding the characters is found whatever its cut. Pairs serve recall only: hits holding the
# word as a word rank first (search/query.py: tiers).

# Chinese characters: the CJK ideograph blocks (unified, extension A to H, compatibility).
CHINESE_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def gram_terms(value: str) -> tuple[dict[str, list[int]], int]:
    """Every pair of neighbouring Chinese characters in the text, with its position (the n-th
    pair), and how many. A run of Chinese characters ends at anything else (a letter, a digit,
    punctuation, a line), and the next run starts one position later, so that the pairs of
    a phrase never join two runs."""
    out: defaultdict[str, list[int]] = defaultdict(list)
    position = 0
    count = 0
    for run in CHINESE_RUN.findall(value):
        for i in range(len(run) - 1):
            out[run[i : i + 2]].append(position)
            position += 1
        count += max(0, len(run) - 1)
        position += 1  # a gap: a phrase of pairs cannot run from one run into the next
    return out, count


def chinese_grams(word: str) -> list[str] | None:
    """The pairs a typed word must hold, one after the other: for a word of two or more
    Chinese characters and nothing else; None for any other word."""
    if len(word) < 2 or not CHINESE_RUN.fullmatch(word):
        return None
    return [word[i : i + 2] for i in range(len(word) - 1)]


class GramTokenizer(Tokenizer):
    """The tokens of `gram_terms`, for Whoosh's writer (a live update); the fast build calls
    `gram_terms` itself (search/build.py)."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        found, _ = gram_terms(value)
        placed = sorted((p, text) for text, where in found.items() for p in where)
        for position, text in placed:
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + position
            yield token


def gram_analyzer() -> Analyzer:
    """Analyzer of the `grams` field: pairs of neighbouring Chinese characters."""
    return GramTokenizer()


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of jieba's cut of the text begins and ends (spaces and punctuation are
    words of their own here): where a snippet may cut the text (search/query.py)."""
    ensure_dictionary()
    return [(start, end) for _, start, end in jieba.tokenize(text, HMM=False)]


def _stops() -> StopFilter:
    # renumber=False keeps the positions the tokenizer counted (sub-words share one).
    return StopFilter(stoplist=STOPS, minsize=1, renumber=False)


def chinese_analyzer() -> Analyzer:
    """Analyzer for Chinese (and mixed) text fields: the tokenizer normalises as it goes."""
    return ChineseTokenizer(normalize=True)


def english_analyzer() -> Analyzer:
    """Analyzer for English text fields: the same filters, so an English word is one term."""
    return RegexTokenizer() | LowercaseFilter() | _stops() | StemFilter()


def teach(names: Iterable[str]) -> None:
    """Teach jieba names so that each is one word (and its parts are still indexed)."""
    ensure_dictionary()
    with _LOCK:
        new = [n for n in names if n not in _TAUGHT]
        for name in new:
            # jieba picks a frequency that keeps the name whole. Only once: a second add_word
            # raises its frequency again, and processes that loaded the same names a different
            # number of times (the one that rebuilt, the web workers) would cut text differently.
            jieba.add_word(name)
            _TAUGHT.add(name)
        if new:
            _ZH_WORDS.clear()  # their cut and sub-words may differ now


USER_WORDS = "userwords.txt"  # the names jieba is taught, in an index folder


def load_user_words(path: Path) -> None:
    """Teach jieba the names in a user dictionary file (one per line), once per change."""
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return
    ensure_dictionary()
    with _LOCK:
        if _LOADED.get(str(path)) == mtime:
            return
        teach(n.strip() for n in path.read_text("utf-8").splitlines() if n.strip())
        _LOADED[str(path)] = mtime


def save_user_words(path: Path, names: Iterable[str]) -> bool:
    """Add names to the user dictionary file; True when it grew (then callers reload it)."""
    wanted = {n.strip() for n in names if n and len(n.strip()) >= 2 and not n.isascii()}
    try:
        known = set(path.read_text("utf-8").split("\n"))
    except FileNotFoundError:
        known = set()
    new = sorted(wanted - known)
    if not new:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(sorted((known | set(new)) - {""})) + "\n", "utf-8")
    tmp.replace(path)
    return True
