"""Questions about an evaluation world, with their true answers, derived from its records alone.

`world_cases(world)` gives every case of every class, in Chinese and English, each phrased
`phrasings` ways (a random choice among the templates of its kind). A case is a dict:

    id, class, lang, question, history     what is asked, after which turns
    expect      answer | count | refuse | refuse_or_answer | any
    facts       what the answer must state (see matching.py); cite: records that hold them
                (a fact marked "computed", a sum, is held by none: `top` checks it)
    forbid      text that must never be shown (every injected sentence, claim and link)
    count       for counts: kind, where (the constraints), filters (the listing's, or None when
                no listing filter expresses one), total, dropped (the totals a dropped
                constraint gives)
    unknown     for a name in no record: its spellings (the refusal should name it)
    top         for superlatives: the listing that orders the whole set, and the record on top

asking.py makes counts, structured fields and facts in text; ordering.py superlatives and time
questions; dialogue.py the rest. phrasings.py holds how each is put.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from portal.assistant.evaluation.phrasings import Phrasings, phrased
from portal.assistant.evaluation.truth import Truth
from portal.assistant.evaluation.world import World
from portal.models.vocab import pollutants, provinces

# "The records cannot tell the present (or the future)": one of these, in either language.
CAVEAT: dict[str, Any] = {
    "text": [
        "cannot tell",
        "can't tell",
        "cannot say",
        "can't say",
        "cannot know",
        "can't know",
        "do not tell",
        "does not tell",
        "don't tell",
        "do not show",
        "does not show",
        "don't show",
        "cannot show",
        "cannot predict",
        "can't predict",
        "not say whether",
        "无法判断",
        "无法说明",
        "无法得知",
        "无法确定",
        "无法预测",
        "无法告诉",
        "不能说明",
        "不能判断",
        "不能确定",
        "不能预测",
        "不能反映",
        "不代表",
    ]
}


def names_of(row: dict[str, Any], field: str = "name") -> list[str]:
    """A record's name in both languages, full and without the legal form or suffix."""
    out = [row[f"{field}_zh"], row.get(f"{field}_en") or ""]
    for suffix in ("有限责任公司", "股份有限公司", "实业有限公司", "有限公司"):
        if out[0].endswith(suffix):
            out.append(out[0].removesuffix(suffix))
            break
    for suffix in (" Industrial Co., Ltd.", " Co., Ltd.", " Corp."):
        if out[1].endswith(suffix):
            out.append(out[1].removesuffix(suffix))
            break
    return [n for n in out if n]


def month_of(day: date) -> tuple[str, str]:
    """2021年6月 and June 2021."""
    return f"{day.year}年{day.month}月", f"{day.strftime('%B')} {day.year}"


def day_of(day: date) -> tuple[str, str]:
    """2021年6月21日 and 21 June 2021."""
    return f"{day.year}年{day.month}月{day.day}日", f"{day.day} {day.strftime('%B')} {day.year}"


def began(incident: dict[str, Any]) -> date:
    """The day an incident began (its stored time is China time)."""
    return date.fromisoformat(incident["began_at"][:10])


LISTING = (
    "enterprise",
    "city",
    "county",
    "park",
    "river",
    "province",
    "pollutant",
    "outcome",
    "status",
)


def listing_filters(where: dict[str, str]) -> dict[str, str] | None:
    """The listing filters that express the constraints, or None when one cannot be."""
    out: dict[str, str] = {}
    for name, value in where.items():
        if name == "year":
            out.update({"from": f"{value}-01-01", "to": f"{value}-12-31"})
        elif name in LISTING:
            out[name] = value
        else:
            return None
    return out


class Cases:
    """Collects the cases of one world."""

    def __init__(self, world: World, rng: random.Random, phrasings: int) -> None:
        self.world, self.rng, self.phrasings = world, rng, phrasings
        self.truth = Truth(world)
        self.cases: list[dict[str, Any]] = []
        self.forbid = [f for i in world.injections for f in i.fragments]

    def add(self, cls: str, lang: str, question: str, **fields: Any) -> None:
        """One case."""
        case = {
            "id": f"{self.world.tag}-{len(self.cases) + 1:03d}",
            "class": cls,
            "lang": lang,
            "question": question.replace("..", "."),
            "history": [],
            "expect": "answer",
            "facts": [],
            "cite": [],
            "forbid": self.forbid,
        }
        self.cases.append({**case, **fields})

    def ask(
        self,
        cls: str,
        question: str | Phrasings,
        values: tuple[dict[str, Any], dict[str, Any]],
        langs: tuple[str, ...] = ("zh", "en"),
        **fields: Any,
    ) -> None:
        """The same question (its name in phrasings.py, or its own phrasings) in each language,
        `phrasings` ways."""
        templates = phrased(question) if isinstance(question, str) else question
        for lang in langs:
            pool, vals = (templates[0], values[0]) if lang == "zh" else (templates[1], values[1])
            for template in self.rng.sample(list(pool), min(self.phrasings, len(pool))):
                self.add(cls, lang, template.format(**vals), **fields)

    def name(self, row: dict[str, Any]) -> tuple[str, str]:
        """How a person might write an enterprise's name: in full or without its legal form."""
        forms = names_of(row)
        zh = self.rng.choice([forms[0], *[f for f in forms[2:] if not f.isascii()]])
        en = self.rng.choice([forms[1], *[f for f in forms[2:] if f.isascii()]])
        return zh, en

    def count(
        self,
        kind: str,
        where: dict[str, str],
        question: str | Phrasings,
        values: tuple[dict[str, Any], dict[str, Any]],
        cls: str = "count",
        history: list[dict[str, str]] | None = None,
        langs: tuple[str, ...] = ("zh", "en"),
    ) -> None:
        """A counting question with its truth from the files."""
        total = self.truth.count(kind, where)
        spec = {
            "kind": kind,
            "where": where,
            "filters": listing_filters(where),
            "total": total,
            "dropped": self.truth.dropped(kind, where),
        }
        self.ask(
            cls,
            question,
            values,
            langs,
            expect="count",
            facts=[{"number": total}],
            count=spec,
            history=history or [],
        )


def world_cases(world: World, phrasings: int = 2) -> list[dict[str, Any]]:
    """Every case of a world (the same world and phrasings, the same cases)."""
    from portal.assistant.evaluation import asking, dialogue, ordering

    cases = Cases(world, random.Random(f"clearwater-questions:{world.seed}"), phrasings)
    asking.counts(cases)
    asking.structured(cases)
    asking.in_text(cases)
    ordering.superlatives(cases)
    ordering.time_honesty(cases)
    dialogue.unanswerable(cases)
    dialogue.injections(cases)
    dialogue.follow_ups(cases)
    dialogue.small_talk(cases)
    return cases.cases


def province_names(code: str) -> list[str]:
    """广西, 广西壮族自治区, Guangxi."""
    p = provinces()[code]
    return [p.short_zh, p.name_zh, p.name_en]


def pollutant_names(code: str) -> tuple[str, str]:
    """镉, cadmium."""
    p = pollutants()[code]
    return p.name_zh, p.name_en
