"""The last step of every answer: citations are checked against the sources, whoever wrote it.

A marker that names no source, or a source whose quoted words are not the record's own, is
removed, and so is a sentence a model wrote whose numbers or names its cited sources do not
hold (supported.py); a sentence whose every marker was removed goes with them (it claimed
evidence it does not have); the markers left are renumbered in order of appearance. An answer
with no valid citation left is a refusal.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from portal.assistant.answer import Citation
from portal.assistant.compose import Draft, Source
from portal.assistant.supported import claims, supported
from portal.assistant.timing import now_or_later_note

MARKERS = re.compile(r"\s?\[(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\]")
# A sentence ends at . ! ? (before a space, a marker or the end) or 。！？, or at a line end;
# the markers right after its end belong to it.
_UNIT = re.compile(
    r".*?(?:[。！？]|[.!?](?=\s|\[|$)|\n|$)(?:\s?\[\d{1,3}(?:\s*[,，、]\s*\d{1,3})*\])*", re.S
)


def _valid(source: Source) -> bool:
    return bool(source.passage.strip()) and source.passage in source.document.page_content


def _supported(draft: Draft, unit: str, wanted: list[int]) -> bool:
    """A model's sentence: its numbers and names are in the valid sources it cites."""
    cited = [
        draft.sources[n - 1].document
        for n in wanted
        if 1 <= n <= len(draft.sources) and _valid(draft.sources[n - 1])
    ]
    return bool(cited) and supported(MARKERS.sub("", unit), cited, draft.names)


def verify(draft: Draft, base: str, lang: str) -> tuple[str, list[Citation], datetime | None]:
    """The answer with only valid, renumbered citations (empty text when none is left)."""
    numbers: dict[int, int] = {}  # source number -> citation number
    citations: list[Citation] = []
    newest: datetime | None = None
    days: list[str] = []  # the days the kept sources are evidence of

    def keep(n: int) -> int | None:
        nonlocal newest
        if not 1 <= n <= len(draft.sources) or not _valid(draft.sources[n - 1]):
            return None
        if n not in numbers:
            source = draft.sources[n - 1]
            numbers[n] = len(citations) + 1
            citations.append(_citation(source, numbers[n], base, lang))
            meta = source.document.metadata
            days.append(str(meta.get("day") or meta.get("date") or ""))
            updated = datetime.fromisoformat(source.document.metadata["updated_at"])
            newest = updated if newest is None or updated > newest else newest
        return numbers[n]

    out: list[str] = []
    for unit in _UNIT.findall(draft.text):
        if not unit:
            continue
        groups = MARKERS.findall(unit)
        if not groups:
            if not (draft.written and claims(unit, draft.names)):
                out.append(unit)  # a model's figure or name with no citation goes
            continue
        wanted = [int(n) for group in groups for n in re.split(r"\s*[,，、]\s*", group)]
        if draft.written and not _supported(draft, unit, wanted):
            continue  # a number or a name its sources do not hold
        if not any(keep(n) is not None for n in wanted):
            continue  # every source it named is invalid: the claim goes too

        def renumber(match: re.Match[str]) -> str:
            numbers = [int(n) for n in re.split(r"\s*[,，、]\s*", match.group(1))]
            kept = [k for k in dict.fromkeys(keep(n) for n in numbers) if k is not None]
            space = match.group()[: len(match.group()) - len(match.group().lstrip())]
            return space + "".join(f"[{k}]" for k in kept) if kept else ""

        out.append(MARKERS.sub(renumber, unit))
    if not citations:
        return "", [], None
    text = "".join(out).strip()
    if draft.now_or_later:  # said by the portal after the check, whoever wrote the answer
        text += "\n" + now_or_later_note(max(days) or None, lang)
    return text, citations, newest


def _citation(source: Source, n: int, base: str, lang: str) -> Citation:
    meta = source.document.metadata
    title = (meta["title_en"] if lang == "en" else meta["title_zh"]) or meta["title"]
    return Citation(
        n=n,
        id=meta["id"],
        kind=meta["kind"],
        title=title or meta["id"],
        url=f"{base}{meta['url']}",
        html=f"{base}{meta['html']}",
        passage=source.passage,
        field=meta.get("fact"),
        date=date.fromisoformat(meta["date"]) if meta.get("date") else None,
        publisher=meta["publisher"],
    )
