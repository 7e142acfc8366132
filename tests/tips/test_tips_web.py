"""A citizen's tip through the web: the form (CSRF, trap, budget), the public tracking page, and
moderation by a signed-in token holder, from received to accepted."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from factories import basics, department, inspection, publish, publishing_token
from portal.models import Tip


def form_token(client: FlaskClient, url: str = "/tips/new") -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def tips_kept(session: Session) -> int:
    session.expire_all()
    return int(session.exec(select(func.count()).select_from(Tip)).one())


@pytest.fixture
def association(session: Session) -> str:
    publish(session, department())
    publish(
        session,
        department(
            id="DEP-CNMIA",
            name_zh="中国有色金属工业协会再生金属分会",
            function="association",
        ),
    )
    return "DEP-CNMIA"


def test_a_tip_from_the_form_to_accepted(
    app: Flask, client: FlaskClient, session: Session, association: str
) -> None:
    sent = client.post(
        "/tips?lang=en",
        data={
            "csrf": form_token(client),
            "kind": "pollution",
            "text": "Yellow water runs into the Longjiang at night below the smelter.",
            "place": "Jinchengjiang",
            "province": "45",
            "contact": "reader@example.org",
        },
    )
    assert sent.status_code == 303
    tracking = sent.headers["Location"]
    assert re.search(r"/tips/TIP-\d{4}-[A-Z0-9]{10}", tracking)
    page = client.get(tracking).get_data(as_text=True)
    assert "Received" in page and "Yellow water" in page
    assert "reader@example.org" not in page  # the contact is never public

    # A moderator signs in with the association's token and sees the tip, contact included.
    mod = app.test_client()
    secret = publishing_token(app, association)
    signed = mod.post(
        "/moderate/login", data={"csrf": form_token(mod, "/moderate"), "token": secret}
    )
    assert signed.status_code == 303
    queue = mod.get("/moderate?lang=en").get_data(as_text=True)
    tip_id = tracking.split("/tips/")[1].split("?")[0]
    assert tip_id in queue and "reader@example.org" in queue
    csrf = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)
    publish(session, department(id="DEP-GX-EEB", parent_id="DEP-MEE", level="provincial"))
    decided = mod.post(
        f"/moderate/{tip_id}",
        data={
            "csrf": csrf,
            "status": "accepted",
            "linked_record_id": "DEP-GX-EEB",
            "reason": "Passed to the Guangxi department, which opened a case.",
        },
    )
    assert decided.status_code == 303, decided.get_data(as_text=True)[:500]
    page = client.get(tracking).get_data(as_text=True)
    assert "Accepted" in page and "DEP-GX-EEB" in page and "opened a case" in page


def test_the_form_refuses_forgeries_programs_and_floods(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    good = {"kind": "pollution", "text": "Dead fish below the outfall."}
    assert client.post("/tips", data=good).status_code == 400  # no CSRF token
    assert client.post("/tips", data={**good, "csrf": "forged"}).status_code == 400
    other = app.test_client()  # a token from another visitor's session is no good here
    assert client.post("/tips", data={**good, "csrf": form_token(other)}).status_code == 400
    trapped = client.post("/tips", data={**good, "csrf": form_token(client), "website": "x"})
    assert trapped.status_code == 400
    assert tips_kept(session) == 0
    app.config["TIP_RATE_LIMIT"] = "2 per hour"
    for _ in range(2):
        assert client.post("/tips", data={**good, "csrf": form_token(client)}).status_code == 303
    flooded = client.post("/tips", data={**good, "csrf": form_token(client)})
    assert flooded.status_code == 429 and int(flooded.headers["Retry-After"]) > 0
    assert tips_kept(session) == 2


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"kind": "pollution", "text": ""}, "What you saw"),
        ({"kind": "pollution", "text": "x" * 20_001}, "What you saw"),
        ({"kind": "pollution", "text": "bad\x00byte"}, "What you saw"),
        ({"kind": "gossip", "text": "something"}, "Kind"),
        ({"kind": "pollution", "text": "something", "province": "Atlantis"}, "Province"),
        ({"kind": "record_error", "text": "wrong", "about_id": "INC-2099-0001"}, "no record"),
        ({"kind": "record_error", "text": "wrong", "about_id": "<script>"}, "Record id"),
        (
            {"kind": "pollution", "text": "<script>alert(1)</script>", "contact": "y" * 300},
            "Contact",
        ),
    ],
)
def test_bad_tips_say_what_to_fix_and_keep_nothing(
    client: FlaskClient, session: Session, data: dict[str, str], words: str
) -> None:
    response = client.post("/tips?lang=en", data={**data, "csrf": form_token(client)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert words in page and "Please fix" in page
    assert "<script>alert" not in page  # what was typed comes back as text
    # On a Chinese page every problem is said in Chinese, the field's name and what to fix.
    chinese = client.post("/tips?lang=zh", data={**data, "csrf": form_token(client)})
    assert chinese.status_code == 422
    listed = chinese.get_data(as_text=True).split('class="notice problems"')[1].split("</ul>")[0]
    problems = re.findall(r"<li>(.*?)</li>", listed)
    assert problems
    for problem in problems:
        field, _, said = problem.partition(": ")
        assert re.search(r"[\u4e00-\u9fff]", field) and re.search(r"[\u4e00-\u9fff]", said), problem
    assert tips_kept(session) == 0


def test_moderation_needs_a_live_token_with_the_tips_scope(
    app: Flask, client: FlaskClient, session: Session, association: str
) -> None:
    def sign_in(secret: str) -> int:
        return client.post(
            "/moderate/login", data={"csrf": form_token(client, "/moderate"), "token": secret}
        ).status_code

    assert sign_in("cw_nonsense") == 401
    assert sign_in(publishing_token(app, "DEP-MEE")) == 403  # a department without the scope
    assert sign_in(publishing_token(app, "DEP-MEE", scopes=["tips"])) == 303  # granted
    assert "Sign out" in client.get("/moderate?lang=en").get_data(as_text=True)
    # Revoking the token ends the sign-in at the next request.
    from portal.db import get_engine, session_scope
    from portal.records.tokens import end_token, list_tokens

    with session_scope(get_engine(app.config["DATABASE_URL"])) as db:
        end_token(db, list_tokens(db, "DEP-MEE")[0].id, how="revoke")
    page = client.get("/moderate?lang=en").get_data(as_text=True)
    assert "Sign in" in page and "Sign out" not in page
    decided = client.post("/moderate/TIP-2026-AAAAAAAAAA", data={"status": "rejected"})
    assert decided.status_code == 401


def test_unknown_tips_are_404(client: FlaskClient) -> None:
    for tip_id in ("TIP-2026-NOPE", "../../etc/passwd", "x" * 300):
        assert client.get(f"/tips/{tip_id}").status_code == 404


def test_a_record_page_links_to_the_form_about_it(client: FlaskClient, session: Session) -> None:
    ids = basics(session)
    publish(session, inspection(ids["enterprise"], id="INS-2023-0001"))
    page = client.get("/inspections/INS-2023-0001?lang=en").get_data(as_text=True)
    link = re.search(r'<a class="action" href="([^"]+)">Report an error</a>', page)
    assert link, "the record page has a Report an error link"
    assert link.group(1) == "/tips/new?about=INS-2023-0001&amp;lang=en"

    form = client.get("/tips/new?about=ins-2023-0001&lang=en")  # any case: ids are upper case
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert 'id="about_id" name="about_id" value="INS-2023-0001"' in html
    assert re.search(r'id="kind-record_error" name="kind" value="record_error" checked', html)
    assert "You are reporting an error in this record" in html
    assert 'href="/inspections/INS-2023-0001?lang=en"' in html

    # Sent as it comes, the pre-filled form files a tip about that record.
    sent = client.post(
        "/tips?lang=en",
        data={
            "csrf": form_token(client, "/tips/new?about=INS-2023-0001"),
            "kind": "record_error",
            "about_id": "INS-2023-0001",
            "text": "The fine is 8,000 yuan in the bureau's notice, not 80,000.",
        },
    )
    assert sent.status_code == 303
    tracking = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "INS-2023-0001" in tracking and "Error in a record" in tracking


@pytest.mark.parametrize(
    ("about", "words"),
    [
        ("INC-2099-0001", "There is no record INC-2099-0001"),
        ("<script>alert(1)</script>", "is not a record id"),
        ("x" * 500, "is not a record id"),
        ("TIP-2023-0001", "There is no record TIP-2023-0001"),  # a tip is not a record
    ],
)
def test_the_form_says_when_about_names_no_record(
    client: FlaskClient, session: Session, about: str, words: str
) -> None:
    basics(session)
    response = client.get("/tips/new", query_string={"about": about, "lang": "en"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert words in html
    assert 'name="about_id" value=""' in html  # nothing unusable is carried into the form
    assert "<script>alert" not in html
    assert "You are reporting an error in this record" not in html
    chinese = client.get("/tips/new", query_string={"about": about, "lang": "zh"})
    assert chinese.status_code == 200
    assert "这条线索不会关联到任何记录" in chinese.get_data(as_text=True)


def test_the_navigation_leads_to_the_obligations(client: FlaskClient) -> None:
    for lang, words in (("en", "Disclosure obligations"), ("zh", "披露义务")):
        page = client.get(f"/about?lang={lang}").get_data(as_text=True)
        nav = page[page.index('<nav class="wrap main-nav"') : page.index("</nav>")]
        assert f'<a href="/obligations?lang={lang}">{words}</a>' in nav
        listing = client.get(f"/obligations?lang={lang}").get_data(as_text=True)
        nav = listing[listing.index('<nav class="wrap main-nav"') : listing.index("</nav>")]
        assert f'<a href="/obligations?lang={lang}" aria-current="page">{words}</a>' in nav
