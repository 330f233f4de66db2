"""Till dialogs."""

__all__: list[str] = []
