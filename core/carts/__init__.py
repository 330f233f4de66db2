"""carts domain of the core."""
