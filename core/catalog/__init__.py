"""catalog domain of the core."""
