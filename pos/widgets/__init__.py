"""Widgets of the till that more than one screen uses."""

from pos.widgets.scan_field import ScanField

__all__ = ["ScanField"]
