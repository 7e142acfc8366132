"""The parts of an alert mail that no relay may see wrong: one-line headers, both bodies, and
the one-click unsubscribe headers (RFC 8058); the address checks on their own."""

from __future__ import annotations

import pytest

from portal.alerts.address import AddressError, checked_address
from portal.alerts.mail import compose


def test_a_subject_with_a_line_break_stays_one_header() -> None:
    msg = compose(
        sender="alerts@example.org",
        to="reader@example.org",
        subject="Search · q=lead\r\nBcc: victim@example.org",
        text="text",
        html="<p>html</p>",
        unsubscribe="https://clearwater.example.org/alerts/unsubscribe/x",
    )
    assert msg["Subject"] == "Search · q=lead Bcc: victim@example.org"
    assert msg["Bcc"] is None
    assert msg["List-Unsubscribe"] == "<https://clearwater.example.org/alerts/unsubscribe/x>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg.get_content_type() == "multipart/alternative"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("  Reader@Example.ORG ", "Reader@example.org"),
        ("li.hua+alerts@mail.example.cn", "li.hua+alerts@mail.example.cn"),
        ("duzhe@例子.中国", "duzhe@xn--fsqu00a.xn--fiqs8s"),
    ],
)
def test_addresses_people_type(given: str, kept: str) -> None:
    assert checked_address(given) == kept


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("a@b.c\r\nBcc: x@example.org", "control"),
        ("a@b.c\x00", "control"),
        ("   ", "empty"),
        ("example.org", "at"),
        ("a..b@example.org", "local"),
        ("a@-example.org", "domain"),
        ("a@example", "domain"),
        ("a" * 65 + "@example.org", "local"),
    ],
)
def test_addresses_refused(given: str, reason: str) -> None:
    with pytest.raises(AddressError) as caught:
        checked_address(given)
    assert caught.value.reason == reason
