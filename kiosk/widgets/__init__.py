"""Kiosk widgets."""

__all__: list[str] = []
