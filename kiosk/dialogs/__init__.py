"""Kiosk dialogs."""

__all__: list[str] = []
