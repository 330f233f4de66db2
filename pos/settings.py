"""Settings of one till (environment variables with the ``OMNITILL_`` prefix)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class PosSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OMNITILL_", extra="ignore",
                                      use_attribute_docstrings=True)

    core_url: str = "http://127.0.0.1:8700"
    """Where the commerce core answers."""

    device_token: str = ""
    """This till's device token (from `omnitill device add --kind pos`)."""

    printer: str = "none"
    """Receipt printer: `network:HOST:9100`, `usb:VID:PID`, `serial:/dev/ttyUSB0`,
    `file:/path` or `none`; add `,profile=NAME` for the paper width (`TM-T88V`, the
    default, 42 columns; `TM-T20II`, 48; `NT-5890K`, 58 mm, 32)."""

    fiscal_printer: str = ""
    """Fiscal printer (Italian RT) that prints every sale's documento commerciale:
    `http://HOST` for an Epson RT (Fiscal ePOS-Print XML), options after commas:
    `departments=2200:1/1000:2/400:3` (VAT rate in basis points to RT department),
    `timeout=20`, `serial=99MEY012345` (else asked of the RT). Empty: no RT, and the
    receipt printer's paper says it is not fiscal."""

    locale: str = "it_IT"
    """Locale for money on screen and on receipts."""

    till_language: Literal["it", "en", "es"] = "en"
    """Language of the till's screens, for the cashier (`it`, `en` or `es`)."""

    display_language: Literal["it", "en", "es"] = "en"
    """Language of the customer display, for the shopper (`it`, `en` or `es`)."""

    receipt_language: Literal["it", "en", "es"] = "it"
    """Language of printed receipts (sale, return, exchange); the words Italian law
    asks of them (P.IVA, DOCUMENTO NON FISCALE, IVA) stay in Italian."""

    keys: dict[str, str] = {}
    """Remapped bindings as JSON, binding id to key: `{"pay_cash": "f12"}`."""

    data_dir: Path | None = None
    """Folder of the till's own SQLite file (catalog copy and offline outbox). Empty
    means `var/pos-<device>/` for `omnitill pos` (a test or an app built without it
    has no offline mode)."""

    offline_card_limit_cents: int = 0
    """Card while offline (store-and-forward, where the terminal allows it), up to
    this amount per sale; 0 means card offline is off: cash only."""

    offline_card_daily_cents: int = 0
    """Card while offline, at most this much per day on this till."""

    offline_probe_seconds: float = 2.0
    """How often an offline till asks whether the core answers again (and replays)."""
