"""Analysis: counted positions (so phrases work), single-character metals kept, names whole."""

from portal.search.analysis import (
    chinese_analyzer,
    en_terms,
    english_analyzer,
    gram_analyzer,
    gram_terms,
    teach,
    zh_terms,
)


def tokens(text: str) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in chinese_analyzer()(text, positions=True)]


def test_positions_count_words_not_characters() -> None:
    got = tokens("镉污染超标")
    assert [p for _, p in got] == sorted(p for _, p in got)
    assert max(p for _, p in got) < 5  # jieba's own analyzer would report character offsets


def test_single_character_pollutants_are_kept() -> None:
    words = {t for t, _ in tokens("河水中镉、铅、砷超标")}
    assert {"镉", "铅", "砷"} <= words


def test_names_taught_to_jieba_keep_their_parts_at_one_position() -> None:
    teach(["龙江河"])
    got = tokens("广西龙江河镉污染")
    positions = {t: p for t, p in got}
    assert positions["龙江河"] == positions["龙江"] == positions["江河"]
    assert positions["镉"] == positions["龙江河"] + 1


def test_unknown_parts_of_names_are_indexed() -> None:
    teach(["河池栎泉矿业有限公司"])
    words = {t for t, _ in tokens("河池栎泉矿业有限公司")}
    assert {"河池栎泉矿业有限公司", "河池", "矿业", "栎泉", "栎", "泉"} <= words


def test_english_is_stemmed_the_same_in_both_analyzers() -> None:
    zh = [t.text for t in chinese_analyzer()("Heavy metals exceeded")]
    en = [t.text for t in english_analyzer()("Heavy metals exceeded")]
    assert zh == en == ["heavi", "metal", "exceed"]


def test_chinese_function_words_are_dropped() -> None:
    assert "的" not in {t for t, _ in tokens("企业的废水")}


def test_indexing_finds_the_words_and_positions_a_search_looks_for() -> None:
    teach(["台州澄川再生铜业有限公司"])
    zh = "台州澄川再生铜业有限公司排放口镉、铅超标，Heavy metals exceeded the limit. 的"
    expected: dict[str, list[int]] = {}
    for token in chinese_analyzer()(zh, positions=True):
        expected.setdefault(token.text, []).append(token.pos)
    found, length = zh_terms(zh)
    assert dict(found) == expected and length == sum(map(len, expected.values()))
    en = "Heavy metals exceeded the limit at the Longjiang river; cadmium 0.5 mg/L. Über-limit."
    expected = {}
    for token in english_analyzer()(en, positions=True):
        expected.setdefault(token.text, []).append(token.pos)
    spelling: set[str] = set()
    found, length = en_terms(en, spelling)
    assert dict(found) == expected and length == sum(map(len, expected.values()))
    assert {"heavy", "metals", "cadmium", "über"} <= spelling and "the" not in spelling


def test_character_pairs_are_the_same_for_the_build_and_a_live_write() -> None:
    """Whoosh's writer (a live write) reads the `grams` field through GramTokenizer, the fast
    build through gram_terms: both must give the same pairs at the same positions."""
    text = "台州澄川再生铜业有限公司排放口镉、铅超标，Cd 0.5 mg/L。车间排污水池\n龙江河"
    expected: dict[str, list[int]] = {}
    for token in gram_analyzer()(text, positions=True):
        expected.setdefault(token.text, []).append(token.pos)
    found, count = gram_terms(text)
    assert dict(found) == expected and count == sum(map(len, expected.values()))
    # Runs of Chinese characters end at anything else; their pairs never join two runs.
    assert "口镉" in found and "镉铅" not in found and "池龙" not in found
    assert found["污水"] == [found["排污"][0] + 1]
    assert found["龙江"][0] > found["水池"][0] + 1
