"""The POS till: staff sell, print receipts and work click-and-collect."""

__all__ = ["PosApp", "PosSettings", "make_pos", "run"]

from pos.app import PosApp, make_pos, run
from pos.settings import PosSettings
