"""On English pages a designation's source whose title is Chinese is marked as Chinese (lang and
a note): the portal cannot translate what a department published, and must not pass it off as
English. On Chinese pages it is shown as it is."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from portal.web.context import chinese

SOURCE = re.compile(
    r'<bdi(?P<lang> lang="zh-CN")?>(?P<title>[^<]*名录[^<]*)</bdi>'
    r"(?P<rest>[^<]{0,2}<small[^>]*>[^<]*</small>)?"
)


def test_chinese_titles_are_told_apart() -> None:
    assert chinese("示例：河池市生态环境局2022年重点排污单位名录")
    assert chinese("GB 3838-2002 地表水环境质量标准")
    assert not chinese("GB 3838-2002 Environmental quality standards for surface water")
    assert not chinese("")
    assert not chinese(None)


def test_english_obligations_page_marks_chinese_source_titles(
    sample_app: Flask, sample_client: FlaskClient
) -> None:
    sample_app.config["OBLIGATIONS_TODAY"] = "2025-06-30"
    page = sample_client.get("/obligations?lang=en&limit=100").get_data(as_text=True)
    found = list(SOURCE.finditer(page))
    assert found, "the sample designations' sources should be on the page"
    for m in found:
        assert m["lang"], m[0]
        assert m["rest"] and "(in Chinese only)" in m["rest"], m[0]


def test_chinese_obligations_page_shows_source_titles_plainly(
    sample_app: Flask, sample_client: FlaskClient
) -> None:
    sample_app.config["OBLIGATIONS_TODAY"] = "2025-06-30"
    page = sample_client.get("/obligations?lang=zh&limit=100").get_data(as_text=True)
    found = list(SOURCE.finditer(page))
    assert found
    assert not any(m["lang"] or m["rest"] for m in found)
