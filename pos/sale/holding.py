"""A sale that is not finished now: parked (and recalled), voided, left at a
sign-out, or found on the till again after a crash.

A basket is parked with the core, so any till of the store can recall it; a sale
whose payment started is money in the drawer and is never parked: it is paid or
voided (each tender handed back as it was paid).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.offline.sale import is_local
from pos.tenders.settle import payout
from shared.client import Api
from shared.errors import CommerceError
from shared.schemas.orders import Transition

if TYPE_CHECKING:
    from pos.screens.sell import SellScreen


async def recall_open_sale(till: SellScreen) -> None:
    """A sale whose payment started comes back on this till (after a sign-out, a
    crash or a restart) until it is paid or voided."""
    try:
        waiting = await till.app.client.call(Api.open_sales())
    except CommerceError:
        return  # nothing to show yet; the core keeps the sale either way
    if not waiting or till.busy():
        return
    till.order, till.cart = waiting[0], None
    money = till.app.money
    number, paid, due = till.order.number, money(till.order.paid_cents), money(
        till.order.due_cents)
    if len(waiting) > 1:
        till.say(till.t("Sale {number} was not finished: {paid} paid, {due} still due "
                        "({more} more after it). Take the rest, or Ctrl+N to void it and "
                        "hand the money back.", number=number, paid=paid, due=due,
                        more=len(waiting) - 1), error=True)
    else:
        till.say(till.t("Sale {number} was not finished: {paid} paid, {due} still due. "
                        "Take the rest, or Ctrl+N to void it and hand the money back.",
                        number=number, paid=paid, due=due), error=True)


async def park_or_recall(till: SellScreen) -> None:
    """F4: park the basket being rung up, or on an empty till pick a parked one."""
    from pos.dialogs.parked import ParkedDialog

    app = till.app
    client = app.client
    if till.cart and till.cart.lines and till.order is None:
        await client.call(Api.park_cart(till.cart.id))
        till.new_sale()
        till.say(till.t("Sale parked. F4 on an empty till recalls it."))
        return
    if till.cart and till.cart.lines:
        till.say(till.t("Payment has started; finish this sale first."), error=True)
        return
    carts = await client.call(Api.parked_carts())
    if not carts:
        till.say(till.t("No parked sales."))
        return
    chosen = await app.push_screen_wait(ParkedDialog(carts, app.money))
    if chosen is None:
        return
    till.new_sale()
    till.cart = await client.call(Api.recall_cart(chosen.id))
    if till.cart.customer_id:
        till.customer = await client.call(Api.customer(till.cart.customer_id))
    till.say(till.t("Parked sale recalled."))


async def void(till: SellScreen) -> None:
    """Ctrl+N: cancel the sale on the till, after the cashier confirms; its stock
    goes back, and what was already paid goes back tender by tender."""
    from pos.dialogs.confirm import ConfirmDialog

    app = till.app
    money = app.money
    if not till.busy():
        till.say(till.t("Nothing to void."))
        return
    paid = till.order.paid_cents if till.order is not None else 0
    question = (till.t("Void this sale? Its lines are cleared and the stock goes back.")
                if not paid else till.t(
                    "Void this sale? {amount} already paid goes back to the customer, each "
                    "tender as it was paid.", amount=money(paid)))
    if not await app.push_screen_wait(ConfirmDialog(question, till.t("Void"))):
        return
    try:
        if till.order is not None:
            cancelled = await app.client.call(Api.transition(
                till.order.number, Transition(to="cancelled", note="voided at the till")))
        else:
            assert till.cart is not None
            if not is_local(till.cart):  # an offline sale lives on this till alone
                await app.client.call(Api.abandon_cart(till.cart.id))
            cancelled = None
    except CommerceError as error:
        till.say(app.explain(error), error=True)
        return
    till.new_sale()
    till.say(till.t("Sale voided.") + (payout(till, cancelled) if cancelled else ""))


async def put_aside(till: SellScreen) -> bool:
    """Park an unpaid basket before the cashier leaves; a sale whose payment
    started stays with the core and comes back at the next sign-in."""
    if till.cart and till.cart.lines and till.order is None:
        try:
            await till.app.client.call(Api.park_cart(till.cart.id, "left at sign-out"))
        except CommerceError as error:
            till.say(till.app.explain(error), error=True)
            return False
    return True


async def sign_out(till: SellScreen) -> None:
    """F10: a part-paid sale must be finished first; an unpaid one is parked for the
    next cashier, once the cashier confirms."""
    from pos.dialogs.confirm import ConfirmDialog

    if till.order is not None and till.order.paid_cents:
        till.say(till.t("Part is paid: take the rest or void it (the money goes back) "
                        "before signing out."), error=True)
        return
    if till.busy() and not await till.app.push_screen_wait(ConfirmDialog(
            till.t("Sign out? The sale on the till stays parked for the next cashier."),
            till.t("Park and sign out"))):
        return
    if await put_aside(till):
        till.app.sign_out()
