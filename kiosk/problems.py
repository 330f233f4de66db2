"""The core's refusals in the shopper's words: the kiosk speaks from a problem's
``code`` and ``context`` (in the language on screen, with store names, not
codes), and falls back to the core's own sentence only for a refusal it does
not know. "Only 1 of Moka Pot 6 Cups available at MI01" becomes "Solo queda 1
en Portico Milano Duomo"."""

from __future__ import annotations

from collections.abc import Callable

from shared.errors import CommerceError, TooManyAttempts, Unavailable

SAME_AS_UNKNOWN_SCAN = {"unknown_code", "unsupported_code", "product_not_found",
                        "invalid_barcode"}
"""Refusals a shopper can only read as "we don't recognise this code"."""

BY_CODE = {"name_mismatch", "invalid_code", "not_pickup", "final_sale",
           "return_window_passed", "not_returnable", "product_inactive", "cart_empty",
           "order_not_found", "not_your_order"}
"""Refusals said with a sentence of their own, without context."""


def explain(error: CommerceError, t: Callable[..., str],
            store_name: Callable[[str], str]) -> str:
    """One sentence for the shopper about ``error``."""
    context = error.context
    if isinstance(error, Unavailable):
        return t("error.offline")
    if error.code == "target_locked":
        return t("error.target_locked")
    if isinstance(error, TooManyAttempts) or error.code == "device_locked":
        return t("error.locked")
    if error.code == "out_of_stock":
        location = str(context.get("location") or "")
        if not location:
            return t("problem.nowhere")
        available = int(context.get("available") or 0)
        if available == 1:
            return t("problem.only_one_left", store=store_name(location))
        if available > 0:
            return t("problem.only_left", available=available, store=store_name(location))
        return t("problem.none_left", store=store_name(location))
    if error.code == "more_than_bought":
        return t("problem.more_than_bought", returnable=int(context.get("returnable") or 0))
    if error.code in SAME_AS_UNKNOWN_SCAN:
        return t("scan.unknown")
    if error.code in BY_CODE:
        return t(f"problem.{error.code}")
    return str(error)
