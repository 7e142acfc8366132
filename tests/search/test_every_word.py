"""Search finds every word that is in a record (issue 21), on the engine of the test database:
Whoosh on SQLite, PostgreSQL's full text with PORTAL_TEST_DATABASE_URL set.

- Every Chinese substring of two or more characters finds the record, however jieba cut the
  record's text (character pairs beside the words: docs/search.md).
- A hit holding a word as a word comes before one holding only its characters.
- When no record holds every word, hits come by how many of the words they hold, then score.
- Snippets: one fragment per field, cut where a sentence, clause or word ends, and a line
  repeated in the text (a monitoring site's name) shown once.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from conftest import fuzz_settings
from factories import basics, incident, inspection, publish
from portal.db import get_engine
from portal.search import parse_search, service_of
from portal.search.analysis import CHINESE_RUN, zh_terms
from portal.search.query import snippet, term_marker

# Words jieba knows, single characters and function words, glued in any order: jieba cuts the
# result in ways no test could list, and the pairs must find every substring all the same.
WORDS = [
    "再生",
    "铜",
    "冶炼",
    "炉渣",
    "废水",
    "排污",
    "水池",
    "超标",
    "龙江",
    "河",
    "镉",
    "污染",
    "监测",
    "站",
    "有限公司",
    "重金属",
    "铅锌",
    "的",
    "和",
    "氧化",
    "焙烧",
    "未",
    "运行",
]
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.sampled_from(["，", "。", "、", " ", "3号", "Cd"]),
)
TEXTS = st.lists(PIECES, min_size=2, max_size=9).map("".join)


@pytest.fixture
def world(app: Flask) -> Iterator[tuple[Flask, Session, str]]:
    """The empty portal with a ministry, a bureau and an enterprise, indexed."""
    with Session(get_engine(app.config["DATABASE_URL"]), expire_on_commit=False) as session:
        ids = basics(session)
        service_of(app).rebuild(procs=1)
        yield app, session, ids["enterprise"]


def _ids(app: Flask, q: str, **args: str) -> list[str]:
    result = service_of(app).search(parse_search({"q": q, "limit": "50", **args}))
    return [hit.id for hit in result.hits]


def _substrings(text: str) -> set[str]:
    """Every substring of two to four characters of each run of Chinese characters."""
    return {
        run[i : i + size]
        for run in CHINESE_RUN.findall(text)
        for size in (2, 3, 4)
        for i in range(len(run) - size + 1)
    }


_number = iter(range(1, 10_000))


@given(text=TEXTS)
@fuzz_settings(25)
def test_every_chinese_substring_of_a_record_finds_it(
    world: tuple[Flask, Session, str], text: str
) -> None:
    app, session, enterprise = world
    # Hypothesis seeds the `random` module alike for every example, and Whoosh names its new
    # segments with it: the second example's segment would take the first one's name.
    random.seed()
    record_id = f"INS-2024-{next(_number):04d}"
    # Each record on a day of its own, which the search is narrowed to: the records of the
    # earlier examples hold the same words.
    day = f"2001-01-{1 + int(record_id[-4:]) % 28:02d}"
    others = {"from": day, "to": day}
    publish(session, inspection(enterprise, id=record_id, findings_zh=text, inspected_on=day))
    for part in sorted(_substrings(text)):
        assert record_id in _ids(app, part, **others), f"{part!r} of {text!r}"


def _cut_apart(word: str, text: str) -> bool:
    """True when jieba's cut of the text does not hold the word as a word."""
    return word not in zh_terms(text)[0]


def test_a_word_cut_otherwise_is_found_and_comes_after_the_word(
    world: tuple[Flask, Session, str],
) -> None:
    app, session, enterprise = world
    # 污水 is a word in the first text, and only characters in the second (排污 / 水池).
    holds = "含铅污水直排。" + "厂区雨水收集设施运行正常，台账记录完整。" * 6 + "镉"
    apart = "车间排污水池镉镉镉超标"
    assert not _cut_apart("污水", holds) and _cut_apart("污水", apart)
    publish(session, inspection(enterprise, id="INS-2024-0901", findings_zh=holds))
    publish(session, inspection(enterprise, id="INS-2024-0902", findings_zh=apart))
    assert _ids(app, "污水") == ["INS-2024-0901", "INS-2024-0902"]
    # The second holds 镉 three times in a short text, which BM25 and ts_rank_cd score above
    # the first's one 镉 far into a long one; holding 污水 as a word comes first all the same.
    assert _ids(app, "污水 镉") == ["INS-2024-0901", "INS-2024-0902"]
    assert _ids(app, "水池镉") == ["INS-2024-0902"]  # across jieba's words: 水池 / 镉


def test_without_a_record_holding_every_word_more_words_rank_first(
    world: tuple[Flask, Session, str],
) -> None:
    """Issue 21: the fallback ranked a record holding three of four English words below
    tenth place. Twelve records hold one or two of the words, in short texts, many times (a
    high score each); one holds three, once each, deep in a long text."""
    app, session, enterprise = world
    words = ["tailings", "sluice", "berm", "culvert"]
    filler = "The site was visited and the records were read. " * 12
    texts = {"INS-2024-0800": f"{filler}Seepage at the tailings sluice near the berm."}
    for n in range(12):
        held = words[n % 3 : n % 3 + 1 + n % 2]
        texts[f"INS-2024-08{n + 1:02d}"] = " ".join([*held, *held, *held])
    for record_id, text in texts.items():
        publish(session, inspection(enterprise, id=record_id, findings_en=text))
    result = service_of(app).search(parse_search({"q": " ".join(words), "limit": "50"}))
    assert result.any_word and result.total == 13
    assert result.hits[0].id == "INS-2024-0800"
    # Then the records holding two words, then one: each tier before the next.
    counts = [sum(w in texts[hit.id] for w in words) for hit in result.hits]
    assert counts == sorted(counts, reverse=True) and counts[0] == 3 and counts[-1] == 1


# --- snippets --------------------------------------------------------------------------------


def _plain(html: str) -> str:
    return re.sub(r"</?mark>", "", html)


def test_a_snippet_starts_where_a_sentence_or_word_starts() -> None:
    text = (
        "该企业自2019年起生产再生铅，年产能三万吨，厂区位于工业园区东侧，周边有居民区和农田。"
        "2025年9月3日现场检查发现，废水排放口镉浓度超过排放标准，企业已停产整改。"
    )
    shown = _plain(snippet(text, term_marker({"镉"})))
    assert "<mark>镉</mark>" in snippet(text, term_marker({"镉"}))
    body = shown.removeprefix("…").removesuffix("…")
    assert body in text
    start = text.index(body)
    assert start == 0 or text[start - 1] in "。，；", shown  # never "…025年9月3日"


def test_a_snippet_never_cuts_an_english_word() -> None:
    text = (
        "The enterprise has recycled lead since 2019 and its site lies east of the industrial "
        "park near homes and farmland where residents grow rice and vegetables for the market "
        "and an inspection on 3 September 2025 found cadmium above the limit at the outfall."
    )
    shown = _plain(snippet(text, term_marker({"cadmium"})))
    words = set(text.replace(".", " ").split())
    for word in shown.strip("…").split():
        assert word.strip(".") in words, shown


def test_a_snippet_shows_one_fragment_per_field_and_a_repeated_line_once() -> None:
    site = "龙江河拉浪水电站断面监测点"
    text = "\n".join(["河段镉浓度超标，下游取水口已停用。", site, site, site, site])
    shown = snippet(text, term_marker({"镉", "拉浪"}))
    assert _plain(shown).count(site) == 1
    assert shown.count("<mark>镉</mark>") == 1 and shown.count("<mark>拉浪</mark>") == 1


def test_search_shows_a_site_named_by_many_readings_once(
    world: tuple[Flask, Session, str],
) -> None:
    app, session, _ = world
    site = "金城江区六甲断面监测点"
    readings = [
        {
            "site_zh": site,
            "site_en": "Liujia section",
            "measured_at": f"2024-03-0{day}T09:00:00+08:00",
            "pollutant": "Cd",
            "value": 0.01 * day,
            "unit": "mg/L",
            "standard": "GB 3838-2002",
            "standard_class": "III",
        }
        for day in range(1, 5)
    ]
    publish(
        session,
        incident(id="INC-2024-0950", summary_zh="六甲断面镉超标。", readings=readings),
    )
    result = service_of(app).search(parse_search({"q": "六甲"}))
    hit = next(h for h in result.hits if h.id == "INC-2024-0950")
    assert _plain(hit.snippet).count(site) <= 1
