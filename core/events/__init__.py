"""events domain of the core."""
