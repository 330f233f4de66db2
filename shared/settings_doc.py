"""A Markdown table of a settings class, for the README (``omnitill settings``)."""

from __future__ import annotations

from pydantic_settings import BaseSettings

__all__ = ["settings_table"]


def settings_table(*classes: type[BaseSettings]) -> str:
    rows = ["| variable | default | what it does |", "| --- | --- | --- |"]
    for cls in classes:
        prefix = str(cls.model_config.get("env_prefix", ""))
        for name, field in cls.model_fields.items():
            default = "" if field.is_required() else repr(field.default)
            description = " ".join((field.description or "").split())
            rows.append(f"| `{(prefix + name).upper()}` | `{default}` | {description} |")
    return "\n".join(rows)
