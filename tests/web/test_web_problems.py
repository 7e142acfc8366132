"""What is wrong with an address or a form is said in the page language: the records and search
layers give each problem a code and its values, and a Chinese page says the code's sentence with
those values; an English page shows the English sentence. Every code a page can meet is tried
here through the page that meets it, in both languages."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from tips.test_tips_web import association, form_token

from factories import publishing_token
from portal.codes import CODES, Issue
from portal.records import Cursor, QueryError, parse_query
from portal.search import parse_search
from portal.web.problems import SAY, SAY_IN_FORM, in_page_language

__all__ = ["association"]  # a fixture, used by name

CURSOR = Cursor("2024-01-01", "INS-2024-0001").encode()
PLAIN = "bm90LWEtY3Vyc29y"  # base64 of "not-a-cursor"

# (code, address, the sentence on a Chinese page, the sentence on an English page)
ADDRESSES = [
    (
        "filter_not_applicable",
        "/incidents?outcome=violation",
        "筛选条件“outcome”不适用于污染事件。",
        "The filter 'outcome' does not apply to incidents.",
    ),
    (
        "unknown_parameter",
        "/obligations?colour=red",
        "未知参数“colour”；披露义务可用的参数有：cursor、enterprise、lang、limit、province、sector、"
        "status、type、year。",
        "Unknown parameter 'colour'; obligations take cursor, enterprise, lang, limit, province, "
        "sector, status, type, year.",
    ),
    (
        "dates_reversed",
        "/inspections?from=2020-02-01&to=2020-01-01",
        "“from”晚于“to”：请把较早的日期放在前面。",
        "'from' is after 'to': give the earlier date first.",
    ),
    (
        "value_too_long",
        "/inspections?text=" + "x" * 501,
        "“text”超过了 500 个字符。",
        "'text' is longer than 500 characters.",
    ),
    (
        "control_character",
        "/inspections?text=a%00b",
        "“text”含有看不见的控制字符，请删去。",
        "'text' holds an invisible control character; remove it.",
    ),
    (
        "not_a_record_id",
        "/inspections?enterprise=%3Cb%3E",
        "“enterprise”应是记录编号，例如 DEP-MEE 或 ENT-0001。",
        "'enterprise' takes a record id such as DEP-MEE or ENT-0001.",
    ),
    (
        "unknown_province",
        "/inspections?province=Atlantis",
        "未知省份“Atlantis”；请使用名称（广西、Guangxi）或代码（45）。",
        "Unknown province 'Atlantis'; use a name (广西, Guangxi) or code (45).",
    ),
    (
        "unknown_pollutant",
        "/inspections?pollutant=kryptonite",
        "未知污染物“kryptonite”；请使用名称或符号，例如 镉、cadmium 或 Cd（已知：As、COD、Cd、Cr、"
        "Cr6、Cu、Dioxins、Hg、NH3N、NOx、Ni、PM、Pb、SO2、Sb、Tl、Zn）。",
        "Unknown pollutant 'kryptonite'; use a name or symbol such as cadmium, 镉 or Cd (known: "
        "As, COD, Cd, Cr, Cr6, Cu, Dioxins, Hg, NH3N, NOx, Ni, PM, Pb, SO2, Sb, Tl, Zn).",
    ),
    (
        "not_one_of",
        "/inspections?outcome=guilty",
        "“outcome”只能是以下之一：compliant、violation、rectification_ordered。",
        "'outcome' must be one of compliant, violation, rectification_ordered.",
    ),
    (
        "not_a_date",
        "/inspections?from=yesterday",
        "“from”应是 YYYY-MM-DD 格式的日期，而不是“yesterday”。",
        "'from' must be a date as YYYY-MM-DD, not 'yesterday'.",
    ),
    (
        "not_a_time",
        "/inspections?updated_since=soon",
        "“updated_since”应是 ISO 8601 格式的日期或时间，例如 2024-03-01T00:00:00Z。",
        "'updated_since' must be a date or time in ISO 8601, e.g. 2024-03-01T00:00:00Z.",
    ),
    (
        "not_a_boolean",
        "/inspections?sample=perhaps",
        "“sample”应是 true（只看示例记录）或 false（只看真实记录）。",
        "'sample' must be true (illustrative records only) or false (real ones).",
    ),
    (
        "bad_cursor",
        f"/inspections?cursor={PLAIN}",
        "“cursor”不是本站生成的；请直接使用“下一页”链接。",
        "'cursor' is not one this portal made; follow the 'next' link as given.",
    ),
    (
        "bad_cursor",
        f"/inspections?before={PLAIN}",
        "“before”不是本站生成的；请直接使用页面上的翻页链接。",
        "'before' is not one this portal made; follow the page links as given.",
    ),
    (
        "cursor_and_before",
        f"/inspections?cursor={CURSOR}&before={CURSOR}",
        "“cursor”和“before”只能给一个：请直接使用页面上的翻页链接。",
        "Give 'cursor' or 'before', not both: follow the page links as given.",
    ),
    (
        "not_a_whole_number",
        "/inspections?limit=many",
        "“limit”应是 1 到 1000 之间的整数。",
        "'limit' must be a whole number from 1 to 1000.",
    ),
    (
        "out_of_range",
        "/search?q=x&page=0",
        "“page”应在 1 到 10000 之间，而不是 0。",
        "'page' must be from 1 to 10000, not 0.",
    ),
    (
        "too_deep",
        "/search?q=x&page=600&limit=50",
        "结果最多只能翻到第 10,000 条；请缩小搜索范围。",
        "Results go 10,000 deep at most; narrow the search instead.",
    ),
    (
        "not_a_year",
        "/obligations?year=abc",
        "“year”应是年份，例如 2025，而不是“abc”。",
        "'year' must be a year such as 2025, not 'abc'.",
    ),
    (
        "year_not_known",
        "/obligations?year=2999",
        "2999 年的披露义务尚不可知：本站显示 2022 至 2026 年。",
        "Obligations for 2999 are not known yet: the portal shows the years 2022 to 2026.",
    ),
    (
        "before_rules",
        "/obligations?year=2019",
        "2019 年没有企业环境信息依法披露义务：《企业环境信息依法披露管理办法》（生态环境部令"
        "第24号）自 2022-02-08 起施行，要求披露的第一个年度是 2022 年（2023 年 3 月 15 日前"
        "披露）。请选择 2022 年及以后的年份。",
        "There are no disclosure obligations for 2019: the rules (Measures for the Administration "
        "of Legal Disclosure of Enterprise Environmental Information, MEE Order No. 24) are in "
        "force from 2022-02-08, and the first year they ask a report for is 2022 (due by 15 March "
        "2023). Ask for a year from 2022 on.",
    ),
]

# (code, the tip form's fields, on a Chinese page, on an English page): field name, then problem.
TIP_FORMS: list[tuple[str, dict[str, str], str, str]] = [
    ("missing", {"kind": "pollution"}, "内容: 必须填写", "What you saw: is required"),
    (
        "string_too_long",
        {"kind": "pollution", "text": "x" * 20_001},
        "内容: 最多 20000 个字符",
        "What you saw: String should have at most 20000 characters",
    ),
    (
        "enum",
        {"kind": "gossip", "text": "something"},
        "类型: 只能是 'pollution'、'record_error'",
        "Kind: Input should be 'pollution' or 'record_error'",
    ),
    (
        "record_id_format",
        {"kind": "record_error", "text": "wrong", "about_id": "<script>"},
        "记录编号: 编号由三个字母的前缀和最多五段大写字母或数字组成，以“-”连接，例如 INC-2012-0001",
        "Record id: an id is a three-letter prefix and up to five parts of capital letters and "
        "digits joined by '-', for example INC-2012-0001",
    ),
    (
        "unknown_province",
        {"kind": "pollution", "text": "something", "province": "Atlantis"},
        "省份: 未知省份“Atlantis”；请填写名称（如广西、Guangxi）或代码（45）",
        "Province: unknown province 'Atlantis'; use a name such as 广西 or Guangxi, or its code "
        "(45)",
    ),
    (
        "control_character_at",
        {"kind": "pollution", "text": "bad\x00byte"},
        "内容: 第 4 个字符是不可见的控制字符（U+0000），请删除",
        "What you saw: character 4 is an invisible control character (U+0000); remove it",
    ),
    (
        "no_such_record",
        {"kind": "record_error", "text": "wrong", "about_id": "INC-2099-0001"},
        "记录编号: 没有编号为 INC-2099-0001 的记录",
        "Record id: there is no record INC-2099-0001",
    ),
]

# (code, the tip, the moderation form's fields, on a Chinese page, on an English page); TIP is
# the tip filed for the test.
MODERATIONS: list[tuple[str, str, dict[str, str], str, str]] = [
    (
        "no_such_tip",
        "TIP-2026-NOPE",
        {"status": "rejected", "reason": "not so"},
        "TIP-2026-NOPE: 没有这条线索。",
        "TIP-2026-NOPE: there is no tip TIP-2026-NOPE",
    ),
    (
        "not_one_of",
        "TIP",
        {"status": "lost"},
        "TIP: “status”只能是以下之一：received、under_review、accepted、rejected。",
        "TIP: status must be one of received, under_review, accepted, rejected",
    ),
    (
        "status_transition",
        "TIP",
        {"status": "received"},
        "TIP: TIP 的状态是 received，不能改为 received",
        "TIP: TIP is received; it cannot become received",
    ),
    (
        "string_too_long",
        "TIP",
        {"status": "rejected", "reason": "x" * 2001},
        "TIP: 最多 2000 个字符",
        "TIP: keep the reason under 2,000 characters",
    ),
    (
        "control_character",
        "TIP",
        {"status": "rejected", "reason": "not\x01so"},
        "TIP: “reason”含有看不见的控制字符，请删去。",
        "TIP: remove the invisible control characters",
    ),
    (
        "reason_required",
        "TIP",
        {"status": "rejected"},
        "TIP: 请说明不采纳这条线索的理由；理由会公开",
        "TIP: say why the tip is rejected; it is public",
    ),
    (
        "linked_record_required",
        "TIP",
        {"status": "accepted"},
        "TIP: 请填写这条线索促成的已发布记录",
        "TIP: name the published record the tip led to",
    ),
]


def _listed(page: str, marker: str) -> list[str]:
    """The problems a page lists, as text."""
    assert marker in page, page[:500]
    listed = page.split(marker, 1)[1].split("</ul>")[0]
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", listed, re.S)]


def test_every_code_a_page_says_is_tried_on_a_page() -> None:
    tried = {c for c, *_ in ADDRESSES} | {c for c, *_ in TIP_FORMS} | {c for c, *_ in MODERATIONS}
    # A search too slow comes only from PostgreSQL's engine, a page past the last is a 404: each
    # is tried below, alone.
    alone = {"search_too_slow", "page_past_last"}
    assert tried | alone == set(SAY) | set(SAY_IN_FORM)
    assert set(SAY) <= set(CODES)


@pytest.mark.parametrize(("code", "address", "chinese", "english"), ADDRESSES)
def test_a_bad_address_is_said_in_the_page_language(
    app: Flask, client: FlaskClient, code: str, address: str, chinese: str, english: str
) -> None:
    app.config["OBLIGATIONS_TODAY"] = "2026-06-01"
    for lang, sentence in (("zh", chinese), ("en", english)):
        response = client.get(f"{address}&lang={lang}")
        assert response.status_code == 400
        assert _listed(response.get_data(as_text=True), '<ul class="problems">') == [sentence]
    # The API reads the same address with the same parser, and says the code the page used
    # (not `before`, which only pages take, nor a control character, refused before parsing).
    if "before=" not in address and "%00" not in address:
        answer = client.get(f"/api/v1{address}")
        assert answer.status_code == 400
        body = answer.get_json()
        assert body["code"] == "invalid_query"
        assert [e["code"] for e in body["errors"]] == [code]
        assert [e["detail"] for e in body["errors"]] == body["problems"]


@pytest.mark.parametrize(("code", "fields", "chinese", "english"), TIP_FORMS)
def test_a_bad_tip_is_said_in_the_page_language(
    app: Flask, client: FlaskClient, code: str, fields: dict[str, str], chinese: str, english: str
) -> None:
    app.config["TIP_RATE_LIMIT"] = "100 per hour"
    for lang, sentence in (("zh", chinese), ("en", english)):
        data = {**fields, "csrf": form_token(client)}
        response = client.post(f"/tips?lang={lang}", data=data)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert _listed(page, 'class="notice problems"') == [sentence]


@pytest.mark.parametrize(("code", "tip", "fields", "chinese", "english"), MODERATIONS)
def test_a_bad_moderation_is_said_in_the_page_language(
    app: Flask,
    client: FlaskClient,
    session: Session,
    association: str,
    code: str,
    tip: str,
    fields: dict[str, str],
    chinese: str,
    english: str,
) -> None:
    sent = client.post(
        "/tips?lang=en",
        data={"kind": "pollution", "text": "Dead fish.", "csrf": form_token(client)},
    )
    filed = sent.headers["Location"].split("/tips/")[1].split("?")[0]
    secret = publishing_token(app, association)
    signed = client.post(
        "/moderate/login", data={"csrf": form_token(client, "/moderate"), "token": secret}
    )
    assert signed.status_code == 303
    tip_id = filed if tip == "TIP" else tip
    for lang, sentence in (("zh", chinese), ("en", english)):
        csrf = re.search(
            r'name="csrf" value="([^"]+)"', client.get("/moderate").get_data(as_text=True)
        )
        assert csrf is not None
        response = client.post(
            f"/moderate/{tip_id}?lang={lang}", data={**fields, "csrf": csrf.group(1)}
        )
        assert response.status_code in (404, 409, 422)
        said = _listed(response.get_data(as_text=True), 'class="notice problems"')
        assert said == [sentence.replace("TIP", filed) if tip == "TIP" else sentence]


def test_a_search_too_slow_is_said_in_the_page_language(app: Flask) -> None:
    from portal.search import SearchTooSlow

    issues = SearchTooSlow(2.0).issues
    assert [i.code for i in issues] == ["search_too_slow"]
    with app.test_request_context("/?lang=zh"):
        assert in_page_language(issues) == [
            "这次搜索需要超过 2 秒才能回答；请使用更少或更具体的词语，或添加筛选条件（kind、"
            "province、from、to）。"
        ]
    with app.test_request_context("/?lang=en"):
        assert in_page_language(issues) == [issues[0].message]


def test_a_code_no_page_says_comes_through_in_english(app: Flask) -> None:
    issue = Issue("order_fixed", "Feeds always list ...; remove 'sort'.", {"name": "sort"})
    with app.test_request_context("/?lang=zh"):
        assert in_page_language([issue]) == [issue.message]


def test_an_issue_must_carry_its_codes_parameters() -> None:
    with pytest.raises(ValueError, match="not as CODES says"):
        Issue("not_one_of", "'x' must be one of a, b.", {"name": "x"})
    with pytest.raises(ValueError, match="not as CODES says"):
        Issue("no_such_code", "Something.")


def test_search_and_listing_problems_carry_codes() -> None:
    def codes(args: dict[str, Any], kind: str | None) -> list[str]:
        with pytest.raises(QueryError) as caught:
            parse_search(args) if kind is None else parse_query(kind, args)
        return [i.code for i in caught.value.issues]

    assert codes({"kind": "tips", "page": "x", "colour": "red"}, None) == [
        "unknown_parameter",
        "not_one_of",
        "not_a_whole_number",
    ]
    assert codes({"q": "x" * 1001}, None) == ["value_too_long"]
    assert codes({"status": "lost", "limit": "0"}, "incidents") in (
        ["not_one_of", "out_of_range"],
        ["out_of_range", "not_one_of"],
    )


def test_a_value_given_in_the_address_stays_text(client: FlaskClient) -> None:
    page = client.get("/inspections?from=<script>x</script>&lang=zh").get_data(as_text=True)
    assert "“from”应是 YYYY-MM-DD 格式的日期，而不是“&lt;script&gt;x&lt;/script&gt;”。" in page
    assert "<script>x" not in page


def test_the_bad_filter_page_links_back_without_filters(client: FlaskClient) -> None:
    page = client.get("/inspections?outcome=guilty&lang=zh").get_data(as_text=True)
    assert '<a href="/inspections?lang=zh">不加筛选条件的全部检查</a>' in page


def test_a_page_past_the_last_is_said_in_the_page_language(client: FlaskClient) -> None:
    """The compliance table's pages are numbered: a page past the last is a 404 that says
    how many there are, in the page language."""
    for lang, sentence in (
        ("zh", "第 50 页超出范围：共 0 家企业，每页 5 家，最后一页是第 1 页。"),
        ("en", "Page 50 is past the last page (1) of 0 enterprises at 5 a page."),
    ):
        response = client.get(f"/enterprises/compliance?page=50&limit=5&lang={lang}")
        assert response.status_code == 404
        assert _listed(response.get_data(as_text=True), '<ul class="problems">') == [sentence]
