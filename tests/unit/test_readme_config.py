"""The README's configuration table documents every setting of every process."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()

SETTINGS = [
    ("core.settings", "CoreSettings"),
    ("kiosk.settings", "KioskSettings"),
    ("pos.settings", "PosSettings"),
    ("core.notify.settings", "MailSettings"),
]


@pytest.mark.parametrize(("module", "name"), SETTINGS)
def test_every_setting_is_in_the_readme(module: str, name: str) -> None:
    cls: type[BaseSettings] = getattr(importlib.import_module(module), name)
    prefix = cls.model_config.get("env_prefix", "")
    missing = [f"{prefix}{field}".upper() for field in cls.model_fields
               if f"`{prefix}{field}`".upper() not in README.upper()]
    assert not missing, f"README lacks: {missing}"
