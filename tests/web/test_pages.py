"""The pages a citizen sees: real content, both languages, clear errors, escaped text."""

import re

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from factories import basics, disclosure, incident, inspection, publish
from portal import records


@pytest.fixture
def filled(session: Session) -> dict[str, str]:
    ids = basics(session)
    inc = incident(
        id="INC-2012-0001",
        title_en="Longjiang cadmium",
        responsible=[{"enterprise_id": ids["enterprise"], "role_zh": "排放源"}],
        updates=[
            {
                "department_id": "DEP-GX-EEB",
                "at": "2012-01-19T17:00:00+08:00",
                "text_zh": "测得镉浓度超标",
                "text_en": "Cadmium above the limit",
            }
        ],
        sample=False,
        sources=[{"title": "China Daily, 2012-01-31"}],
    )
    publish(session, inc)
    publish(
        session,
        inspection(
            ids["enterprise"], id="INS-W-1", findings_zh="<script>alert(1)</script> 排放口超标"
        ),
    )
    publish(session, disclosure(ids["enterprise"], id="DIS-W-1"))
    publish(
        session,
        {
            "id": "RSP-W-1",
            "publisher_id": ids["enterprise"],
            "enterprise_id": ids["enterprise"],
            "subject_id": "INS-W-1",
            "text_zh": "我们已整改。",
            "text_en": "We have fixed it.",
        },
    )
    return {**ids, "incident": "INC-2012-0001"}


def test_home_shows_the_documented_incident(client: FlaskClient, filled: dict) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "有据可查的事件" in page and "龙江镉污染" in page and "INC-2012-0001" in page


def test_home_shows_a_new_incident_at_once(
    client: FlaskClient, session: Session, filled: dict
) -> None:
    """The home page is kept between requests (under the data version): a publication must
    show on the next request all the same, in its latest incidents and its figures."""
    before = client.get("/?lang=en").get_data(as_text=True)
    assert "INC-T-NEW1" not in before
    assert client.get("/?lang=en").get_data(as_text=True) == before  # kept, as it was
    publish(
        session,
        incident(
            id="INC-T-NEW1", title_en="Lead in the Diaojiang", began_at="2024-05-01T08:00:00+08:00"
        ),
    )
    after = client.get("/?lang=en").get_data(as_text=True)
    assert "INC-T-NEW1" in after and "Lead in the Diaojiang" in after


@pytest.mark.parametrize(
    "kind", ["enterprises", "incidents", "inspections", "disclosures", "departments"]
)
def test_every_listing_answers(client: FlaskClient, filled: dict, kind: str) -> None:
    response = client.get(f"/{kind}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"


def test_incident_page_shows_readings_against_the_limit(client: FlaskClient, filled: dict) -> None:
    page = client.get("/incidents/INC-2012-0001?lang=en").get_data(as_text=True)
    assert "4.94×" in page and "0.005 mg/L" in page and "GB 3838-2002" in page
    assert '<figure class="chart"' in page  # the readings drawn against the limit
    assert "Cadmium above the limit" in page  # the timeline, in English
    # Times are shown in China time, as published (09:00 and 17:00 +08:00), not in UTC.
    assert "2012-01-15" in page and "2012-01-19 17:00" in page
    assert "China Daily, 2012-01-31" in page  # its source
    assert filled["enterprise"] in page  # responsible enterprise linked


def test_disclosure_without_limit_says_so(
    client: FlaskClient, session: Session, filled: dict
) -> None:
    ent = filled["enterprise"]
    publish(
        session,
        disclosure(
            ent,
            id="DIS-W-2",
            figures=[{"site_zh": "总排口", "pollutant": "COD", "value": 40, "unit": "mg/L"}],
        ),
    )
    page = client.get("/disclosures/DIS-W-2?lang=en").get_data(as_text=True)
    assert "no limit on file" in page


def test_hostile_text_is_shown_as_text(client: FlaskClient, filled: dict) -> None:
    page = client.get("/inspections/INS-W-1").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_right_of_reply_is_shown_beside_the_inspection(client: FlaskClient, filled: dict) -> None:
    page = client.get("/inspections/INS-W-1?lang=en").get_data(as_text=True)
    assert "We have fixed it." in page


def test_enterprise_page_gathers_its_records(client: FlaskClient, filled: dict) -> None:
    page = client.get(f"/enterprises/{filled['enterprise']}").get_data(as_text=True)
    for record_id in ("INC-2012-0001", "INS-W-1", "DIS-W-1"):
        assert record_id in page


def test_language_switch(client: FlaskClient, filled: dict) -> None:
    zh = client.get("/incidents").get_data(as_text=True)
    en = client.get("/incidents?lang=en").get_data(as_text=True)
    assert '<html lang="zh-CN">' in zh and "污染事件" in zh
    assert '<html lang="en">' in en and "Incidents" in en
    browser = client.get("/incidents", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in browser.get_data(as_text=True)


def test_fallback_text_is_marked(client: FlaskClient, session: Session, filled: dict) -> None:
    # The disclosure has no English title: the English page shows the Chinese one, marked.
    page = client.get("/disclosures/DIS-W-1?lang=en").get_data(as_text=True)
    assert (
        '<span dir="auto" lang="zh-CN">2023 年度排放信息</span>' in page
        and "(in Chinese only)" in page
    )


def test_history_shows_a_correction(client: FlaskClient, session: Session, filled: dict) -> None:
    records.correct(
        session,
        "INS-W-1",
        {"penalty_yuan": 80000},
        reason="Amount mistyped",
        author_id="DEP-GX-EEB",
    )
    session.commit()
    page = client.get("/inspections/INS-W-1/history?lang=en").get_data(as_text=True)
    assert "Revision 2" in page and "Amount mistyped" in page
    assert "120000" in page and "80000" in page


def test_withdrawn_record_shows_its_tombstone(
    client: FlaskClient, session: Session, filled: dict
) -> None:
    records.withdraw(session, "INS-W-1", reason="Wrong enterprise named", author_id="DEP-GX-EEB")
    session.commit()
    response = client.get("/inspections/INS-W-1?lang=en")
    assert response.status_code == 200
    assert "This record was withdrawn." in response.get_data(as_text=True)
    assert "Wrong enterprise named" in response.get_data(as_text=True)
    assert "INS-W-1" not in client.get("/inspections").get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/incidents/INC-NOPE",
        "/inspections/INC-2012-0001",
        "/ships",
        "/incidents/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_unknown_pages_are_404(client: FlaskClient, filled: dict, url: str) -> None:
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?outcome=guilty", "must be one of"),
        ("?limit=-1", "from 1 to 1000"),
        ("?cursor=bm90LWEtY3Vyc29y", "not one this portal made"),
        ("?colour=red", "Unknown parameter"),
        ("?to=2024-02-30", "must be a date as YYYY-MM-DD"),
        ("?text=%00", "invisible control character"),
    ],
)
def test_bad_filters_are_400_with_a_sentence(
    client: FlaskClient, filled: dict, query: str, message: str
) -> None:
    response = client.get(f"/inspections{query}&lang=en")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_listing_pages_follow_the_cursor(
    client: FlaskClient, session: Session, filled: dict
) -> None:
    for n in range(3):
        publish(session, inspection(filled["enterprise"], id=f"INS-PG-{n}"))
    first = client.get("/inspections?limit=2").get_data(as_text=True)
    assert 'rel="next"' in first
    next_url = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(next_url).get_data(as_text=True)
    assert "4 records" not in second and "共 4 条" in second


def test_standards_page_lists_every_limit(client: FlaskClient) -> None:
    page = client.get("/standards?lang=en").get_data(as_text=True)
    cells = re.findall(r'<td class="num">([^<]*)</td>', page)
    assert len([c for c in cells if "mg/L" in c]) == 49
    for standard in ("GB 3838-2002", "GB 5749-2006", "GB 8978-1996"):
        assert "<h2 id=" in page and standard in page
    assert "class III" in page and "0.00005 mg/L" in page


def test_database_down_is_a_503_page(tmp_path) -> None:
    from portal import create_app

    app = create_app(
        {"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/x?connect_timeout=2"}
    )
    response = app.test_client().get("/incidents")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"


PAGES = ["/", "/incidents", "/incidents/INC-2012-0001", "/inspections/INS-W-1", "/about"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_carry_a_strict_policy_and_no_inline_code(
    client: FlaskClient, filled: dict, url: str
) -> None:
    response = client.get(url)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "style-src 'self'" in policy and "object-src 'none'" in policy
    page = response.get_data(as_text=True)
    assert not re.search(r"\sstyle=", page) and "<style" not in page
    assert not re.search(r"<script(?![^>]*\ssrc=)", page)
    assert not re.search(r"\son[a-z]+=", page)


def test_the_api_and_feeds_keep_their_own_headers(client: FlaskClient, filled: dict) -> None:
    # Data is not a page: it never gets the pages' policy, which lets their own files run
    # (portal/web/security.py gives data one that loads nothing at all).
    for url in ("/api/v1/incidents", "/feeds/all.atom"):
        policy = client.get(url).headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" not in policy, (url, policy)


def test_hostile_source_address_is_never_a_script(
    client: FlaskClient, session: Session, filled: dict
) -> None:
    publish(
        session,
        incident(
            id="INC-W-EVIL",
            title_zh='<img src=x onerror="alert(1)">',
            sources=[{"title": "<b>x</b>", "url": 'https://example.org/a"<x>'}],
        ),
    )
    page = client.get("/incidents/INC-W-EVIL").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    assert 'href="https://example.org/a%22%3Cx%3E"' in page


def test_listing_links_its_data_in_every_form(client: FlaskClient, filled: dict) -> None:
    page = client.get("/inspections?outcome=violation&lang=en").get_data(as_text=True)
    for address in (
        "/api/v1/inspections?outcome=violation",
        "/api/v1/inspections.csv?outcome=violation",
        "/api/v1/inspections.ndjson?outcome=violation",
        "/feeds/inspections.atom?outcome=violation",
    ):
        assert address in page, address
    assert client.get("/api/v1/inspections?outcome=violation").get_json()["total"] == 1


def test_the_excel_download_is_offered_where_people_click(sample_client: FlaskClient) -> None:
    """Excel opens a CSV without a byte-order mark in the legacy code page (GBK on Chinese
    Windows): 广西龙江河镉污染事件 turns to mojibake. The listing offers the marked file,
    labelled."""
    page = sample_client.get("/incidents?province=45&lang=zh").get_data(as_text=True)
    found = re.search(
        r'<a href="([^"]+)" type="text/csv" title="([^"]+)">CSV（Excel 版）</a>', page
    )
    assert found, "no CSV for Excel link"
    href = found.group(1).replace("&amp;", "&")
    assert href == "/api/v1/incidents.csv?province=45&bom=1" and "BOM" in found.group(2)
    raw = sample_client.get(href).data
    assert raw.startswith(b"\xef\xbb\xbf")  # what makes Excel read UTF-8
    assert "广西龙江河镉污染事件" in raw.decode("utf-8-sig")
    plain = sample_client.get("/api/v1/incidents.csv?province=45").data
    assert "广西龙江河镉污染事件" not in plain.decode("gbk", errors="replace")  # Excel without it
    data_page = sample_client.get("/data?lang=en").get_data(as_text=True)
    assert 'href="/api/v1/readings.csv?bom=1"' in data_page and "CSV for Excel" in data_page


def test_facet_counts_are_what_the_filter_gives(sample_client: FlaskClient) -> None:
    page = sample_client.get("/incidents?lang=en").get_data(as_text=True)
    facets = page[page.index('id="facets-h"') :]
    pairs = re.findall(
        r'href="/incidents\?lang=en&amp;province=(\d+)">[^<]+</a> <span class="count">(\d+)', facets
    )
    assert len(pairs) >= 3
    for code, count in pairs[:4]:
        listing = sample_client.get(f"/incidents?province={code}&lang=en").get_data(as_text=True)
        assert f"{count} record" in listing, code


def test_pages_go_back_as_well_as_forward(sample_client: FlaskClient) -> None:
    first = sample_client.get("/inspections?limit=10&lang=en").get_data(as_text=True)
    ids = re.findall(r'<span class="id">(INS-[^<]+)</span>', first)
    link = re.search(r'rel="next" href="([^"]+)"', first)
    assert link and 'rel="prev"' not in first
    second = sample_client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    back = re.search(r'rel="prev" href="([^"]+)"', second)
    assert back
    again = sample_client.get(back.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert re.findall(r'<span class="id">(INS-[^<]+)</span>', again) == ids
    both = sample_client.get("/inspections?cursor=x&before=y")
    assert both.status_code == 400


def test_error_pages_speak_the_page_language(client: FlaskClient) -> None:
    zh = client.get("/incidents/INC-NOPE").get_data(as_text=True)
    en = client.get("/incidents/INC-NOPE?lang=en").get_data(as_text=True)
    assert "找不到该页面" in zh and "INC-NOPE" in zh
    assert "Page not found" in en and "There is no record INC-NOPE" in en
    assert "找不到该页面" in client.get("/nowhere/at/all").get_data(as_text=True)


def test_browser_language_picks_the_catalogue(client: FlaskClient) -> None:
    zh = client.get("/about", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    fr = client.get("/about", headers={"Accept-Language": "fr-FR"})
    en = client.get("/about", headers={"Accept-Language": "en-US,en;q=0.5"})
    assert "关于清水" in zh.get_data(as_text=True)
    assert "关于清水" in fr.get_data(as_text=True)  # neither language asked: Chinese
    assert "About Clearwater" in en.get_data(as_text=True)
    asked = client.get("/about?lang=en", headers={"Accept-Language": "zh-CN"})
    assert "About Clearwater" in asked.get_data(as_text=True)  # ?lang= beats the browser


@pytest.mark.parametrize(
    ("path", "zh", "en"),
    [
        # The nav's 问答 and the button's 提问 are one English word: pgettext keeps them apart.
        ("/ask", ["你的问题", ">提问</button>", ">问答</a>"], ["Your question", ">Ask</button>"]),
        ("/obligations", ["企业环境信息依法披露义务", "状态按"], ["Statuses as of", "China time"]),
        ("/tips/new", ["报告线索或错误"], ["Report a tip or an error"]),
        ("/moderate", ["线索审核"], ["Moderating tips"]),
    ],
)
def test_every_page_speaks_the_page_language(
    client: FlaskClient, path: str, zh: list[str], en: list[str]
) -> None:
    """The pages that wrote both languages inline now take theirs from the catalogue."""
    chinese = client.get(f"{path}?lang=zh").get_data(as_text=True)
    english = client.get(f"{path}?lang=en").get_data(as_text=True)
    for text in zh:
        assert text in chinese and text not in english, (path, text)
    for text in en:
        assert text in english and text not in chinese, (path, text)


def test_enterprise_page_sums_up_its_record(client: FlaskClient, filled: dict) -> None:
    page = client.get(f"/enterprises/{filled['enterprise']}?lang=en").get_data(as_text=True)
    assert "Compliance at a glance" in page
    assert "¥120,000" in page  # the fines of its inspections
    timeline = page[page.index('id="timeline-h"') :]
    # Newest first: the 2023 disclosure and inspection before the 2012 incident.
    assert timeline.index("INS-W-1") < timeline.index("INC-2012-0001")
