"""Alert mails: put together (plain text and HTML, with RFC 8058's one-click unsubscribe) and
handed to the SMTP relay that PORTAL_SMTP_URL names, through the standard library's smtplib.

smtp://host:port talks plain SMTP (a relay on the same host or network), smtp+starttls://
upgrades with STARTTLS and fails if the relay cannot, smtps:// speaks TLS from the first byte.
A user and password in the URL (percent-encoded) are sent with AUTH after TLS."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
SUBJECT_MAX = 250  # characters of a subject kept
TIMEOUT = 30.0  # seconds a relay may take to answer any one command


class RelayError(RuntimeError):
    """The relay could not be reached or refused the mail; the message says which."""


def compose(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    unsubscribe: str | None = None,
) -> EmailMessage:
    """A multipart/alternative mail; with `unsubscribe` (an https URL), the List-Unsubscribe
    and List-Unsubscribe-Post headers of a one-click unsubscribe (RFC 8058)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    # A subject names the feed, whose filters came from an address: one line, whatever they
    # hold (the mail library would refuse a line break; this keeps the mail).
    msg["Subject"] = " ".join(subject.split())[:SUBJECT_MAX]
    msg["Date"] = formatdate(localtime=False)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to alerts
    if unsubscribe is not None:
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


@contextmanager
def relay(url: str, *, timeout: float = TIMEOUT) -> Iterator[smtplib.SMTP]:
    """A connection to the relay, signed in when the URL holds a user; closed after."""
    parts = urlsplit(url)
    scheme, host = parts.scheme, parts.hostname or ""
    port = parts.port or PORTS.get(scheme, 25)
    try:
        if scheme == "smtps":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
            if scheme == "smtp+starttls":
                smtp.starttls(context=ssl.create_default_context())
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
    except (OSError, smtplib.SMTPException) as exc:
        raise RelayError(f"the SMTP relay at {host}:{port} could not be used: {exc}") from exc
    try:
        yield smtp
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def deliver(smtp: smtplib.SMTP, msg: EmailMessage) -> None:
    """Hand one mail to the relay; RelayError when it refuses it."""
    try:
        smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise RelayError(f"the SMTP relay refused the mail: {exc}") from exc
