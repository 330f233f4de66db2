"""The end of any sale at the till, said once: the customer chooses the receipt
(print, digital, email or none), and a printed one shows on screen too.

Used by the sale screen and by the pickup counter (a pickup paid at the till is
a sale), so both print, email and report a printer fault the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pos.fiscal import issue_sale_document, printed_on_rt
from pos.messages import Problem
from pos.printing import copy_time, print_document
from shared.client import Api
from shared.errors import CommerceError
from shared.receipt import print_receipt, receipt_lines
from shared.schemas.orders import OrderOut

__all__ = ["offer_receipt", "print_order", "reprint_last"]


async def print_order(app: Any, order: OrderOut, saved: str) -> tuple[bool, str]:
    """Print the order's receipt (a copy when it already came out once) and show
    it on screen; returns ``(printed, what to tell the cashier)``. A printer fault
    is also raised as a notice that starts with ``saved`` (formatted with the order
    number): the money is recorded whatever the paper does."""
    from pos.dialogs.receipt import ReceiptDialog

    copy_at = copy_time(app, order.number)
    settings = app.settings
    language = settings.receipt_language
    lines = receipt_lines(order, app.store, locale=settings.locale, language=language,
                          points_balance=order.points_balance, copy_at=copy_at)
    printed, outcome = await print_document(app, lines, lambda printer: print_receipt(
        printer, order, app.store, locale=settings.locale, language=language,
        points_balance=order.points_balance, open_drawer=False, copy_at=copy_at),
        document=order.number)
    if not printed and "configured" not in outcome:
        app.post_message(Problem(f"{saved.format(order.number)} {outcome}"))
    app.push_screen(ReceiptDialog(lines, outcome))
    return printed, outcome


async def reprint_last(app: Any, saved: str) -> tuple[bool, str]:
    """F8: the last receipt again (marked as a copy); ``(found, sentence)``. With a
    fiscal printer, a sale it has not printed yet (it was out of paper) is printed
    there now; one it has printed gets a courtesy copy, never a second document."""
    order = app.last_order
    if order is None:
        nothing: str = app.t("No receipt to reprint yet.")
        return False, nothing
    if app.fiscal_printer is not None and order.fiscal_document is None:
        printed_before = printed_on_rt(app, order)
        app.last_order, fiscal = await issue_sale_document(app, order, saved)
        if fiscal and not printed_before:
            return True, fiscal  # printed now, or said why not
        order = app.last_order
    _, outcome = await print_order(app, order, saved)
    return True, outcome


async def offer_receipt(app: Any, order: OrderOut, headline: str, saved: str) -> str:
    """Ask how the customer wants the receipt and deliver it; returns the sentence
    for the cashier. Must run in a worker: it waits for the customer's answer."""
    from pos.dialogs.receipt_choice import ReceiptChoiceDialog

    t: Callable[..., str] = app.t  # the cashier's words (OMNITILL_TILL_LANGUAGE)
    order, fiscal = await issue_sale_document(app, order, saved)
    app.last_order = order
    choice, email = await app.push_screen_wait(ReceiptChoiceDialog(
        headline, email=order.contact_email))
    if choice == "print":
        if fiscal is not None:  # the fiscal printer's paper is the receipt
            return fiscal
        return (await print_order(app, order, saved))[1]
    if fiscal is not None:
        app.notify(fiscal)
    if choice == "email":
        try:
            await app.client.call(Api.receipt_email(order.number, email))
        except CommerceError as error:
            return t("No email: {why} F8 prints it.", why=app.explain(error))
        return t("Receipt will be emailed to {email}.", email=email)
    if choice == "digital":
        return t("Digital receipt: the customer scans the QR on their display.")
    return t("No receipt. F8 prints it if they change their mind.")
