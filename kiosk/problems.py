"""The core's refusals in the shopper's words: the kiosk speaks from a problem's
``code`` and ``context`` (in the language on screen, with store names, not
codes), and falls back to the core's own sentence only for a refusal it does
not know. "Only 1 of Moka Pot 6 Cups available at MI01" becomes "Solo queda 1
en Portico Milano Duomo"."""

from __future__ import annotations

from collections.abc import Callable

from shared.errors import CommerceError, TooManyAttempts, Unavailable
from shared.i18n import N_

UNKNOWN_CODE = N_("We don't recognise this code. Please ask a member of staff.")
"""What a shopper reads of a code the kiosk cannot use."""

SAME_AS_UNKNOWN_SCAN = {"unknown_code", "unsupported_code", "product_not_found",
                        "invalid_barcode"}
"""Refusals a shopper can only read as "we don't recognise this code"."""

BY_CODE = {
    "name_mismatch": N_("The surname does not match this order: check it, or show your pickup "
                        "code."),
    "invalid_code": N_("We could not find an order with that code, or that number and surname."),
    "not_pickup": N_("This order is not one to collect in a store."),
    "final_sale": N_("This product is a final sale: it cannot be returned."),
    "return_window_passed": N_("The time to return this purchase has ended."),
    "not_returnable": N_("Nothing from this order can be returned yet: please ask a member of "
                         "staff."),
    "product_inactive": N_("This product is no longer sold."),
    "cart_empty": N_("Your basket is empty."),
    "order_not_found": N_("We could not find that order."),
    "not_your_order": N_("This order cannot be shown here: please ask a member of staff."),
}
"""Refusals said with a sentence of their own, without context."""


def explain(error: CommerceError, t: Callable[..., str],
            store_name: Callable[[str], str]) -> str:
    """One sentence for the shopper about ``error``."""
    context = error.context
    if isinstance(error, Unavailable):
        return t("The store system is not answering. Please try again in a moment.")
    if error.code == "target_locked":
        return t("Too many wrong tries for this card or order: please ask a member of staff.")
    if isinstance(error, TooManyAttempts) or error.code == "device_locked":
        return t("Too many wrong tries from this kiosk: please ask a member of staff. Scanning "
                 "products still works.")
    if error.code == "out_of_stock":
        location = str(context.get("location") or "")
        if not location:
            return t("None can be sent from anywhere right now.")
        available = int(context.get("available") or 0)
        if available == 1:
            return t("Only 1 left at {store}.", store=store_name(location))
        if available > 0:
            return t("Only {available} left at {store}.", available=available,
                     store=store_name(location))
        return t("None left at {store} right now.", store=store_name(location))
    if error.code == "more_than_bought":
        return t("Only {returnable} can still be returned: the rest is already returned or "
                 "being returned.", returnable=int(context.get("returnable") or 0))
    if error.code in SAME_AS_UNKNOWN_SCAN:
        return t(UNKNOWN_CODE)
    if error.code in BY_CODE:
        return t(BY_CODE[error.code])
    return str(error)
