"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the alert tests.

Tests wait for a mail with `Inbox.next()` (a queue with a timeout: the mail arrives or the test
fails) and check that none arrived with `Inbox.empty()` after the sender returned: smtplib has
had the server's 250 by then, so the mail would already be in the queue."""

from __future__ import annotations

import queue
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

WAIT = 20.0  # seconds a test waits for a mail that must come


class Inbox:
    """The server's handler: every accepted mail, parsed, in arrival order."""

    def __init__(self) -> None:
        self.mails: queue.Queue[EmailMessage] = queue.Queue()
        self.refuse = False  # answer 451 to every mail
        self.hold: threading.Event | None = None  # when set, wait for it before answering
        self.holding = threading.Event()  # set while a mail is being held

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 4.3.0 Try again later"
        mail = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        mail["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.mails.put(mail)
        if self.hold is not None:
            self.holding.set()
            while not self.hold.wait(0.05):  # the server's loop waits on the test
                pass
        return "250 2.0.0 OK"

    def next(self) -> EmailMessage:
        """The next mail; fails the test when none comes."""
        try:
            return self.mails.get(timeout=WAIT)
        except queue.Empty:
            raise AssertionError(f"no mail reached the SMTP server in {WAIT} s") from None

    def empty(self) -> bool:
        """Whether no mail is waiting."""
        return self.mails.empty()

    def drain(self) -> list[EmailMessage]:
        """Every mail waiting now."""
        out = []
        while not self.mails.empty():
            out.append(self.mails.get_nowait())
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, str]]:
    """An SMTP server on 127.0.0.1 and its URL, for the test's duration."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


def text_part(mail: EmailMessage) -> str:
    """The plain-text body."""
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def html_part(mail: EmailMessage) -> str:
    """The HTML body."""
    part = mail.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def link_in(mail: EmailMessage, path: str) -> str:
    """The first link to `path` (/alerts/confirm/, /alerts/unsubscribe/) in the text body."""
    found = re.search(rf"https?://\S+{re.escape(path)}\S+", text_part(mail))
    assert found, text_part(mail)
    return found.group(0)
