"""payments domain of the core."""
