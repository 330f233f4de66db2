"""ERP imports: catalog, prices, stock and customers from a CSV or JSON file, every
row checked before anything is written, all rows in one transaction or none
(:mod:`core.imports.service`)."""

__all__: list[str] = []
