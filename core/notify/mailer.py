"""Handing one message to the mail server, with ``smtplib``, and telling a refusal
that may pass (try again later) from one that will not.

Temporary: the server is down or unreachable, timed out, answered 4xx, or refused
our sign-in or TLS (the operator fixes the configuration; the mail must still go).
Permanent: a 5xx about the recipient or the message (an address that does not
exist will not exist tomorrow either).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from core.notify.settings import MailSettings

__all__ = ["MailRefused", "MailTryLater", "SmtpMailer"]


class MailTryLater(Exception):
    """The mail was not accepted now; it may be tomorrow."""


class MailRefused(Exception):
    """The server refused the mail for good."""


def _code_error(code: int, detail: str) -> Exception:
    return (MailTryLater if 400 <= code < 500 else MailRefused)(f"{code} {detail}"[:300])


class SmtpMailer:
    """Sends each message over its own connection: transactional mail is a few a
    minute per store, and a connection per message never holds a stale one."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._tls: ssl.SSLContext | None = None

    def _context(self) -> ssl.SSLContext:
        """Made once: loading the system's certificates took 90 ms, per mail."""
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp: smtplib.SMTP
        if s.smtp_tls == "ssl":
            smtp = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds,
                                    context=self._context())
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        try:
            if s.smtp_tls == "starttls":
                smtp.starttls(context=self._context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.resolved_smtp_password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Deliver to the server or raise :class:`MailTryLater` / :class:`MailRefused`."""
        try:
            with self._connect() as smtp:
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, detail = next(iter(exc.recipients.values()))
            raise _code_error(code, detail.decode(errors="replace")) from exc
        except (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError,
                smtplib.SMTPHeloError) as exc:
            raise MailTryLater(f"the mail server refused us: {exc}"[:300]) from exc
        except smtplib.SMTPResponseException as exc:  # sender or data refused
            raw: bytes | str = exc.smtp_error
            raise _code_error(exc.smtp_code, raw.decode(errors="replace") if isinstance(
                raw, bytes) else raw) from exc
        except (OSError, smtplib.SMTPException) as exc:  # down, unreachable, timed out, TLS
            raise MailTryLater(f"mail server unreachable: {exc!r}"[:300]) from exc
        if refused:  # one recipient per message: cannot be partial, but say so if it is
            code, detail = next(iter(refused.values()))
            raise _code_error(code, detail.decode(errors="replace"))
