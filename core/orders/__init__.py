"""orders domain of the core."""
