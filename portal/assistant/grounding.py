"""Grounding a question: every name in it linked to what the records hold, or reported unknown.

A name is linked as the records write it, in traditional characters, without its legal form or
unit, by its trade name, in pinyin, by a credit code or permit number, or one edit away. A phrase
shaped like a name ("the Qingshan Smelting Company", "某某冶炼厂", "Zhangmu") that links to
nothing is unknown, and the answer is a refusal that names it: answering it with another
enterprise's records would be a confident wrong answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from portal.assistant import lexicon
from portal.assistant.folding import fold, latin_key, pinyin_keys, syllables, within_one
from portal.assistant.gazetteer import (
    EN_INDUSTRY,
    EN_ORG,
    GENERIC,
    PLACE_KINDS,
    ZH_INDUSTRY,
    ZH_ORG,
    Entity,
    Gazetteer,
)  # fmt: skip
from portal.assistant.text import language, words_of, zh_words

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_CODE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z][0-9A-Za-z-]{6,}[0-9A-Za-z](?![0-9A-Za-z])")
_ENTERPRISE = ("enterprise", "site", "department")
HEADS_EN: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(words_of("company co corp corporation ltd limited group plant factory works "
                             "smelter smeltery refinery mine yard"), _ENTERPRISE),
    **dict.fromkeys(words_of("river creek stream brook"), ("river",)),
    **dict.fromkeys(words_of("lake reservoir"), ("river", "site")),
    **dict.fromkeys(words_of("county district"), ("county",)),
    **dict.fromkeys(words_of("city prefecture"), ("city",)),
    **dict.fromkeys(words_of("park zone"), ("park",)),
    **dict.fromkeys(words_of("bureau department administration ministry commission government"),
                    ("department",)),
    **dict.fromkeys(words_of("station town township village"), ("site",)),
}  # fmt: skip
HEADS_ZH: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("公司", "厂", "集团", "矿"), _ENTERPRISE),
    **dict.fromkeys(("河", "江", "溪", "涌", "渠"), ("river",)),
    **dict.fromkeys(("湖", "水库"), ("river", "site")),
    **dict.fromkeys(("县", "区", "旗"), ("county",)),
    "市": ("city",),
    **dict.fromkeys(("园区", "工业园", "开发区"), ("park",)),
    **dict.fromkeys(("局", "厅", "委员会", "政府"), ("department",)),
    **dict.fromkeys(("站", "镇", "乡", "村"), ("site",)),
}
# Words around a name in a Chinese question: never part of the name.
ZH_AROUND = frozenset(lexicon.ZH_STOP) | frozenset(
    words_of(
        """
        的 在 是 和 与 及 对 被 从 向 于 位于 哪 哪条 哪个 哪些 哪家 这条 那条 这家 那家 该 此 本
        各 每 所有 全部 什么 一条 一家 一个 附近 关于 发生 记录
        """
    )
)
# Capitalised words that are English, not romanised Chinese names.
EN_PROPER = frozenset(words_of("china chinese english prc ai"))


@dataclass(frozen=True)
class Link:
    """A name of the question and what it names."""

    start: int
    end: int
    surface: str  # as the question wrote it
    entities: tuple[Entity, ...]
    how: str  # recorded, short, pinyin, code, fuzzy, homophone


@dataclass(frozen=True)
class Unlinked:
    """A phrase shaped like a name that names nothing the gazetteer holds."""

    surface: str  # the phrase as written ("the Qingshan Smelting Company" -> Qingshan ...)
    core: str  # its distinctive part, the words a record would have to contain ("Qingshan")
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Grounding:
    """The names of a question, linked or not, and the question with the records' spellings."""

    text: str
    links: tuple[Link, ...]
    unlinked: tuple[Unlinked, ...]
    canonical: str

    def entities(self, *kinds: str) -> list[Entity]:
        """The entities linked, of some kinds (all when none given)."""
        out = [e for link in self.links for e in link.entities if not kinds or e.kind in kinds]
        return list(dict.fromkeys(out))


def _matches(
    gaz: Gazetteer, folded: str, text: str
) -> list[tuple[int, int, int, set[Entity], str]]:
    """Every (start, end, priority, entities, how) where a form of a name occurs."""
    found = []
    for m in _CODE.finditer(text):
        entity = gaz.codes.get(m.group().upper())
        if entity is not None:
            found.append((m.start(), m.end(), 5, {entity}, "code"))
    for run in _CJK_RUN.finditer(folded):
        chars, base = run.group(), run.start()
        for i in range(len(chars)):
            for size in range(min(gaz.longest, len(chars) - i), 1, -1):
                key = chars[i : i + size]
                for table, priority in ((gaz.full, 4), (gaz.short, 3)):
                    if key in table:
                        how = "recorded" if text[base + i : base + i + size] == key else "folded"
                        found.append((base + i, base + i + size, priority, table[key], how))
    tokens = [(m.start(), m.end(), m.group()) for m in _LATIN.finditer(folded)]
    for i in range(len(tokens)):
        for n in range(1, min(6, len(tokens) - i) + 1):
            part = tokens[i : i + n]
            start, end = part[0][0], part[-1][1]
            key = " ".join(t[2] for t in part)
            for table, priority in ((gaz.full, 4), (gaz.short, 3)):
                if key in table:
                    found.append((start, end, priority, table[key], "recorded"))
            joined = key.replace(" ", "")
            if n <= 4 and len(joined) >= 5 and joined in gaz.pinyin:
                found.append((start, end, 2, gaz.pinyin[joined], "pinyin"))
    return found


def _choose(found: list[tuple[int, int, int, set[Entity], str]], text: str) -> list[Link]:
    """The longest names first, then the surer forms; a name inside another is not one."""
    taken: list[Link] = []
    for start, end, _p, entities, how in sorted(found, key=lambda f: (f[0] - f[1], -f[2], f[0])):
        if any(start < link.end and link.start < end for link in taken):
            continue
        ordered = tuple(sorted(entities, key=lambda e: (e.kind, e.key)))
        taken.append(Link(start, end, text[start:end], ordered, how))
    return sorted(taken, key=lambda link: link.start)


def _masked(text: str, links: Iterable[Link]) -> str:
    chars = list(text)
    for link in links:
        chars[link.start : link.end] = " " * (link.end - link.start)
    return "".join(chars)


def _english_phrases(masked: str) -> list[tuple[int, int, Unlinked]]:
    """Capitalised phrases with a head word (the Qingshan Smelting Company, Qingxi River) and
    romanised Chinese words standing alone (in Zhangmu)."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(masked)]
    out: list[tuple[int, int, Unlinked]] = []
    used: set[int] = set()
    for k, (_s, end, word) in enumerate(words):
        kinds = HEADS_EN.get(word.lower())
        if kinds is None or k == 0:
            continue
        j = k - 1
        while j >= 0 and _joined(masked, words[j], words[j + 1]) and _in_name(words[j][2]):
            j -= 1
        phrase = words[j + 1 : k + 1]
        core = [w for _s2, _e2, w in phrase if _distinctive(w)]
        if not core or len(phrase) < 2:
            continue
        used.update(range(j + 1, k + 1))
        start = phrase[0][0]
        out.append((start, end, Unlinked(masked[start:end], " ".join(core), kinds)))
    for k, (start, end, word) in enumerate(words):
        initial = not masked[:start].strip() or masked[:start].rstrip()[-1] in ".?!。？！"
        if k in used or initial or not word[0].isupper() or word.isupper():
            continue
        if _distinctive(word) and syllables(word) >= 2:
            out.append((start, end, Unlinked(word, word, (*PLACE_KINDS, *_ENTERPRISE))))
    return out


def _joined(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    return re.fullmatch(r"[\s,.]{0,3}", text[left[1] : right[0]]) is not None


def _in_name(word: str) -> bool:
    low = word.lower()
    return word[0].isupper() or low in EN_INDUSTRY or low in HEADS_EN or low in EN_ORG


def _distinctive(word: str) -> bool:
    low = word.lower()
    return (
        word[0].isupper()
        and low not in GENERIC
        and low not in HEADS_EN
        and low not in EN_PROPER
        and not any(low == m.lower() for m in _MONTHS)
    )


_MONTHS = words_of("January February March April May June July August September October November "
           "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday")  # fmt: skip


def _chinese_phrases(masked: str) -> list[tuple[int, int, Unlinked]]:
    """Chinese phrases ending in a head (公司, 厂, 河, 县, 园区...) whose words before it are not
    words of the question around them: 某某冶炼厂, 青山冶炼公司."""
    import jieba_fast_dat as jieba

    out: list[tuple[int, int, Unlinked]] = []
    for run in _CJK_RUN.finditer(masked):
        tokens = zh_words(run.group())
        ends, at = [], 0
        for token in tokens:
            at = run.group().find(token, at) + len(token)
            ends.append(at)
        for k, token in enumerate(tokens):
            head = next(
                (h for h in sorted(HEADS_ZH, key=len, reverse=True) if token.endswith(h)), None
            )
            if head is None:
                continue
            j = k
            while j > 0 and k - j < 3 and tokens[j - 1] not in ZH_AROUND:
                j -= 1
            phrase = "".join(tokens[j : k + 1])
            modifier = phrase[: -len(head)]
            while True:
                shorter = _trim(modifier)
                if shorter == modifier:
                    break
                modifier = shorter
            if len(modifier) < 2 or modifier in GENERIC or jieba.get_FREQ(phrase):
                continue  # a word of the language (水电站, 自治区), not a name
            start = run.start() + ends[k] - len(phrase)
            out.append((start, run.start() + ends[k], Unlinked(phrase, modifier, HEADS_ZH[head])))
    return out


def _trim(modifier: str) -> str:
    for word in sorted((*ZH_INDUSTRY, *ZH_ORG), key=len, reverse=True):
        if modifier.endswith(word) and len(modifier) > len(word):
            return modifier[: -len(word)]
    return modifier


def _fuzzy(gaz: Gazetteer, phrase: Unlinked) -> tuple[set[Entity], str] | None:
    """The one entity a phrase names with one letter or character wrong, or a homophone."""
    cjk = _CJK_RUN.fullmatch(phrase.core) is not None
    key = fold(phrase.core) if cjk else latin_key(phrase.core)
    found: set[Entity] = set()
    how = "fuzzy"
    heard = [r for r in pinyin_keys(key) if r in gaz.pinyin] if cjk else []
    if heard:
        found, how = {e for r in heard for e in gaz.pinyin[r]}, "homophone"
    elif len(key) >= (4 if cjk else 5):
        for table in (gaz.full, gaz.short):
            for form, entities in table.items():
                if abs(len(form) - len(key)) <= 1 and within_one(key, form):
                    found |= entities
        if not cjk:
            for form, entities in gaz.pinyin.items():
                if abs(len(form) - len(key)) <= 2 and within_one(key.replace(" ", ""), form):
                    found |= entities
    found = {e for e in found if e.kind in phrase.kinds}
    return (found, how) if len({e.key for e in found}) == 1 else None


def ground(text: str, gaz: Gazetteer) -> Grounding:
    """Link the names of a (normalised) question to the gazetteer's entities."""
    folded = fold(text)
    links = _choose(_matches(gaz, folded, text), text)
    masked = _masked(text, links)
    unlinked = []
    phrases = sorted(_english_phrases(masked) + _chinese_phrases(masked), key=lambda p: p[0])
    for start, end, phrase in phrases:
        if any(start < link.end and link.start < end for link in links):
            continue
        matched = _fuzzy(gaz, phrase)
        if matched is None:
            unlinked.append(phrase)
            continue
        entities, how = matched
        ordered = tuple(sorted(entities, key=lambda e: e.key))
        links.append(Link(start, end, text[start:end], ordered, how))
    links.sort(key=lambda link: link.start)
    return Grounding(folded_cjk(text), tuple(links), tuple(unlinked), _canonical(text, links))


def folded_cjk(text: str) -> str:
    """The text with its Chinese in simplified characters, the rest as written."""
    folded = fold(text)
    return "".join(f if _CJK_RUN.match(c) else c for c, f in zip(text, folded, strict=True))


def _canonical(text: str, links: list[Link]) -> str:
    """The question with the records' spellings for names written otherwise."""
    lang = language(text)
    out = folded_cjk(text)
    for link in sorted(links, key=lambda x: -x.start):
        if link.how in ("pinyin", "fuzzy", "homophone") and len(link.entities) == 1:
            entity = link.entities[0]
            name = entity.name(lang)
            if link.how == "pinyin" and entity.kind in PLACE_KINDS and lang == "en":
                name = entity.en or entity.zh
            out = out[: link.start] + name + out[link.end :]
    return out
