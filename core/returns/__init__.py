"""Returns and refunds: any channel's order, back at any store."""
