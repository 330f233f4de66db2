"""stores domain of the core."""
