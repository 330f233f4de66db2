"""Names and emails as a shopper-facing screen may show them: enough for a
shopper to recognise their own order (``Giulia R.``), no more. One rule for the
core's kiosk views and for the customer display."""

from __future__ import annotations

__all__ = ["mask_email", "mask_full_name", "mask_name"]


def mask_name(first: str | None, last: str | None) -> str | None:
    if not first and not last:
        return None
    if not last:
        return first
    return f"{first or ''} {last[:1]}.".strip()


def mask_full_name(name: str | None) -> str | None:
    """``Giulia Rossi`` → ``Giulia R.``: the first and the last word."""
    words = (name or "").split()
    if not words:
        return None
    return mask_name(words[0], words[-1] if len(words) > 1 else None)


def mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    name, domain = email.split("@", 1)
    return f"{name[:1]}***@{domain}"
