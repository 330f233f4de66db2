"""The kiosk: a self-service screen for shoppers, talking to the core over HTTP."""

__all__ = ["KioskApp", "KioskSettings", "make_kiosk", "run"]

from kiosk.app import KioskApp, make_kiosk, run
from kiosk.settings import KioskSettings
