"""auth domain of the core."""
