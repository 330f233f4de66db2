"""customers domain of the core."""
