"""Text from users and publishers is isolated from the page around it (issue 21).

A name holding a right-to-left override (U+202E) reverses everything after it on its line
unless the text sits in its own bidirectional context: a `<bdi>`, or an element with
`dir="auto"`. Records whose every text field holds an override, Hebrew and Arabic are published,
and each kind of page that shows them is read with an HTML parser: every text node holding one
of those characters must have such an ancestor. The `<title>` cannot hold an element: there the
text must be wrapped in U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE. An
attribute a reader sees (a form field's value, a tooltip) needs `dir="auto"` on its element.
Feeds are XML, not HTML, and are left alone."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from factories import bureau, department, disclosure, enterprise, incident, inspection, publish
from portal import records
from portal.records.tips import file_tip
from portal.search import service_of

# Right-to-left letters (Hebrew, Arabic and their presentation forms) and the embedding and
# override controls.
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u202a-\u202e]")
ISOLATED = re.compile("\u2068[^\u2069]*\u2069")
# Attributes no reader sees as text: addresses, and data for the page's own script.
UNSEEN = {"href", "src", "action", "id", "class", "datetime", "name", "for", "type"}


def rtl(label: str) -> str:
    """Text as a hostile or simply Hebrew- and Arabic-speaking publisher might write it."""
    return f"\u202e{label} שלום عربي"


def _fields(**names: str) -> dict[str, str]:
    return {name: rtl(value) for name, value in names.items()}


@pytest.fixture
def rtl_site(app: Flask, session: Session) -> dict[str, str]:
    """A ministry, a bureau, an enterprise and a record of every kind, every text right to left;
    one record corrected and one withdrawn, both with right-to-left reasons."""
    publish(session, department(**_fields(name_zh="部", name_en="ministry")))
    publish(session, bureau(**_fields(description_zh="厅简介", formerly_zh="旧名")))
    ent = enterprise(
        id="ENT-RTL",
        **_fields(
            name_zh="企业",
            name_en="enterprise",
            city_zh="市",
            county_zh="县",
            park_zh="园区",
            description_zh="企业简介",
        ),
    )
    publish(session, ent)
    reading = {
        "site_zh": rtl("站点"),
        "note_zh": rtl("备注"),
        "measured_at": "2012-01-19T17:00:00+08:00",
        "pollutant": "Cd",
        "value": 0.0247,
        "unit": "mg/L",
        "standard": "GB 3838-2002",
        "standard_class": "III",
    }
    inc = incident(
        id="INC-2012-0009",
        **_fields(title_zh="镉事件", summary_zh="摘要", river_zh="河", place_zh="地", city_zh="市"),
        responsible=[{"enterprise_id": "ENT-RTL", "role_zh": rtl("排放源")}],
        updates=[
            {
                "department_id": "DEP-GX-EEB",
                "at": "2012-01-19T17:00:00+08:00",
                "text_zh": rtl("进展"),
            }
        ],
        readings=[reading],
        sources=[{"title": rtl("报道"), "url": "https://example.org/a"}],
        sample=False,
    )
    publish(session, inc)
    publish(
        session,
        inspection(
            "ENT-RTL",
            id="INS-2023-0009",
            **_fields(findings_zh="发现", measures_zh="措施", follow_up_zh="跟进"),
        ),
    )
    publish(
        session,
        disclosure(
            "ENT-RTL",
            id="DIS-2023-0009",
            **_fields(title_zh="披露", text_zh="正文"),
            figures=[{**reading, "value": 0.4, "standard": "GB 8978-1996"}],
        ),
    )
    publish(
        session,
        disclosure("ENT-RTL", id="DIS-2023-0010", **_fields(title_zh="撤回", text_zh="正文")),
    )
    publish(
        session,
        {
            "id": "RSP-2023-0009",
            "publisher_id": "ENT-RTL",
            "enterprise_id": "ENT-RTL",
            "subject_id": "INC-2012-0009",
            "text_zh": rtl("答复"),
        },
    )
    records.correct(
        session,
        "INC-2012-0009",
        {"title_zh": rtl("更正后")},
        reason=rtl("理由"),
        author_id="DEP-GX-EEB",
    )
    records.withdraw(session, "DIS-2023-0010", reason=rtl("撤回理由"), author_id="ENT-RTL")
    session.commit()
    tip = file_tip(session, {"kind": "pollution", "text": rtl("举报")}, client="127.0.0.1")
    session.commit()
    service_of(app).rebuild(procs=1)
    return {
        "tip": tip,
        "incidents": "INC-2012-0009",
        "inspections": "INS-2023-0009",
        "disclosures": "DIS-2023-0010",
        "enterprises": "ENT-RTL",
        "departments": "DEP-GX-EEB",
    }


def _pages(ids: dict[str, str]) -> list[str]:
    """Every kind of HTML page that shows the records' text, in both languages."""
    pages = ["/", "/about", "/search?q=%D7%A9%D7%9C%D7%95%D7%9D", "/search?q=镉事件"]
    pages += ["/obligations", "/ask?q=%E2%80%AEשלום", "/tips/new?about=INC-2012-0009"]
    pages += ["/disclosures/DIS-2023-0009", "/departments/DEP-MEE"]
    pages.append(f"/tips/{ids['tip']}")
    for kind, record_id in ids.items():
        if kind == "tip":
            continue
        pages += [f"/{kind}", f"/{kind}/{record_id}", f"/{kind}/{record_id}/history"]
        if kind in ("incidents", "inspections", "disclosures"):
            pages.append(f"/{kind}?enterprise=ENT-RTL")
    return [p + ("&" if "?" in p else "?") + f"lang={lang}" for p in pages for lang in ("zh", "en")]


def _isolated(element: Any) -> bool:
    for node in [element, *element.iterancestors()]:
        if node.tag == "bdi" or node.get("dir") == "auto":
            return True
    return False


def unisolated(html: str) -> list[str]:
    """Each right-to-left text on the page that is not isolated from what surrounds it."""
    tree = lxml.html.document_fromstring(html)
    leaks = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        if element.tag == "title":
            outside = ISOLATED.sub("", element.text or "")
            if RTL.search(outside):
                leaks.append(f"<title>: {element.text!r}")
            continue
        owners = [(element.text, element), (element.tail, element.getparent())]
        for text, owner in owners:
            if owner is None or not text or not RTL.search(ISOLATED.sub("", text)):
                continue
            if not _isolated(owner):
                leaks.append(f"<{owner.tag}>: {text.strip()[:50]!r}")
        if element.tag == "input" and element.get("type") == "hidden":
            continue
        for name, value in element.attrib.items():
            if name in UNSEEN or name.startswith("data-") or not RTL.search(value):
                continue
            if element.get("dir") != "auto" and RTL.search(ISOLATED.sub("", value)):
                leaks.append(f"<{element.tag} {name}=>: {value[:50]!r}")
    return leaks


def test_right_to_left_text_is_isolated_on_every_page(
    client: FlaskClient, rtl_site: dict[str, str]
) -> None:
    shown = 0
    found = {}
    for page in _pages(rtl_site):
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        shown += len(RTL.findall(html)) > 0
        leaks = unisolated(html)
        if leaks:
            found[page] = leaks
    # A conversation: the question, the answer quoting the records, its sources.
    asked = client.post("/ask?lang=en", data={"question": rtl("镉事件"), "transcript": "[]"})
    assert asked.status_code == 200
    answer = asked.get_data(as_text=True)
    assert RTL.search(answer) and 'class="cite"' in answer  # it quoted the records
    leaks = unisolated(answer)
    if leaks:
        found["POST /ask"] = leaks
    assert shown >= 40  # the records' text does reach the pages
    assert not found, "\n".join(f"{p}: {leaks[:6]}" for p, leaks in found.items())
