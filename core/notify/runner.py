"""The mailer's loop: plan mails from new events, send those due, wait, again.

A mail is claimed before it is sent (``sending``, with a lease), sent outside any
transaction (a slow mail server holds no lock), then recorded ``sent``; a
temporary refusal puts it back ``pending`` for later, doubling the wait each time
(up to an hour) until ``mail_give_up_hours`` have passed. A mailer that dies
mid-send leaves the claim; when its lease runs out the mail is tried again with
the same ``Message-ID``. So a mail is sent once, except after a crash in the
instant between the server's acceptance and our record of it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import or_, select

from core.db import Database
from core.notify.compose import Gone, compose
from core.notify.mailer import MailRefused, MailTryLater
from core.notify.models import MailDelivery
from core.notify.planner import BATCH, plan
from core.notify.settings import MailSettings
from core.settings import CoreSettings
from core.timeutil import utcnow

__all__ = ["Mailer", "Notifier", "Round"]

log = logging.getLogger("omnitill.notify")

MAX_RETRY_SECONDS = 3600.0
SEND_BATCH = 50


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


@dataclass
class Round:
    """What one pass did (the CLI prints it; tests wait on it)."""

    planned: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


class Notifier:
    """Follows the core's event log and mails customers (see :mod:`core.notify`)."""

    def __init__(self, db: Database, *, core: CoreSettings, mail: MailSettings,
                 mailer: Mailer) -> None:
        self.db, self.core, self.mail, self.mailer = db, core, mail, mailer
        self.lease = timedelta(seconds=max(60.0, 10 * mail.smtp_timeout_seconds))

    def plan_all(self) -> int:
        total = 0
        while True:
            with self.db.write() as session:
                read = plan(session, self.db.writer_engine,
                            default_language=self.mail.mail_default_language)
            total += read
            if read < BATCH:
                return total

    def _due(self) -> list[int]:
        now = utcnow()
        with self.db.read() as session:
            return list(session.scalars(
                select(MailDelivery.id)
                .where(or_(MailDelivery.status == "pending", MailDelivery.status == "sending"),
                       MailDelivery.next_attempt_at <= now)
                .order_by(MailDelivery.id).limit(SEND_BATCH)))

    def _claim(self, delivery_id: int, done: Round) -> tuple[EmailMessage, int] | None:
        """Take the mail for sending and build it, or settle it without sending."""
        now = utcnow()
        with self.db.write() as session:
            row = session.get(MailDelivery, delivery_id, with_for_update=True)
            if row is None or row.status not in ("pending", "sending") \
                    or row.next_attempt_at > now:
                return None  # another mailer took it meanwhile
            if not row.to_address:  # the customer was erased after it was planned
                row.status, row.error = "skipped", "the address was erased"
                done.skipped += 1
                return None
            try:
                message = compose(session, row, settings=self.core, sender=self.mail.smtp_from)
            except Gone as exc:
                row.status, row.error = "skipped", str(exc)[:300]
                done.skipped += 1
                return None
            row.status, row.attempts = "sending", row.attempts + 1
            row.next_attempt_at = now + self.lease
            return message, row.attempts

    def _record(self, delivery_id: int, attempt: int, error: Exception | None,
                permanent: bool, done: Round) -> None:
        now = utcnow()
        with self.db.write() as session:
            row = session.get(MailDelivery, delivery_id, with_for_update=True)
            if row is None or row.status != "sending" or row.attempts != attempt:
                return  # our lease ran out and another attempt took over
            if error is None:
                row.status, row.sent_at, row.error = "sent", now, ""
                done.sent += 1
                return
            row.error = str(error)[:300]
            overdue = now - row.created_at > timedelta(hours=self.mail.mail_give_up_hours)
            if permanent or overdue:
                row.status = "failed"
                done.failed += 1
                return
            wait = min(MAX_RETRY_SECONDS, self.mail.mail_retry_seconds * 2 ** (attempt - 1))
            row.status, row.next_attempt_at = "pending", now + timedelta(seconds=wait)
            done.retrying += 1

    def send_due(self, done: Round) -> None:
        """Send every mail due now, a batch at a time."""
        while True:
            due = self._due()
            for delivery_id in due:
                self._send(delivery_id, done)
            if len(due) < SEND_BATCH:
                return

    def _send(self, delivery_id: int, done: Round) -> None:
        claimed = self._claim(delivery_id, done)
        if claimed is None:
            return
        message, attempt = claimed
        error: Exception | None = None
        permanent = False
        try:
            self.mailer.send(message)
        except MailRefused as exc:
            error, permanent = exc, True
        except MailTryLater as exc:
            error = exc
        if error is not None:
            log.warning("mail %s not sent (%s): %s", delivery_id,
                        "refused" if permanent else "will retry", error)
            done.errors.append(str(error))
        self._record(delivery_id, attempt, error, permanent, done)

    def run_once(self) -> Round:
        """Plan every new event's mail and send every mail due now."""
        done = Round(planned=self.plan_all())
        self.send_due(done)
        return done

    def run(self, stop: threading.Event) -> None:
        """Until ``stop`` is set: a pass every ``mail_poll_seconds``. A pass that
        fails (the database is away) is logged and tried again at the next."""
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("mail pass failed; trying again")
            stop.wait(self.mail.mail_poll_seconds)
