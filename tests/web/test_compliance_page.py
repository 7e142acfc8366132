"""The /enterprises/compliance page (issue 22) in Chinese and English: the rows the API gives,
column links that sort and reverse, filters kept across pages, and what it cannot read said in
the page language. (Chromium, axe-core and vnu see it with every page: browser_support.PAGES.)"""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def _ids(html: str) -> list[str]:
    return re.findall(r'<span class="meta id">([A-Z0-9-]+)</span>', html)


def test_the_page_shows_the_table_the_api_gives(sample_client: FlaskClient) -> None:
    api = sample_client.get("/api/v1/enterprises/compliance?sort=fines_cny&order=desc").get_json()
    for lang, caption in (
        ("en", "sorted by Fines (CNY) (largest first)"),
        ("zh", "按“罚款（元）”排序（从大到小）"),
    ):
        page = sample_client.get(f"/enterprises/compliance?sort=fines_cny&order=desc&lang={lang}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert _ids(html) == [i["enterprise_id"] for i in api["items"]]
        assert caption in html
        assert '<th scope="col" class="num" aria-sort="descending">' in html
        assert html.count("aria-sort=") == 1
        assert 'role="region"' in html and 'tabindex="0"' in html  # scrolls on a phone
    en = sample_client.get("/enterprises/compliance?province=45&lang=en").get_data(as_text=True)
    assert "about US$162,000" in en
    assert 'href="/api/v1/enterprises/compliance.csv?province=45&amp;bom=1"' in en


def test_a_column_link_sorts_by_it_and_then_reverses(sample_client: FlaskClient) -> None:
    html = sample_client.get("/enterprises/compliance?sector=mining&lang=en").get_data(as_text=True)
    links = dict(re.findall(r'<th scope="col"[^>]*><a href="([^"]+)">([^<]+)<', html)[::-1])
    by_penalties = next(href for href, name in links.items() if name.startswith("Penalties"))
    assert "sort=penalties" in by_penalties and "order=desc" in by_penalties
    assert "sector=mining" in by_penalties
    sorted_page = sample_client.get(by_penalties.replace("&amp;", "&")).get_data(as_text=True)
    again = re.search(r'aria-sort="descending"><a href="([^"]+)"', sorted_page)
    assert again and "order=asc" in again.group(1)


def test_pages_keep_the_filters(sample_client: FlaskClient) -> None:
    html = sample_client.get("/enterprises/compliance?limit=10&sort=id&lang=en").get_data(
        as_text=True
    )
    following = re.search(r'rel="next" href="([^"]+)"', html)
    assert following, html
    url = following.group(1).replace("&amp;", "&")
    assert "page=2" in url and "limit=10" in url and "sort=id" in url
    second = sample_client.get(url).get_data(as_text=True)
    assert _ids(second)[0] > _ids(html)[-1]
    assert "Page 2 of" in second


def test_what_it_cannot_read_is_said_in_the_page_language(sample_client: FlaskClient) -> None:
    for query, zh in (
        ("sort=secret", "“sort”只能是以下之一"),
        ("order=up", "“order”只能是以下之一：asc、desc。"),
        ("page=0", "“page”应是 1 到 100000 之间的整数。"),
        ("colour=red", "未知参数“colour”；企业合规一览可用的参数有："),
    ):
        response = sample_client.get(f"/enterprises/compliance?{query}&lang=zh")
        assert response.status_code == 400, query
        assert zh in response.get_data(as_text=True), query


def test_a_page_past_the_last_is_not_found(sample_client: FlaskClient) -> None:
    response = sample_client.get("/enterprises/compliance?page=70&lang=zh")
    assert response.status_code == 404
    assert "第 70 页超出范围" in response.get_data(as_text=True)


def test_the_enterprise_listing_links_to_the_table(sample_client: FlaskClient) -> None:
    html = sample_client.get("/enterprises?province=45&lang=en").get_data(as_text=True)
    assert 'href="/enterprises/compliance?lang=en&amp;province=45"' in html
