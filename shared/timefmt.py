"""Durations for people: how long an order has waited."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["age"]


def age(since: datetime, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    seconds = max(0, int((now - (since if since.tzinfo else since.replace(tzinfo=UTC)))
                         .total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"
    return f"{seconds // 86400} d"
