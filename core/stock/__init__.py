"""stock domain of the core."""
