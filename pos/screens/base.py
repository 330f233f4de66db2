"""What every till screen and dialog shares: the app, typed as the till's, the
status line, and the cashier's words in the till's language.

Textual types ``Screen.app`` as any ``App``; every till screen reads the till's
own state through it (the client, the signed-in staff, the printer), and
without this each of those reads needed a ``type: ignore`` that would also have
hidden a misspelt attribute. The narrowing is for the type checker only: Textual's
own ``getters.app`` descriptor type, declared, not assigned (a property would be
an override mypy refuses, and a real descriptor would import the app here and
refuse the test doubles that stand in for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import getters
from textual._context import NoActiveAppError
from textual.app import App
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Label

from pos.binding_words import speak_bindings

if TYPE_CHECKING:
    from pos.app import PosApp

ResultT = TypeVar("ResultT")

__all__ = ["StaffDialog", "StaffScreen", "StatusLine"]


class StatusLine:
    """The one line where a till screen or dialog says what happened, or what to
    fix: :meth:`say` writes it. A screen or dialog whose line is not ``#status``
    names its own in ``STATUS_LINE``."""

    STATUS_LINE: ClassVar[str] = "#status"

    def say(self, text: str, error: bool = False) -> None:
        """``error`` marks the line ``-error`` (the till's CSS shows it in red)."""
        assert isinstance(self, DOMNode)
        status = self.query_one(self.STATUS_LINE, Label)
        status.update(text)
        status.set_class(error, "-error")


def _speak_keys(screen: Screen[Any]) -> None:
    """The screen's key names in the till's language (see :mod:`pos.binding_words`);
    a screen made outside a running till (or under a test double without ``t``)
    keeps them in English."""
    try:
        app: App[object] = screen.app
    except NoActiveAppError:
        return
    t = getattr(app, "t", None)
    if callable(t):
        speak_bindings(screen, t)


class StaffScreen(StatusLine, Screen[ResultT]):
    """A full screen of the till."""

    if TYPE_CHECKING:
        app: getters.app[PosApp]

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name, id, classes)
        _speak_keys(self)

    def t(self, message: str, **values: object) -> str:
        """``message`` (English) in the till's language (``OMNITILL_TILL_LANGUAGE``)."""
        return self.app.t(message, **values)


class StaffDialog(StaffScreen[ResultT], ModalScreen[ResultT]):
    """A dialog over a till screen: a till screen made modal, so it has the till's
    typed app, key names and words without a second copy of them."""
