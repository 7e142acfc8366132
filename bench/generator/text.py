"""Sentences from templates: filled once per run into pools, then drawn to build each text.

A template is a (Chinese, English) pair with `{slot}` placeholders; a slot is filled with a word
pair (tables.WORDS, or words a pool fixes) or a number drawn in a range. Long texts are made by
drawing filled sentences from pools until a drawn length is reached, never passing a cap.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from bench.generator.tables import WORDS, Pair

Rand = Callable[[], float]


class Sentence(NamedTuple):
    """A filled sentence (or a run of two or three), ready to append to a text."""

    zh: str
    en: str  # with a leading space, to follow the sentence before it
    length: int  # of the Chinese
    template: int  # the template it came from (the first one's, for a run)
    zh_paragraph: str  # the same sentence opening a new paragraph
    en_paragraph: str


def _slot_values(rng: random.Random) -> dict[str, Callable[[], Pair]]:
    """Functions that draw the (Chinese, English) value of each template slot."""
    r = rng.random

    def pick(items: Sequence[Pair]) -> Callable[[], Pair]:
        return lambda: items[int(r() * len(items))]

    def num(lo: int, hi: int, en_scale: int = 1) -> Callable[[], Pair]:
        def draw() -> Pair:
            k = lo + int(r() * (hi - lo + 1))
            return Pair(str(k), f"{k * en_scale:,}")

        return draw

    def real(lo: float, hi: float, fmt: str) -> Callable[[], Pair]:
        def draw() -> Pair:
            s = format(lo + (hi - lo) * r(), fmt)
            return Pair(s, s)

        return draw

    slots = {name: pick(items) for name, items in WORDS.items()}
    slots.update(
        n=num(2, 12),
        n2=num(2, 8),
        days=num(3, 30),
        t=num(5, 900),
        t2=num(900, 3000),
        wan=num(1, 40, 10_000),
        m2=num(5_000, 200_000),
        staff=num(30, 1500),
        yuan=num(5, 900, 10_000),
        co2=num(1_000, 900_000),
        energy=num(150, 1500),
        kg=num(50, 5000),
        basin=num(200, 5000),
        visits=num(20, 2000),
        pct=num(10, 95),
        hours=num(4000, 8000),
        height=num(15, 80),
        db=num(50, 64),
        db2=num(40, 54),
        kwh=num(100, 9000, 10_000),
        gas=num(10, 900, 10_000),
        km=num(5, 120),
        fine=num(1, 100, 10_000),
        fold=real(1.2, 80.0, ".1f"),
    )
    return slots


class Filler:
    """Fills templates from one run's random source; numbers each template to spot a repeat."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.template_ids: dict[str, int] = {}  # a template's Chinese -> a small number

    def pool(
        self,
        templates: Sequence[Pair],
        per: int,
        fixed: Mapping[str, Sequence[Pair]] | None = None,
        runs: bool = False,
    ) -> list[Sentence]:
        """Fill each template `per` times, once per run; `fixed` narrows a slot's words.

        With `runs`, the pool also holds twice as many runs of two or three sentences of
        different templates, so that long texts need fewer draws.
        """
        rng = self.rng
        slots = _slot_values(rng)
        for name, choices in (fixed or {}).items():
            slots[name] = (lambda c: lambda: c[int(rng.random() * len(c))])(choices)
        out: list[Sentence] = []
        for zh, en in templates:
            tid = self.template_ids.setdefault(zh, len(self.template_ids))
            names = sorted({f for _, f, _, _ in string.Formatter().parse(zh + en) if f})
            for _ in range(per):
                values = {name: slots[name]() for name in names}
                z = zh.format(**{k: v.zh for k, v in values.items()})
                e = en.format(**{k: v.en for k, v in values.items()})
                e = e[0].upper() + e[1:]
                out.append(Sentence(z, " " + e, len(z), tid, "\n\n" + z, "\n\n" + e))
        single = len(out)
        for _ in range(2 * single if runs and len(templates) > 1 else 0):
            first = out[int(rng.random() * single)]
            z, e, tids = first.zh, first.en, {first.template}
            for _ in range(1 + int(rng.random() * 2)):
                nxt = out[int(rng.random() * single)]
                if nxt.template not in tids:
                    z, e = z + nxt.zh, e + nxt.en
                    tids.add(nxt.template)
            out.append(Sentence(z, e, len(z), first.template, "\n\n" + z, "\n\n" + e[1:]))
        return out


def top(cap: int, lo: int, *groups: Iterable[list[Sentence]]) -> int:
    """The length past which a text takes no more sentences from these pools (see compose)."""
    longest = max(s.length for group in groups for pool in group for s in pool) + 2
    assert cap - longest > lo, "sentences too long for the text's cap"
    return cap - longest


def compose(
    r: Rand, lead: Pair, pools: Sequence[list[Sentence]], lo: int, top: int, breaks: float = 0.0
) -> Pair:
    """Lead plus sentences from the pools until at least `lo` characters and below the cap.

    `top` is the cap minus the longest sentence: the text stops growing before it reaches `top`,
    so it never passes the cap. Lengths lean towards the short end, as real records do. A
    sentence from the template just used is drawn again once, to keep repetition down.
    """
    zh = [lead.zh]
    en = [lead.en]
    add_zh = zh.append
    add_en = en.append
    n = len(lead.zh)
    target = lo + int((top - lo) * r() * r())
    k = len(pools)
    last = -1
    while n < target:
        # One draw picks the pool (integer part) and the sentence in it (fraction). A sentence
        # is unpacked into its fields: cheaper than reading them one by one in this loop.
        x = r() * k
        i = int(x)
        pool = pools[i]
        z, e, length, template, z_paragraph, e_paragraph = pool[int((x - i) * len(pool))]
        if template == last:
            x = r() * k
            i = int(x)
            pool = pools[i]
            z, e, length, template, z_paragraph, e_paragraph = pool[int((x - i) * len(pool))]
        last = template
        if breaks and r() < breaks:
            add_zh(z_paragraph)
            add_en(e_paragraph)
            n += length + 2
        else:
            add_zh(z)
            add_en(e)
            n += length
    return Pair("".join(zh), "".join(en))
