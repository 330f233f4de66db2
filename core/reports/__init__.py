"""The back office's reports: KPIs over orders, returns, pickups, stock and
loyalty, computed by the database (GROUP BY) so a year of a chain's history is
read in aggregates, never row by row."""

__all__: list[str] = []
