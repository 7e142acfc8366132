"""An email address as a person types it into the alert form: checked before anything is kept.

Deliberately narrower than RFC 5321: one mailbox, no display name, no comments, no quoting, no
line breaks or control characters anywhere (a header injection such as "a@b.c\r\nBcc: x" is
refused here, before the mail library would refuse it too)."""

from __future__ import annotations

import re

MAX_ADDRESS = 254  # RFC 5321's longest path, less the angle brackets
MAX_LOCAL = 64
_LOCAL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


class AddressError(ValueError):
    """An address the form cannot take: `reason` (a key of REASONS, which the web page says in
    its language) and, as the message, the English sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(REASONS[reason])
        self.reason = reason


REASONS = {
    "control": "The email address holds a line break or another control character; give one "
    "address on one line.",
    "empty": "Give the email address the alerts should go to.",
    "long": f"The email address is longer than {MAX_ADDRESS} characters.",
    "at": "The email address needs one @ between a name and a domain.",
    "local": "The part of the email address before @ may hold letters, digits and . _ + - "
    "only (one address, without a name or spaces).",
    "domain": "The domain after @ is not a valid domain name (such as example.org).",
}


def checked_address(text: str) -> str:
    """The address to mail, its domain in lower-case ASCII (IDNA); AddressError if not one."""
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise AddressError("control")
    address = text.strip()
    if not address:
        raise AddressError("empty")
    if len(address) > MAX_ADDRESS:
        raise AddressError("long")
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise AddressError("at")
    if len(local) > MAX_LOCAL or not _LOCAL.fullmatch(local) or ".." in local:
        raise AddressError("local")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise AddressError("domain") from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise AddressError("domain")
    return f"{local}@{ascii_domain}"  # an IDN as its ASCII form: every relay takes it
