"""The display's screens, one per file."""

__all__ = ["CustomerScreen"]

from pos.display.screens.customer import CustomerScreen
