"""A line of text that is only there when it has something to say."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Label


def show_line(label: Label, text: str | Text) -> None:
    """Update ``label`` and hide it when empty, so blank lines never push the
    rest of the view around."""
    label.update(text)
    label.display = bool(text)
