"""The ``omnitill`` command: serve the core, manage it, start the apps."""

__all__: list[str] = []
