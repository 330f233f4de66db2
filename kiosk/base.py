"""What every kiosk screen, dialog and widget shares: the app as the kiosk it is
(typed, so a screen's use of the basket or the client is checked) and the
shopper's words in the language on screen now (it changes per shopper)."""

from __future__ import annotations

from typing import TypeVar

from textual import getters
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen

from kiosk.app import KioskApp

__all__ = ["KioskHorizontal", "KioskModal", "KioskScreen", "KioskVertical"]

ResultT = TypeVar("ResultT")


class KioskScreen(Screen[ResultT]):
    """A kiosk screen."""

    app = getters.app(KioskApp)

    def t(self, message: str, **values: object) -> str:
        """``message`` (English) in the shopper's language."""
        return self.app.t(message, **values)


class KioskModal(ModalScreen[ResultT]):
    """A kiosk dialog over a screen."""

    app = getters.app(KioskApp)

    def t(self, message: str, **values: object) -> str:
        return self.app.t(message, **values)


class KioskHorizontal(Horizontal):
    """A row of a kiosk screen (the navigation bar)."""

    app = getters.app(KioskApp)


class KioskVertical(Vertical):
    """A column of a kiosk screen (the variant picker)."""

    app = getters.app(KioskApp)
