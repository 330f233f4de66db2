"""A Markdown table of a settings class, for the README (``omnitill settings``).

The README's configuration tables are this function's output, and a test holds
them to it, so a new setting cannot ship undocumented and a default shown to an
operator is the default the code uses.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from pydantic_settings import BaseSettings

__all__ = ["settings_table", "shown_default"]


def shown_default(value: Any) -> str:
    """The default as an operator would type it into the environment."""
    if value is None:
        return "(empty)"
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and not value:
        return "(empty)"
    return str(value)


def settings_table(*classes: type[BaseSettings]) -> str:
    rows = ["| variable | default | what it does |", "| --- | --- | --- |"]
    for cls in classes:
        prefix = str(cls.model_config.get("env_prefix", ""))
        for name, field in cls.model_fields.items():
            default = ("(required)" if field.is_required()
                       else shown_default(field.get_default(call_default_factory=True)))
            description = " ".join((field.description or "").split())
            rows.append(f"| `{(prefix + name).upper()}` | `{default}` | {description} |")
    return "\n".join(rows)
