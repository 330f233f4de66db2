"""Demo data: the Portico chain, deterministic for a seed, and how it is loaded."""

__all__: list[str] = []
