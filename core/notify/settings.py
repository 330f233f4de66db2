"""Settings of the mailer process (``omnitill notify``).

It also reads the core's own settings (``OMNITILL_DATABASE_URL``, ``OMNITILL_SECRET``,
``OMNITILL_PUBLIC_URL``): it works on the core's database and signs the same codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["MailSettings"]


class MailSettings(BaseSettings):
    """How ``omnitill notify`` reaches the mail server, and how patiently."""

    model_config = SettingsConfigDict(
        env_prefix="OMNITILL_", extra="ignore", use_attribute_docstrings=True
    )

    smtp_host: str = "localhost"
    """The mail server (SMTP) that relays the chain's mail."""

    smtp_port: int = Field(default=25, ge=1, le=65535)
    """Its port: 25 for a local relay, 587 with ``starttls``, 465 with ``ssl``."""

    smtp_tls: Literal["none", "starttls", "ssl"] = "none"
    """``none`` (a relay on this machine or network), ``starttls`` (plain connection
    upgraded to TLS before signing in) or ``ssl`` (TLS from the first byte)."""

    smtp_user: str = ""
    """User to sign in as; empty: no sign-in."""

    smtp_password: str = ""
    """Password of ``OMNITILL_SMTP_USER``."""

    smtp_password_file: Path | None = None
    """A file (mode 0600) holding the password instead of ``OMNITILL_SMTP_PASSWORD``:
    the environment of a process is readable by any process of its user."""

    smtp_from: str = "Omnitill <noreply@localhost>"
    """Sender of every mail (``Portico <negozi@portico.example>``)."""

    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    """How long to wait for the mail server before counting the attempt as failed."""

    mail_poll_seconds: float = Field(default=2.0, gt=0)
    """How often the mailer reads new events and looks for mail due for a retry."""

    mail_retry_seconds: float = Field(default=60.0, gt=0)
    """Wait before the first retry of a mail the server refused for now (or while it
    is down); each later retry waits twice as long, up to an hour."""

    mail_give_up_hours: float = Field(default=72.0, gt=0)
    """A mail still not accepted this long after it was due is marked ``failed``."""

    mail_default_language: Literal["it", "en", "es"] = "it"
    """Language of the mails to a customer without one of their own, and to a guest."""

    @property
    def resolved_smtp_password(self) -> str:
        if self.smtp_password_file is not None:
            return self.smtp_password_file.read_text(encoding="utf-8").strip()
        return self.smtp_password
