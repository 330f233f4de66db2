"""What the mail tests share: a real SMTP server (aiosmtpd) on a free port, the
mailer pointed at it, and waiting for a condition with a deadline."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from core.db import Database
from core.notify.mailer import SmtpMailer
from core.notify.runner import Notifier
from core.notify.settings import MailSettings
from core.settings import CoreSettings
from tests.support import SECRET, wait_for

PUBLIC_URL = "https://scontrini.example.it"
DEADLINE = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], Any], what: str, deadline: float = DEADLINE) -> Any:
    """:func:`tests.support.wait_for` with the mail tests' deadline."""
    return wait_for(check, what, deadline)


class Inbox:
    """The aiosmtpd handler: keeps every message it accepts; answers ``451`` to the
    next ``refuse`` ones first."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refuse = 0
        self.refuse_recipients = ""
        """When set, the reply to every ``RCPT TO`` (``550 ...``: no such user)."""
        self._lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        if self.refuse_recipients:
            return self.refuse_recipients
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.refuse:
                self.refuse -= 1
                return "451 4.3.0 Try again later"
            parsed = BytesParser(policy=policy.default).parsebytes(envelope.content)
            assert isinstance(parsed, EmailMessage)
            self.messages.append(parsed)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def count(self) -> int:
        with self._lock:
            return len(self.messages)


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def mail_settings(port: int) -> MailSettings:
    return MailSettings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="Portico "
                        "<negozi@portico.example>", smtp_timeout_seconds=5,
                        mail_poll_seconds=0.05, mail_retry_seconds=0.2)


def core_settings(url: str, var_dir: Path) -> CoreSettings:
    """The core's settings with a public address, so receipts have a link."""
    return CoreSettings(database_url=url, var_dir=var_dir, secret=SECRET, public_url=PUBLIC_URL)


def make_notifier(db: Database, settings: CoreSettings, port: int) -> Notifier:
    """A mailer as ``omnitill notify`` builds one; its first pass puts its cursor at
    the end of the log (what happens later is what it mails)."""
    mail = mail_settings(port)
    notifier = Notifier(db, core=settings, mail=mail, mailer=SmtpMailer(mail))
    notifier.plan_all()
    return notifier


@contextmanager
def running(notifier: Notifier) -> Iterator[None]:
    """The mailer's loop in a thread, as ``omnitill notify`` runs it."""
    stop = threading.Event()
    thread = threading.Thread(target=notifier.run, args=(stop,), name="notify")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(DEADLINE)
