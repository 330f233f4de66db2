"""Everything the display says to the shopper, in one place so a translation is
one dict away; the till's staff never read these."""

from __future__ import annotations

__all__ = ["TEXTS", "say"]

TEXTS: dict[str, str] = {
    "welcome": "Welcome",
    "welcome_hint": "Your purchase will appear here as it is rung up.",
    "connecting": "Connecting to the till…",
    "not_registered": "This display is not registered with the store system.",
    "not_a_till": "This display needs its till's device token.",
    "your_purchase": "Your purchase",
    "item": "Item",
    "qty": "Qty",
    "price": "Price",
    "line_total": "Total",
    "discount": "  discount",
    "total": "Total",
    "hello": "Hello {name}",
    "earn": "You will earn {points} points",
    "balance": "Balance: {points} points",
    "paying": "Paid {paid} · Still due {due}",
    "thanks": "Thank you!",
    "paid_total": "Total paid {total}",
    "change": "Your change: {change}",
    "earned": "You earned {points} points",
    "scan": "Scan for your receipt",
}


def say(key: str, **values: object) -> str:
    """The text for ``key`` with its placeholders filled in."""
    return TEXTS[key].format(**values)
