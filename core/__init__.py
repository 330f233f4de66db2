"""The commerce core: one catalog, one stock, every order from every channel."""

__version__ = "0.1.0"
