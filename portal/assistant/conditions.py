"""The conditions of a counting or ranking question as listing filters of one kind: the names it
grounds (an enterprise, a department, a city, county, park or river, a province, a pollutant),
its years, outcome, status and sector. A condition no filter expresses (a site, a word such as
"at night") is kept as missing, for the refusal to name: a total without it would be a
confident wrong number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from portal import catalogue, records
from portal.assistant import lexicon
from portal.assistant.question import Anchor, Question, date_args
from portal.assistant.text import en_words, stem, words_of, zh_words
from portal.models import vocab
from portal.models.enterprise import EnterpriseStatus, Sector
from portal.models.incident import IncidentStatus
from portal.models.inspection import Outcome
from portal.models.labels import label
from portal.records import QueryError, RecordQuery, parse_query

# Words of a counting question that ask nothing more of the records (general language).
NEUTRAL = frozenset(
    words_of(
        """
        found find recorded registered listed published conducted carried out total altogether
        overall exist exists existed case cases time times environmental pollution portal
        clearwater database far ever currently place took 发现 发生 记录 登记 公布 发布 开展 进行 共
        共有 一共 总共 累计 目前 污染 环境 出现 存在 查出 平台 清水 总计 合计
        一次 一起 一家 一份 一条 一个 时候 什么 count counted 入驻 位于 located based
        结论 结果 行为 违法行为 违规行为 情况 outcome outcomes result results ended end order
        ordered
        listed 设在 坐落
        """
    )
)
_PLACE_FILTERS = ("city", "county", "park", "river")
_STATUSES = {"incidents": IncidentStatus, "enterprises": EnterpriseStatus}


@dataclass
class Plan:
    """What a counting (or ranking) question asks of one kind's listing."""

    kind: str
    args: dict[str, str] = field(default_factory=dict)
    outcomes: tuple[str, ...] = ()
    described: list[str] = field(default_factory=list)  # the filters in words
    missing: list[str] = field(default_factory=list)  # conditions no filter expresses

    def queries(self, limit: int) -> list[RecordQuery]:
        """One listing query per outcome asked about (or one without)."""
        out = []
        for outcome in self.outcomes or (None,):
            wanted = {**self.args, **({"outcome": outcome} if outcome else {})}
            try:
                out.append(parse_query(self.kind, wanted, default_limit=limit))
            except QueryError:
                self.missing.append(", ".join(f"{k}={v}" for k, v in wanted.items()))
        return out

    def link(self, base: str, lang: str, api: bool = False) -> str:
        """The listing these filters select (with the outcome, when one is asked about)."""
        args = {**self.args, **({"outcome": self.outcomes[0]} if len(self.outcomes) == 1 else {})}
        if api:
            return f"{base}/api/v1/{self.kind}?{urlencode(args)}"
        return f"{base}/{self.kind}?{urlencode({**args, 'lang': lang})}"


NEUTRAL_MORE = frozenset(
    words_of(
        """
        since before after until between during year years receive received receives undergo
        underwent get got face faced see saw involve involved involving concern concerning
        regarding against 以来 以后 之后 以前 之前 年度 期间 受到 接受 遭到 涉及 针对 收到
        """
    )
)


def _shown(name: str, value: str, lang: str) -> str:
    """A filter of a count as the answer says it: "province: Guangxi", 省份：广西."""
    say = catalogue.words(lang)
    shown = {
        "province": say.pgettext("condition of a count", "province: %(value)s", value=value),
        "city": say.pgettext("condition of a count", "city: %(value)s", value=value),
        "county": say.pgettext("condition of a count", "county: %(value)s", value=value),
        "park": say.pgettext("condition of a count", "industrial park: %(value)s", value=value),
        "river": say.pgettext("condition of a count", "river: %(value)s", value=value),
        "pollutant": say.pgettext("condition of a count", "pollutant: %(value)s", value=value),
        "enterprise": say.pgettext("condition of a count", "enterprise: %(value)s", value=value),
        "department": say.pgettext("condition of a count", "department: %(value)s", value=value),
        "sector": say.pgettext("condition of a count", "sector: %(value)s", value=value),
    }
    return shown[name]


def _filter_of(anchor: Anchor, lang: str) -> tuple[str, str, str] | None:
    """The listing filter an anchor is, its value and how it reads; None when it is none."""
    if anchor.kind == "province":
        p = vocab.provinces()[anchor.value]
        return "province", anchor.value, p.short_zh if lang == "zh" else p.name_en
    if anchor.kind == "pollutant":
        p2 = vocab.pollutants()[anchor.value]
        return "pollutant", anchor.value, p2.name_zh if lang == "zh" else p2.name_en
    entity = anchor.entities[0] if anchor.entities else None
    if anchor.kind in ("enterprise", "department") and entity is not None:
        return anchor.kind, anchor.value, entity.name(lang)
    if anchor.kind == "place" and anchor.field in _PLACE_FILTERS:
        return anchor.field, anchor.value, entity.name(lang) if entity else anchor.value
    if anchor.kind == "place" and not anchor.field and anchor.city:
        return "city", anchor.city, anchor.city
    return None


def _years(plan: Plan, anchor: Anchor, lang: str) -> None:
    plan.args.update(date_args(anchor))
    a, b = plan.args.get("from"), plan.args.get("to")
    say = catalogue.words(lang)
    if a and b:
        plan.described.append(
            say.pgettext("condition of a count", "dated %(from)s to %(to)s", **{"from": a, "to": b})
        )
    elif a:
        plan.described.append(
            say.pgettext("condition of a count", "dated from %(from)s", **{"from": a})
        )
    elif b:
        plan.described.append(say.pgettext("condition of a count", "dated up to %(to)s", to=b))


def _consumed() -> tuple[frozenset[str], frozenset[str]]:
    """Words a counting question may hold that its kind, outcome, status and sector filters,
    the count itself or general language already account for (words, English stems)."""
    words: set[str] = set(NEUTRAL | NEUTRAL_MORE | lexicon.EN_STOP | lexicon.ZH_STOP)
    for _, cues in (*lexicon.KIND_CUES, *lexicon.STATUS_CUES):
        words |= {c.casefold() for c in cues}
    for _, cues2 in lexicon.OUTCOME_CUES:
        words |= {c.casefold() for c in cues2}
    words |= {c.casefold() for c in lexicon.COUNT_CUES}
    values = (*Sector, *IncidentStatus, *EnterpriseStatus, *Outcome)
    words |= {w for v in values for w in _labels(v)}
    words |= {"pollution", "污染", "record", "records"}
    stems = frozenset(stem(w) for w in words if w.isascii())
    return frozenset(words), stems


def _labels(value: str) -> set[str]:
    zh, en = label(value, "zh"), label(value, "en")
    return {zh, *zh_words(zh), en.casefold(), *en_words(en)}


CONSUMED, CONSUMED_STEMS = _consumed()


def plan(question: Question, kind: str, allow: frozenset[str] = frozenset()) -> Plan:
    """Every condition of the question as a filter of one kind's listing, or named as missing
    (`allow`: more words the answer accounts for, such as a ranking's "most")."""
    lang = question.lang
    allowed = records.KINDS[kind].filters
    out = Plan(kind)
    for anchor in question.anchors:
        if anchor.kind == "years":
            _years(out, anchor, lang)
            continue
        if len({e.key for e in anchor.entities}) > 1:
            out.missing.append(anchor.surface)  # several records by that name: which one?
            continue
        found = _filter_of(anchor, lang)
        if found is None or found[0] not in allowed or out.args.get(found[0], found[1]) != found[1]:
            out.missing.append(anchor.surface)
            continue
        out.args[found[0]] = found[1]
        out.described.append(_shown(found[0], found[2], lang))
    say = catalogue.words(lang)
    if question.outcomes:
        joined = say.pgettext("outcomes of inspections", " or ").join(
            label(o, lang) for o in question.outcomes
        )
        if kind == "inspections":
            out.outcomes = question.outcomes
            out.described.append(
                say.pgettext("condition of a count", "outcome: %(value)s", value=joined)
            )
        else:
            out.missing.append(joined)
    if question.status:
        statuses = {s.value for s in _STATUSES.get(kind, ())}
        if "status" in allowed and question.status in statuses:
            out.args["status"] = question.status
            value = label(question.status, lang)
            out.described.append(
                say.pgettext("condition of a count", "status: %(value)s", value=value)
            )
        else:
            out.missing.append(label(question.status, lang))
    _sector(question, out, allowed)
    surfaces = {a.surface for a in question.anchors}
    for term in question.terms:
        if term.text in surfaces:
            continue  # a grounded name, a filter above (or named missing there)
        word = term.text.casefold()
        if word in CONSUMED or word in allow or (word.isascii() and stem(word) in CONSUMED_STEMS):
            continue
        if any(w in CONSUMED for w in (term.text, word)) or word.isdigit():
            continue
        out.missing.append(term.text)
    out.missing = list(dict.fromkeys(out.missing))
    return out


def _sector(question: Question, out: Plan, allowed: frozenset[str]) -> None:
    text = question.text
    for anchor in question.anchors:  # "Jinhe Mining" names an enterprise, not the sector
        if anchor.kind in ("enterprise", "department", "place"):
            text = text.replace(anchor.surface, " ")
    lowered = text.lower()
    for sector in Sector:
        zh, en = label(sector, "zh"), label(sector, "en")
        if zh in text or en in lowered:
            if "sector" in allowed and "sector" not in out.args:
                out.args["sector"] = sector.value
                out.described.append(_shown("sector", label(sector, question.lang), question.lang))
            elif "sector" not in allowed:
                out.missing.append(zh if question.lang == "zh" else en)
            return
