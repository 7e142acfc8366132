"""Invented names for evaluation worlds: seeded two-syllable cores, never seen in the sample.

A core is two Chinese syllables with their pinyin ("岚峪", "Lanyu"). Every name of a world (a
city, a county, a park, a river, a place, an enterprise) is built on its own core, drawn without
replacement, so no name of a world is part of another. A core is refused when either spelling
occurs anywhere in the sample data or the vocabularies of data/ (the assistant must meet these
names for the first time).
"""

from __future__ import annotations

import csv
import json
import random
from functools import lru_cache
from pathlib import Path

from portal.layout import DATA_DIR

Pair = tuple[str, str]  # (Chinese, English)

# Literary characters that seldom make a word together, each with a distinct pinyin that does
# not start with a vowel (so "Xi" + "an" never reads as "Xian": every English core parses once).
# No pollutant, river, province or administrative character is among them.
_SYLLABLES = """
    岚lan 澄cheng 嵘rong 桦hua 栎li 璟jing 翎ling 箐qing 芷zhi 蔚wei 汀ting 琨kun 珈jia 岑cen
    杼zhu 枫feng 椿chun 槐huai 蓟ji 苒ran 鸢yuan 翡fei 琮cong 瑜yu 彤tong 昕xin 晔ye 泓hong 渥wo
    湄mei 濑lai 骁xiao 崧song 岱dai 峦luan 棠tang 荇xing 蘅heng 芊qian 萱xuan 晗han 曦xi 璞pu
    瑾jin 蕤rui 棣di 楠nan 珂ke 琬wan 筠yun 翌yi 砚yan 舸ge 湍tuan 垭ya 峤qiao 嶂zhang 麓lu 溆xu
    沱tuo 洹huan 淇qi 潆ying 洮tao 浔xun 邰tai 蓬peng 穆mu 棱leng 琅lang 玥yue 钧jun 铎duo 湛zhan
    蒹jian 苕shao 蓁zhen 楸qiu 缃xiang 琛chen 隽juan 朔shuo 晟sheng 畈fan 墩dun 陂bei 瑶yao 崮gu
    崆kong 岘xian 霖lin 澍shu 淼miao 洺ming 泷long 柘zhe 雯wen
"""
SYLLABLES: tuple[Pair, ...] = tuple((s[0], s[1:]) for s in _SYLLABLES.split())


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _file_text(path: Path) -> str:
    raw = path.read_text("utf-8-sig")
    if path.suffix == ".json":
        return "\n".join(_strings(json.loads(raw)))
    if path.suffix in (".ndjson", ".jsonl"):
        return "\n".join(
            s for line in raw.splitlines() if line.strip() for s in _strings(json.loads(line))
        )
    if path.suffix == ".csv":
        return "\n".join(cell for row in csv.reader(raw.splitlines()) for cell in row)
    return raw


@lru_cache(maxsize=1)
def seen_text() -> str:
    """Every text of the sample data and the vocabularies (data/*.csv), case-folded."""
    paths = sorted((DATA_DIR / "sample").glob("[0-9][0-9]-*.*")) + sorted(DATA_DIR.glob("*.csv"))
    return "\n".join(_file_text(p) for p in paths).casefold()


def is_seen(name: str) -> bool:
    """True when the name (either spelling) appears anywhere in the sample or the vocabularies."""
    return name.casefold() in seen_text()


class Namer:
    """Hands out fresh cores for one world, each syllable at most once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = list(SYLLABLES)
        rng.shuffle(self.pool)

    def core(self) -> Pair:
        """Two unused syllables whose spellings the sample never shows."""
        while len(self.pool) >= 2:
            (zh1, en1), (zh2, en2) = self.pool.pop(), self.pool.pop()
            zh, en = zh1 + zh2, (en1 + en2).capitalize()
            if not (is_seen(zh) or is_seen(en)):
                return zh, en
        raise RuntimeError("the syllables ran out: a world needs fewer names")


def city(core: Pair) -> Pair:
    """A prefecture-level city: 岚峪市, Lanyu."""
    return core[0] + "市", core[1]


def county(core: Pair) -> Pair:
    """A county: 琮霖县, Conglin County."""
    return core[0] + "县", core[1] + " County"


def park(core: Pair, circular: bool) -> Pair:
    """An industrial park, plain or of the circular economy."""
    if circular:
        return core[0] + "循环经济产业园", core[1] + " Circular Economy Industrial Park"
    return core[0] + "工业园区", core[1] + " Industrial Park"


def river(core: Pair) -> Pair:
    """A river: 翎澍河, Lingshu River."""
    return core[0] + "河", core[1] + " River"


PLACE_KINDS: tuple[Pair, ...] = (
    ("断面", "Section"),
    ("水库", "Reservoir"),
    ("村", "Village"),
    ("水电站", "Hydropower Station"),
    ("渡口", "Ferry"),
)


def place(core: Pair, kind: Pair) -> Pair:
    """A monitoring place on a river: 蓬穆断面, Pengmu Section."""
    return core[0] + kind[0], f"{core[1]} {kind[1]}"


FORMS: tuple[Pair, ...] = (
    ("有限公司", "Co., Ltd."),
    ("有限责任公司", "Co., Ltd."),
    ("股份有限公司", "Corp."),
    ("实业有限公司", "Industrial Co., Ltd."),
)


def enterprise(city_core: Pair, core: Pair, sector: Pair, form: Pair) -> tuple[Pair, Pair]:
    """An enterprise's full name and its short name (without the legal form)."""
    short = (city_core[0] + core[0] + sector[0], f"{city_core[1]} {core[1]} {sector[1]}")
    return (short[0] + form[0], f"{short[1]} {form[1]}"), short
