"""Loyalty: a points ledger per customer, tiers from 12-month spend."""
