"""Taking a payment for the sale on the till, and what follows it: the sale is
placed with the core on its first payment (one idempotency key per sale, so a
retry never sells twice), each payment is recorded whatever its outcome, a sale
stays part-paid until the rest is taken, and a completed one is printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.sale_receipt import offer_receipt
from shared.client import Api
from shared.errors import CommerceError, Unavailable
from shared.i18n import N_
from shared.schemas.orders import OrderCreate, OrderOut, PaymentIn

if TYPE_CHECKING:
    from pos.screens.sell import SellScreen

TENDER_NAMES = {"card": N_("Card"), "gift_card": N_("Gift card"),
                "store_credit": N_("Store credit"), "loyalty_points": N_("Points")}
"""Said in the till's language where they are said."""

SAVED = N_("The sale {} is saved.")
"""How a printer-fault notice starts: the money is recorded either way."""


def due_now(till: SellScreen) -> int | None:
    """What is left to pay: the basket's total, or what a part-paid sale still owes;
    None (and the cashier told) when there is nothing to pay for."""
    if till.order is not None:
        return till.order.due_cents
    if not till.cart or not till.cart.lines:
        till.say(till.t("Scan something first."), error=True)
        return None
    return till.cart.total_cents


async def take_payment(till: SellScreen, payment: PaymentIn) -> None:
    client = till.app.client
    if till.offline_now():
        await till.pay_offline(payment)
        till.render_sale()
        return
    try:
        if till.order is None:
            assert till.cart is not None
            till.order = await client.call(Api.place_order(OrderCreate(
                cart_id=till.cart.id,
                customer_id=till.customer.id if till.customer else None), till.key))
        till.order = await client.call(Api.pay(till.order.number, payment))
    except CommerceError as error:
        if isinstance(error, Unavailable) and till.order is None and till.go_offline():
            await till.pay_offline(payment)  # same key: a sale the core did get is one
        else:
            till.say(till.app.explain(error), error=True)
        till.render_sale()
        return
    last = till.order.payments[-1]
    if payment.tender == "cash" and last.status == "approved":
        await till.kick_drawer()
    if last.status != "approved":
        till.say(f"{last.status.upper()}: {last.message}", error=True)
    elif till.order.status == "completed":
        await finish(till, till.order)
        return
    else:
        till.say(till.t("Paid {amount}; {due} still due",
                        amount=till.app.money(last.amount_cents),
                        due=till.app.money(till.order.due_cents)))
    till.render_sale()


async def finish(till: SellScreen, order: OrderOut) -> None:
    """The till is cleared for the next customer before the receipt question."""
    app = till.app
    done = till.t("Sale {number} completed — change {change}", number=order.number,
                  change=app.money(order.change_cents)) if order.change_cents else till.t(
        "Sale {number} completed", number=order.number)
    till.new_sale()
    till.say(done + ".")
    outcome = await offer_receipt(app, order, done, till.t(SAVED))
    till.say(f"{done}. {outcome}")


def payout(till: SellScreen, order: OrderOut) -> str:
    """What the cashier hands back of a voided part-paid sale, per tender; cash
    opens the drawer."""
    money = till.app.money
    back: dict[str, int] = {}
    for payment in order.payments:
        if payment.refunded_cents:
            back[payment.tender] = back.get(payment.tender, 0) + payment.refunded_cents
    if back.get("cash"):
        till.run_worker(till.kick_drawer(), group="drawer")
    t = till.t
    parts = [t("Cash to hand back {amount}", amount=money(cents)) if tender == "cash"
             else t("{tender} refunded {amount}", tender=t(TENDER_NAMES.get(tender, tender)),
                    amount=money(cents))
             for tender, cents in back.items()]
    return (" " + " · ".join(parts) + ".") if parts else ""
