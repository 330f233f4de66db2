"""Settings of one till (environment variables with the ``OMNITILL_`` prefix)."""

from __future__ import annotations

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
    `file:/path` or `none`."""

    locale: str = "it_IT"
    """Locale for money on screen and on receipts."""

    keys: dict[str, str] = {}
    """Remapped bindings as JSON, binding id to key: `{"pay_cash": "f12"}`."""
