"""What tests share besides fixtures: the seeded-database record and settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.settings import CoreSettings

SECRET = "test-secret-" + "x" * 40


@dataclass
class Seeded:
    """A seeded database (or a copy of one) and the device tokens its seeding printed."""

    url: str
    tokens: dict[str, dict[str, str]]


def make_settings(url: str, var_dir: Path) -> CoreSettings:
    return CoreSettings(database_url=url, var_dir=var_dir, secret=SECRET)
