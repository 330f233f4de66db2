"""Gift cards: random numbers with a Luhn check digit, a PIN for use without the
card, and balance checks under the lockout (per device and per card)."""

__all__: list[str] = []
