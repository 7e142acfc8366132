"""Phrases shaped like names: a capitalised phrase ending in a head word ("the Qingshan Smelting
Company", "X River"), a romanised Chinese word standing alone ("in Zhangmu"), a Chinese phrase
ending in a head (某某冶炼厂, 青山冶炼公司) or followed by an industry (程岭再生铅). They are
what the question names that the gazetteer did not link; grounding.py tries them one edit away,
then calls them unknown. The shape comes from general language, not from any list of names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.assistant import lexicon
from portal.assistant.folding import syllables
from portal.assistant.gazetteer import (
    EN_INDUSTRY,
    EN_ORG,
    GENERIC,
    PLACE_KINDS,
    ZH_INDUSTRY,
    ZH_ORG,
)
from portal.assistant.text import words_of, zh_words

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
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
# Words around a name in a Chinese question, units too (多少吨原矿): never part of the name.
ZH_AROUND = frozenset(lexicon.ZH_STOP) | frozenset(
    words_of(
        """
        的 在 是 和 与 及 对 被 从 向 于 位于 哪 哪条 哪个 哪些 哪家 这条 那条 这家 那家 该 此 本
        各 每 所有 全部 什么 一条 一家 一个 附近 关于 发生 记录
        吨 万吨 公斤 千克 公里 千米 元 万元 亿元 户 倍
        """
    )
)
# Capitalised words that are English, not romanised Chinese names.
EN_PROPER = frozenset(words_of("china chinese english prc ai"))


@dataclass(frozen=True)
class Unlinked:
    """A phrase shaped like a name that names nothing the gazetteer holds."""

    surface: str  # the phrase as written ("the Qingshan Smelting Company" -> Qingshan ...)
    core: str  # its distinctive part, the words a record would have to contain ("Qingshan")
    kinds: tuple[str, ...]


def english_phrases(masked: str) -> list[tuple[int, int, Unlinked]]:
    """Capitalised phrases with a head word (the Qingshan Smelting Company, Qingxi River) and
    romanised Chinese words standing alone (in Zhangmu)."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(masked)]
    out: list[tuple[int, int, Unlinked]] = []
    used: set[int] = set()
    for k, (_s, _e, word) in enumerate(words):
        kinds = HEADS_EN.get(word.lower())
        if kinds is None or k == 0 or k in used:
            continue
        j = k - 1
        while j >= 0 and _joined(masked, words[j], words[j + 1]) and _in_name(words[j][2]):
            j -= 1
        last = k  # "Co., Ltd.": the legal form goes on past the first head
        while (
            last + 1 < len(words)
            and _joined(masked, words[last], words[last + 1])
            and words[last + 1][2].lower() in (*HEADS_EN, *EN_ORG)
        ):
            last += 1
        phrase = words[j + 1 : last + 1]
        core = [w for _s2, _e2, w in phrase if _distinctive(w)]
        if not core or len(phrase) < 2:
            continue
        used.update(range(j + 1, last + 1))
        start, end = phrase[0][0], phrase[-1][1]
        end += 1 if masked[end : end + 1] == "." else 0  # "Ltd."
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


def chinese_phrases(masked: str) -> list[tuple[int, int, Unlinked]]:
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
            # Back over the words before the head while they are not words around a name, up
            # to a name's length (jieba cuts an unknown name into single characters).
            while j > 0 and tokens[j - 1] not in ZH_AROUND and len("".join(tokens[j:k])) < 8:
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
    return out + _before_industry(masked)


_INDUSTRY_AFTER = re.compile(
    r"([\u3400-\u9fff]{2,4}?)(?=" + "|".join(sorted(ZH_INDUSTRY, key=len, reverse=True)) + ")"
)


def _before_industry(masked: str) -> list[tuple[int, int, Unlinked]]:
    """A trade name followed by its industry (程岭再生铅): two to four characters that are not a
    word of the language, right before an industry word, after a word around names."""
    import jieba_fast_dat as jieba

    out = []
    for run in _CJK_RUN.finditer(masked):
        tokens = zh_words(run.group())
        at = 0
        for k, token in enumerate(tokens):
            at = run.group().find(token, at)
            follows = "".join(tokens[k + 1 : k + 3])
            starts_industry = any(follows.startswith(w) for w in ZH_INDUSTRY if len(w) >= 2)
            if (
                2 <= len(token) <= 4
                and starts_industry
                and token not in GENERIC
                and token not in ZH_AROUND
                and not jieba.get_FREQ(token)
            ):
                start = run.start() + at
                out.append((start, start + len(token), Unlinked(token, token, ("enterprise",))))
            at += len(token)
    return out


_LEGAL = ("股份有限", "有限责任", "有限")  # a legal form cut short by the head (有限 + 公司)


def _trim(modifier: str) -> str:
    for word in sorted((*ZH_INDUSTRY, *ZH_ORG, *_LEGAL), key=len, reverse=True):
        if modifier.endswith(word) and len(modifier) > len(word):
            return modifier[: -len(word)]
    return modifier
