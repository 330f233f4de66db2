"""The README's configuration tables are what the settings classes say."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.notify.settings import MailSettings
from core.settings import CoreSettings
from kiosk.settings import KioskSettings
from pos.settings import PosSettings
from shared.settings_doc import settings_table

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("settings_class", [CoreSettings, PosSettings, KioskSettings,
                                            MailSettings],
                         ids=lambda cls: cls.__name__)
def test_the_readme_holds_each_settings_table_verbatim(settings_class: type[BaseSettings]) -> None:
    table = settings_table(settings_class)
    assert table in README.read_text(encoding="utf-8"), (
        f"README's table for {settings_class.__name__} is out of date; it should read:\n{table}")


def test_defaults_are_shown_as_an_operator_types_them() -> None:
    class Example(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="X_", use_attribute_docstrings=True)
        by_kind: dict[str, int] = Field(default_factory=lambda: {"franchise": 14})
        """Per kind."""
        folder: Path = Path("var")
        """Where."""
        name: str = ""
        """Who."""
        flag: bool = False
        """Whether."""

    table = settings_table(Example)
    assert '| `X_BY_KIND` | `{"franchise": 14}` | Per kind. |' in table
    assert "| `X_FOLDER` | `var` | Where. |" in table
    assert "| `X_NAME` | `(empty)` | Who. |" in table
    assert "| `X_FLAG` | `false` | Whether. |" in table
    assert "PydanticUndefined" not in table
