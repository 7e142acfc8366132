"""Reading a question: its language, the names it anchors on (places, pollutants, provinces,
years, record ids), its other content words, and the listing filters those names amount to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from portal.assistant import lexicon
from portal.assistant.anchors import ID_PATTERN as ID_PATTERN
from portal.assistant.anchors import YEAR as YEAR
from portal.assistant.anchors import Anchor as Anchor
from portal.assistant.anchors import anchors_of, blank_vocab, linked, without_linked
from portal.assistant.cues import counts_records, has, kind_of, outcomes_of, quantity, status_of
from portal.assistant.dates import blank_dates
from portal.assistant.gazetteer import Gazetteer
from portal.assistant.grounding import Grounding, Unlinked, ground
from portal.assistant.text import CJK, Term, en_words, language, normalise, stem, zh_words
from portal.assistant.text import words_of as _words
from portal.search.text import equivalents

MAX_TERMS = 16  # words of a question that are weighed (a question, not a document)
MAX_WORD = 40  # characters: no word or name is longer; a longer "word" is noise


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
    unknown: tuple[Unlinked, ...] = ()  # phrases shaped like names that name nothing recorded
    grounding: Grounding | None = None

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


_CAPACITY = [re.compile(p, re.I) for p in lexicon.CAPACITY_PATTERNS]


def date_args(anchor: Anchor) -> dict[str, str]:
    """The listing's `from` and `to` for a years anchor: its month or day when it names one."""
    if anchor.days:
        return {"from": anchor.days[0].isoformat(), "to": anchor.days[1].isoformat()}
    lo, hi = anchor.years
    args = {}
    if lo > 1950:
        args["from"] = f"{lo}-01-01"
    if hi < 2099:
        args["to"] = f"{hi}-12-31"
    return args


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


def _content(word: str) -> bool:
    """A word worth weighing: two characters or more, or one Chinese character that is a word
    of the domain by itself (罚 in 罚了多少钱, 超 in 超了几倍: a verb jieba cuts off alone)."""
    return len(word) > 1 or (CJK.search(word) is not None and word in lexicon.concept_table())


def _terms(rest: str, anchors: list[Anchor]) -> list[Term]:
    """The content words: Chinese cut by jieba with the anchored names dropped afterwards (so a
    name inside a word, 锌 in 锌业, does not break it), English words with the names blanked."""
    taken = {v.casefold() for a in anchors for v in (a.variants | {a.surface})}
    words: list[str] = []
    for w in zh_words(rest) if CJK.search(rest) else en_words(rest):
        if CJK.search(w):
            if w not in lexicon.ZH_STOP and _content(w) and w.casefold() not in taken:
                words.append(w)
        else:
            words += [x for x in en_words(w) if x not in lexicon.EN_STOP]
    out: dict[str, Term] = {}
    for word in words:
        if not _content(word) or word.casefold() in taken:
            continue
        key = stem(word) if word.isascii() else word
        out.setdefault(key, _term(word))
    return list(out.values())


def analyse(raw: str, gazetteer: Gazetteer | None = None) -> Question:
    """Read a question (already within length limits). With the gazetteer of the database its
    names are grounded in the records; without, the search synonyms stand in for them."""
    text = normalise(raw)
    lang = language(text)  # as asked: a name put in the records' spelling does not change it
    grounding = None
    if gazetteer is not None:
        first = ground(text, gazetteer)
        grounding = first if first.canonical == text else ground(first.canonical, gazetteer)
        text = first.canonical
    lowered = text.lower()
    blanked = without_linked(text, grounding) if grounding else text
    names = _names(blanked) if grounding is None else []
    anchors, rest = anchors_of(blanked, places=grounding is None)
    if grounding is not None:
        anchors = linked(grounding) + anchors
    unnamed = blanked
    for name in names:
        unnamed = unnamed.replace(name, " ")
    if CJK.search(text):  # cut the whole sentence, then drop what the anchors took
        rest = ID_PATTERN.sub(" ", unnamed)
        if any(a.days for a in anchors):
            rest = blank_dates(rest)
        rest = re.sub(YEAR + r"\s*年?(度)?", " ", rest)
        if grounding is not None:
            rest = blank_vocab(rest, anchors)
    else:
        for name in names:
            for piece in re.split(r"\s+", anchors_of(name)[1]):
                if len(piece) > 1:
                    rest = re.sub(rf"(?<![A-Za-z]){re.escape(piece)}(?![A-Za-z])", " ", rest)
    phrases, rest = _phrases(rest)
    if not any(a.kind == "years" for a in anchors) and any(p.search(text) for p in _CAPACITY):
        phrases.append(Term("capacity", frozenset(lexicon.CAPACITY_WORDS)))
        for pattern in _CAPACITY:  # "able to process": the capacity term says it all
            rest = pattern.sub(" ", rest)
    terms = [Term(n, frozenset({n}), is_name=True) for n in dict.fromkeys(names)]
    # A grounded name of a thing (not of a region, which is context) still weighs as a word of
    # the question when sentences are scored: a sentence that names the river answers better.
    terms += [
        Term(a.surface, a.variants, is_name=a.kind in ("enterprise", "department"))
        for a in anchors
        if a.entities and a.field not in ("city", "county")
    ]
    terms += phrases + _terms(rest, anchors)
    terms = [t for t in terms if len(t.text) <= MAX_WORD][:MAX_TERMS]
    unnamed = re.sub(r"\s+", " ", unnamed)  # a long name blanked is one gap, not a distance
    lowered_unnamed = unnamed.lower()
    domain = bool(anchors) or any(
        w in lexicon.DOMAIN_WORDS or stem(w) in lexicon.DOMAIN_WORDS for w in en_words(lowered)
    )
    domain = domain or any(w in text for w in lexicon.ZH_DOMAIN)
    asks_figure = quantity(text, lowered)
    count = not asks_figure and counts_records(unnamed, lowered_unnamed)
    listing = any(has(text, lowered, cue) for cue in lexicon.LIST_CUES)
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
        kind=kind_of(unnamed, lowered_unnamed),
        outcomes=outcomes_of(text, lowered),
        status=status_of(text, lowered),
        wants_count=count,
        wants_list=listing,
        follow_up=follow_up,
        domain=domain,
        quantity=asks_figure,
        figure=any(has(text, lowered, cue) for cue in lexicon.FIGURE_CUES),
        who=any(has(text, lowered, cue) for cue in lexicon.WHO_CUES),
        unknown=grounding.unlinked if grounding else (),
        grounding=grounding,
    )
