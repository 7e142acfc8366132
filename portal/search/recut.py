"""Records cut before a name in them was taught, found again and analysed anew (issue 20).

jieba keeps a name it was taught whole (蓝鳌坡再生铜业有限公司) and cuts it otherwise before
(蓝 / 鳌 / 坡 / 再生 / 铜业 / 有限公司). Names are taught as the records that define them are
indexed, so a record that mentions a name only a later record defines was cut without it: a
search for the name as a phrase, which asks for the whole word, did not find it, and `portal
check` could not tell (its revision and analysis are current).

Whenever a write teaches new names, both engines now (1) teach every name of the write before
analysing any of its records, and (2) look in the index for the records already there that hold
a new name in an old form (`old_forms`, taken before teaching): the words of the name as jieba
cut it then, as a phrase; or, for a name of two or three characters, a name taught before that
contains it (青蛙坪 in 青蛙坪海獭再生铝业科技有限公司: kept whole, with its parts of two and
three characters that are words indexed too, of which the new name is one now). The index
answers from its postings (a GIN lookup on PostgreSQL) without reading any record's text. The
records found are made into documents again; those whose text really holds the name
(`mentioning`) are analysed anew in the same transaction (the same Whoosh commit). The cost is
one indexed lookup per form and the records that match it, not a scan of every record per write
(a regular expression over 100,000 rows' stored text took 3.6 s for one name and 58 s for
1,000; the lookups of 1,000 names took 1.2 s): an import stays linear in what it writes.

A name whose old cut changes with the text around it (a character of its first or last word
taken into the word before or after it) is not found this way; `portal reindex` cuts every
record with every name.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from whoosh.query import Or, Phrase, Query, Term
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from portal.search.analysis import zh_terms

ZH_FIELDS = ("title_zh", "names", "text_zh")  # as search/query.py searches them

Cut = list[tuple[int, str]]  # (position, word): words of a name as an index holds them
Forms = dict[str, list[Cut]]  # a new name -> the ways records indexed before may hold it
BATCH = 500  # records made into documents at a time
TEXT_FIELDS = ("title_zh", "names", "text_zh", "title_en", "text_en")


def old_forms(names: Iterable[str], known: Iterable[str]) -> Forms:
    """How records indexed before the names were taught hold them (call it before teaching).

    Two ways: (1) the name as jieba cuts it now, the word at each position (not its sub-words),
    when that is more than one word; (2) for a name of two or three characters, each name
    already `known` that contains it (青蛙坪 in 青蛙坪海獭再生铝业科技有限公司): that one is
    kept whole, but its parts of two and three characters that are words are indexed too
    (search/analysis.py), and the new name becomes one. A name with neither (a dictionary
    word, or taught before) is left out."""
    out: Forms = {}
    wanted = {n.strip() for n in names if n and len(n.strip()) >= 2 and not n.isascii()}
    containing = _containing(sorted(n for n in wanted if len(n) <= 3), known)
    for name in sorted(wanted):
        terms, _ = zh_terms(name)
        words: dict[int, str] = {}
        for term, positions in terms.items():
            for position in positions:
                if len(term) > len(words.get(position, "")):
                    words[position] = term
        forms = [sorted(words.items())] if len(words) > 1 else []
        forms += [[(0, whole)] for whole in containing.get(name, ())]
        if forms:
            out[name] = forms
    return out


def user_words(path: Path) -> set[str]:
    """The names a Whoosh index's user dictionary holds (none when it has none yet)."""
    try:
        return {n for n in path.read_text("utf-8").splitlines() if n}
    except FileNotFoundError:
        return set()


def _containing(short: list[str], known: Iterable[str]) -> dict[str, list[str]]:
    """For each short name, the known names that contain it (one pass of `find` over the known
    names joined, per short name)."""
    if not short:
        return {}
    names = sorted(set(known))
    joined = "\n".join(names)
    starts = list(itertools.accumulate((len(n) + 1 for n in names[:-1]), initial=0))
    out: dict[str, list[str]] = {}
    for name in short:
        found: set[str] = set()
        at = joined.find(name)
        while at >= 0:
            whole = names[bisect.bisect_right(starts, at) - 1]
            if whole != name:
                found.add(whole)
            at = joined.find(name, at + 1)
        if found:
            out[name] = sorted(found)
    return out


def mentioning(docs: Iterable[dict[str, Any]], names: Iterable[str]) -> list[dict[str, Any]]:
    """The documents whose text holds one of the names (a phrase can match across words that
    only look alike)."""
    wanted = list(names)
    return [doc for doc in docs if any(n in _text(doc) for n in wanted)]


def _text(doc: Mapping[str, Any]) -> str:
    return "\n".join(str(doc.get(f) or "") for f in TEXT_FIELDS)


def whoosh_recut(
    writer: IndexWriter,
    forms: Forms,
    written: Collection[str],
    documents: Callable[[Sequence[str]], list[dict[str, Any]]],
) -> int:
    """Index again, in the writer's commit, the committed documents that hold a name as it was
    cut before it was taught; how many. `documents` makes documents of record ids."""
    if not forms:
        return 0
    with writer.searcher() as searcher:
        ids = whoosh_holding(searcher, forms, written)
    count = 0
    for start in range(0, len(ids), BATCH):
        for doc in mentioning(documents(ids[start : start + BATCH]), forms):
            writer.update_document(**doc)
            count += 1
    return count


def whoosh_holding(searcher: Searcher, forms: Forms, written: Collection[str]) -> list[str]:
    """Ids of the Whoosh documents, other than those being written, that hold one of the old
    forms (a phrase, or a whole name) in a Chinese field."""
    queries: list[Query] = []
    for cut in (cut for cuts in forms.values() for cut in cuts):
        words = [word for _, word in cut]
        if len(words) == 1:
            queries += [Term(field, words[0]) for field in ZH_FIELDS]
            continue
        slop = max(b[0] - a[0] for a, b in itertools.pairwise(cut))
        queries += [Phrase(field, words, slop=slop) for field in ZH_FIELDS]
    if not queries:
        return []
    found = {hit["id"] for hit in searcher.search(Or(queries), limit=None)}
    return sorted(found - set(written))
