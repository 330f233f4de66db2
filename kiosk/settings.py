"""Settings of one kiosk (environment variables with the ``OMNITILL_`` prefix)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class KioskSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OMNITILL_", extra="ignore",
                                      use_attribute_docstrings=True)

    core_url: str = "http://127.0.0.1:8700"
    """Where the commerce core answers."""

    device_token: str = ""
    """This kiosk's device token (from `omnitill device add --kind kiosk`)."""

    language: Literal["it", "en", "es"] = "it"
    """Language the kiosk starts in (and returns to after a reset)."""

    idle_seconds: float = Field(default=60.0, gt=0)
    """Seconds without a touch or key before the kiosk asks "still there?"."""

    idle_confirm_seconds: float = Field(default=15.0, gt=0)
    """Seconds the "still there?" question waits before the kiosk resets."""

    high_contrast: bool = False
    """Start in the high-contrast theme (also switchable on screen)."""
