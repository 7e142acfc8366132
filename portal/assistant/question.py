"""Reading a question: its language, the names it anchors on (places, pollutants, provinces,
years, record ids), its other content words, and the listing filters those names amount to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from portal.assistant import lexicon
from portal.assistant.text import CJK, Term, en_words, language, normalise, stem, zh_words
from portal.assistant.text import words_of as _words
from portal.models import vocab
from portal.search.text import equivalents

ID_PATTERN = re.compile(r"\b[A-Z]{3}(?:-[A-Z0-9]{1,12}){1,5}\b", re.I)
YEAR = r"(?<!\d)((?:19[5-9]|20\d)\d)(?!\d)"
FIRST_YEAR, LAST_YEAR = 1950, 2099
MAX_TERMS = 16  # words of a question that are weighed (a question, not a document)
MAX_WORD = 40  # characters: no word or name is longer; a longer "word" is noise


@dataclass(frozen=True)
class Anchor:
    """A name the answer must be about: every record used must mention it (or its synonyms)."""

    kind: str  # pollutant, province, place, years, id
    value: str  # the code, canonical name, "2019-2021" or the id
    surface: str  # as the question wrote it
    variants: frozenset[str] = frozenset()
    years: tuple[int, int] = (0, 0)

    @property
    def city(self) -> str | None:
        """The English city name when this place is a city (the listings' `city` filter)."""
        if self.kind != "place" or not any(v.endswith("市") for v in self.variants):
            return None
        english = sorted(v for v in self.variants if v[:1].isupper() and v.isascii())
        return english[0] if english else None


@dataclass(frozen=True)
class Question:
    """A question as the assistant understands it."""

    text: str
    lang: str
    anchors: tuple[Anchor, ...] = ()
    terms: tuple[Term, ...] = ()
    kind: str | None = None
    outcomes: tuple[str, ...] = ()
    status: str | None = None
    wants_count: bool = False
    wants_list: bool = False
    follow_up: bool = False
    domain: bool = False
    quantity: bool = False
    figure: bool = False  # asks for a number or a date
    who: bool = False  # asks which enterprise (or who) did it
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        """Record ids the question names."""
        return [a.value for a in self.anchors if a.kind == "id"]

    def anchors_of(self, kind: str) -> list[Anchor]:
        """The anchors of one kind."""
        return [a for a in self.anchors if a.kind == kind]

    def keywords(self, *, anchors_only: bool = False) -> str:
        """Words for the full-text search: the names first, then (unless told) the other words."""
        words = [a.surface for a in self.anchors if a.kind not in ("years", "id")]
        if not anchors_only:
            words += [t.text for t in self.terms if not t.text.isdigit()]
        return " ".join(dict.fromkeys(w for w in words if w))


def _has(text: str, lowered: str, cue: str) -> bool:
    if CJK.search(cue):
        return cue in text
    return re.search(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", lowered) is not None


def _find_years(text: str) -> Anchor | None:
    years = [int(y) for y in re.findall(YEAR, text)]
    if not years:
        return None
    lo, hi = min(years), max(years)
    lowered = text.lower()
    if len(years) == 1:
        if re.search(r"(since|after|from)\s+" + str(lo), lowered) or re.search(
            str(lo) + r"\s*年?\s*(以来|以后|之后|起)", text
        ):
            hi = LAST_YEAR
        elif re.search(r"(before|until|prior to)\s+" + str(lo), lowered) or re.search(
            str(lo) + r"\s*年?\s*(以前|之前)", text
        ):
            lo, hi = FIRST_YEAR, lo - (1 if re.search(r"before|以前|之前", text) else 0)
    value = str(lo) if lo == hi else f"{lo}-{hi}"
    return Anchor("years", value, str(years[0]), years=(lo, hi))


@lru_cache(maxsize=1)
def _province_names() -> list[tuple[str, str]]:
    names = []
    for p in vocab.provinces().values():
        names += [(p.name_zh, p.code), (p.short_zh, p.code), (p.name_en, p.code)]
    return sorted(names, key=lambda n: -len(n[0]))


def _take(text: str, surface: str) -> str:
    """The text with a found name blanked out, so its words are not read twice."""
    return re.sub(re.escape(surface), " ", text, flags=re.I)


def _anchors(text: str) -> tuple[list[Anchor], str]:
    """The anchors of a question, and the question with them blanked out."""
    found: list[Anchor] = []
    rest = text
    for named in ID_PATTERN.finditer(text):
        found.append(Anchor("id", named.group().upper(), named.group()))
        rest = _take(rest, named.group())
    years = _find_years(rest)
    if years:
        found.append(years)
        rest = re.sub(YEAR + r"\s*年?(度)?", " ", rest)
    for name, code in _province_names():
        if _has(rest, rest.lower(), name.lower() if name.isascii() else name):
            p = vocab.provinces()[code]
            variants = frozenset({p.short_zh, p.name_zh, p.name_en})
            found.append(Anchor("province", code, name, variants))
            rest = _take(rest, name)
    for group in lexicon.place_groups():
        for name in sorted(group, key=len, reverse=True):
            if _has(rest, rest.lower(), name.lower() if name.isascii() else name):
                found.append(Anchor("place", sorted(group)[0], name, group))
                for other in group:
                    rest = _take(rest, other)
                break
    aliases = lexicon.pollutant_aliases()
    for alias in sorted(aliases, key=len, reverse=True):
        code = aliases[alias]
        match: re.Match[str] | None
        if not alias.isascii():
            match = re.search(re.escape(alias), rest)
        elif len(alias) <= 2:  # a symbol (Cd, Pb) only as written, never the word "cd" or "as"
            match = re.search(rf"(?<![A-Za-z]){re.escape(code)}(?![A-Za-z])", rest)
        else:
            match = re.search(rf"(?<![A-Za-z]){re.escape(alias)}(?![A-Za-z])", rest, re.I)
        if match is None:
            continue
        rest = rest[: match.start()] + " " + rest[match.end() :]
        if not any(a.kind == "pollutant" and a.value == code for a in found):
            pollutant = vocab.pollutants()[code]
            names = {pollutant.name_zh, pollutant.name_en}
            variants = frozenset(names | ({code} if code != "As" else set()))
            found.append(Anchor("pollutant", code, match.group(), variants))
    return found, rest


_QUESTION_WORDS = frozenset(
    _words(
        """
        what which who whom whose when where why how is are was were did does do has have had
        can could would should will the a an and in on at of for to by tell list show give
        """
    )
)
_EN_NAME = re.compile(
    r"(?:[A-Z][\w'-]*\.?)(?:,?\s+(?:(?:of|and|for|the)\s+)*(?:[A-Z][\w'-]*\.?|\(\w+\)))+"
)
_ZH_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,20}?(?:股份有限公司|有限责任公司|有限公司|材料厂|冶炼厂|总局|海关|"
    r"生态环境局|生态环境厅|生态环境部|监督管理局|人民政府)"
)


def _names(text: str) -> list[str]:
    """Names of enterprises and departments as written: runs of capitalised English words
    ("Jiyuan Lingyan Secondary Lead"), Chinese names ending in 有限公司, 厂, 局 and the like."""
    found = []
    for match in _EN_NAME.finditer(text):
        words = match.group().split()
        while words and words[0].lower() in _QUESTION_WORDS:
            words = words[1:]
        if len(words) >= 2:
            found.append(" ".join(words).rstrip(",."))
    for match in _ZH_NAME.finditer(text):
        name = match.group()
        for cue in ("哪家", "哪些", "哪个", "的", "是", "在", "被", "对", "了"):
            name = name.split(cue)[-1]
        if len(name) >= 4:
            found.append(name)
    return found


def _phrases(rest: str) -> tuple[list[Term], str]:
    """Fixed phrases of several words ("carbon dioxide") as one term each."""
    terms = []
    for group in lexicon.PHRASES:
        for phrase in group:
            pattern = (
                rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])"
                if phrase.isascii()
                else (re.escape(phrase))
            )
            if re.search(pattern, rest, re.I):
                terms.append(Term(phrase, frozenset(group) | {phrase}))
                rest = re.sub(pattern, " ", rest, flags=re.I)
                break
    return terms, rest


def _term(word: str) -> Term:
    variants = {word}
    variants |= lexicon.concept_table().get(word.casefold(), frozenset())
    variants |= {v for v in equivalents(word) if len(v) > 1}
    return Term(word, frozenset(variants))


def _terms(rest: str, anchors: list[Anchor]) -> list[Term]:
    """The content words: Chinese cut by jieba with the anchored names dropped afterwards (so a
    name inside a word, 锌 in 锌业, does not break it), English words with the names blanked."""
    taken = {v.casefold() for a in anchors for v in (a.variants | {a.surface})}
    words: list[str] = []
    for w in zh_words(rest) if CJK.search(rest) else en_words(rest):
        if CJK.search(w):
            if w not in lexicon.ZH_STOP and len(w) > 1 and w.casefold() not in taken:
                words.append(w)
        else:
            words += [x for x in en_words(w) if x not in lexicon.EN_STOP]
    out: dict[str, Term] = {}
    for word in words:
        if len(word) == 1 or word.casefold() in taken:
            continue
        key = stem(word) if word.isascii() else word
        out.setdefault(key, _term(word))
    return list(out.values())


def _kind(text: str, lowered: str) -> str | None:
    for kind, cues in lexicon.KIND_CUES:
        if any(_has(text, lowered, cue) for cue in cues):
            return kind
    return None


def _outcomes(text: str, lowered: str) -> tuple[str, ...]:
    working, low = text, lowered
    for outcomes, cues in lexicon.OUTCOME_CUES:
        for cue in cues:
            if _has(working, low, cue):
                return outcomes
    return ()


def _status(text: str, lowered: str) -> str | None:
    for status, cues in lexicon.STATUS_CUES:
        if any(_has(text, lowered, cue) for cue in cues):
            return status
    return None


QUANTITY_WORDS = (
    "tonne", "tonnes", "ton", "tons", "km", "kilometres", "kilometers", "people", "persons",
    "officials", "managers", "times", "yuan", "mg", "metres", "meters", "years", "days",
    "吨", "公里", "千米", "人", "名", "倍", "元", "毫克", "米", "年", "天",
)  # fmt: skip


def _quantity(text: str, lowered: str) -> bool:
    """True for "how many tonnes / people / times": a figure in a record, not a count of them."""
    for cue in ("how many", "how much"):
        at = lowered.find(cue)
        if at >= 0:
            after = en_words(lowered[at + len(cue) :])[:2]
            return bool(after) and (after[0] in QUANTITY_WORDS or after[0] == "of")
    match = re.search(r"(多少|几)(\S{0,2})", text)
    return bool(
        match and any(match.group(2).startswith(w) for w in QUANTITY_WORDS if CJK.search(w))
    )


def _counts_records(text: str, lowered: str) -> bool:
    """True for "how many inspections", "多少次检查", "几家企业": a count cue followed closely by
    the name of a kind of record (not "多少废水", a figure in a record)."""
    cues = [c for _, group in lexicon.KIND_CUES for c in group]
    for cue in lexicon.COUNT_CUES:
        if CJK.search(cue):
            for match in re.finditer(re.escape(cue), text):
                following = text[match.end() : match.end() + 8]
                if any(c in following for c in cues if CJK.search(c)):
                    return True
        else:
            for match in re.finditer(rf"\b{re.escape(cue)}\b", lowered):
                after = en_words(lowered[match.end() :])[:4]
                if any(w in cues for w in after):
                    return True
    return False


def analyse(raw: str) -> Question:
    """Read a question (already within length limits)."""
    text = normalise(raw)
    lang = language(text)
    lowered = text.lower()
    names = _names(text)
    anchors, rest = _anchors(text)
    unnamed = text
    for name in names:
        unnamed = unnamed.replace(name, " ")
    if CJK.search(text):  # cut the whole sentence, then drop what the anchors took
        rest = re.sub(YEAR + r"\s*年?(度)?", " ", ID_PATTERN.sub(" ", unnamed))
    else:
        for name in names:
            for piece in re.split(r"\s+", _anchors(name)[1]):
                if len(piece) > 1:
                    rest = re.sub(rf"(?<![A-Za-z]){re.escape(piece)}(?![A-Za-z])", " ", rest)
    phrases, rest = _phrases(rest)
    terms = [Term(n, frozenset({n}), is_name=True) for n in dict.fromkeys(names)]
    terms += phrases + _terms(rest, anchors)
    terms = [t for t in terms if len(t.text) <= MAX_WORD][:MAX_TERMS]
    lowered_unnamed = unnamed.lower()
    domain = bool(anchors) or any(
        w in lexicon.DOMAIN_WORDS or stem(w) in lexicon.DOMAIN_WORDS for w in en_words(lowered)
    )
    domain = domain or any(w in text for w in lexicon.ZH_DOMAIN)
    quantity = _quantity(text, lowered)
    count = not quantity and _counts_records(unnamed, lowered_unnamed)
    listing = any(_has(text, lowered, cue) for cue in lexicon.LIST_CUES)
    cues = lexicon.FOLLOW_UP_CUES_ZH if lang == "zh" else lexicon.FOLLOW_UP_CUES_EN
    words = set(zh_words(text)) if lang == "zh" else set(en_words(lowered))
    follow_up = bool(words & set(cues))
    only_province = all(a.kind in ("province", "years") for a in anchors)
    if (
        anchors
        and only_province
        and not any(
            w in lexicon.DOMAIN_WORDS or stem(w) in lexicon.DOMAIN_WORDS for w in en_words(lowered)
        )
    ):
        domain = any(w in text for w in lexicon.ZH_DOMAIN)
    return Question(
        text=text,
        lang=lang,
        anchors=tuple(anchors),
        terms=tuple(terms),
        kind=_kind(unnamed, lowered_unnamed),
        outcomes=_outcomes(text, lowered),
        status=_status(text, lowered),
        wants_count=count,
        wants_list=listing,
        follow_up=follow_up,
        domain=domain,
        quantity=quantity,
        figure=any(_has(text, lowered, cue) for cue in lexicon.FIGURE_CUES),
        who=any(_has(text, lowered, cue) for cue in lexicon.WHO_CUES),
    )
