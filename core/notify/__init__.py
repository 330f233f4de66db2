"""Customer mail: ``omnitill notify`` follows the core's event log and mails the
e-receipt, "your order is ready for pickup" and "your return is refunded"."""

__all__: list[str] = []
