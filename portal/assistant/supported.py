"""Whether a sentence a language model wrote is supported by the sources it cites: every number
in it, and every proper name, must be in those sources as the model was given them (title,
record id, dates, who a part is about, the passage). A sentence that fails is removed by the
check (check.py), like a sentence whose citation names no source; one with a web address always
is, and so is one with a number or a name and no citation at all.

The names looked for are those the retrieved records hold (facets.proper_names: their own names,
places, sites, provinces and the enterprises and departments they name), so a model cannot move
a name from one record to another's citation; and any capitalised English word and any word
jieba tags as a Chinese proper name, so it cannot bring one in from elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from langchain_core.documents import Document

from portal.assistant.facets import MONTHS
from portal.assistant.injection import URL
from portal.assistant.text import CJK, zh_words

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITALISED = re.compile(r"(?<![\w'])[A-Z][a-z]+(?:[-'][A-Za-z]+)*")
# Capitalised words that are English, not names a record must hold.
GENERAL = frozenset(
    [*MONTHS, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
     "China", "Chinese", "English", "Class", "Grade", "Standard", "No"]
)  # fmt: skip


def source_text(doc: Document) -> str:
    """A source as the model reads it: what it is, its dates, and its words."""
    meta = doc.metadata
    head = f"{meta['title']} ({meta['kind']} {meta['id']}"
    head += f", {meta['date']}" if meta.get("date") else ""
    head += (
        f", as of {meta['day']}" if meta.get("day") and meta.get("day") != meta.get("date") else ""
    )
    label = meta.get("label") or ""
    body = f"{label}: {doc.page_content}" if label else doc.page_content
    return f"{head})\n{body}"


def numbers(text: str) -> set[str]:
    """The numbers of a text, as digits (thousands separators and leading zeros dropped), with
    the month of any month name (a date written "19 January" has the 1 of "2012-01-19")."""
    out = set()
    for match in _NUMBER.findall(text):
        plain = match.replace(",", "")
        if re.fullmatch(r"\d+", plain):
            plain = str(int(plain))
        out.add(plain)
        out.update(str(int(p)) for p in re.split(r"[.,]", match) if p.isdigit())
    for i, month in enumerate(MONTHS, 1):
        if month in text:
            out.add(str(i))
    return out


def supported(sentence: str, cited: Iterable[Document], names: Iterable[str]) -> bool:
    """True when every number and name of the sentence is in the sources it cites."""
    if URL.search(sentence):
        return False
    allowed = "\n".join(source_text(doc) for doc in cited)
    folded = allowed.casefold()
    if not numbers(sentence) <= numbers(allowed):
        return False
    for name in names:
        if name.casefold() in sentence.casefold() and name.casefold() not in folded:
            return False
    if any(name.casefold() not in folded for name in chinese_names(sentence)):
        return False
    words = _CAPITALISED.findall(sentence)
    start = sentence.lstrip(" \"'“(")
    for word in words:
        if start.startswith(word) or word in GENERAL:
            continue  # the first word of a sentence is capitalised whatever it is
        if word.casefold() not in folded:
            return False
    return True


_NAME_TAGS = frozenset({"nr", "ns", "nt", "nz"})  # jieba's person, place, organisation, other


def chinese_names(sentence: str) -> list[str]:
    """The Chinese proper names of a sentence, by jieba's part-of-speech tags (a name the search
    taught jieba, an enterprise's or a river's, is tagged x: those count too)."""
    if not CJK.search(sentence):
        return []
    zh_words("")  # jieba's dictionary first, with the names the search index taught it
    from jieba_fast_dat import posseg

    out = []
    for pair in posseg.cut(sentence):
        word, tag = pair.word, pair.flag
        if len(word) >= 2 and CJK.search(word) and (tag in _NAME_TAGS or tag == "x"):
            out.append(word)
    return out


def claims(sentence: str, names: Iterable[str]) -> bool:
    """True when a sentence states a number, a name or a link (and so needs a citation)."""
    if URL.search(sentence) or _NUMBER.search(sentence) or chinese_names(sentence):
        return True
    lowered = sentence.casefold()
    return any(n.casefold() in lowered for n in names)
