"""What the display mirrors: which of the store's events concern this till's
shopper, and the sale reduced to what the shopper is shown.

Plain functions without Textual or I/O, so the rules are tested on their own
and the screen only decides how things look.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.masking import mask_full_name as masked
from shared.schemas.enums import CartStatus, OrderStatus
from shared.schemas.orders import CartOut, EventOut, OrderOut

__all__ = [
    "EVENT_TYPES",
    "GoIdle",
    "Sale",
    "SaleLine",
    "ShowCart",
    "ShowOrder",
    "Step",
    "cart_shows_sale",
    "is_settled",
    "masked",
    "sale_of_cart",
    "sale_of_order",
    "step_for",
]

EVENT_TYPES = "cart.,order.,payment."
"""Prefixes the display follows; everything else in the store is none of its business."""


@dataclass(frozen=True, slots=True)
class ShowCart:
    """The till's basket changed: fetch it and show it."""

    cart_id: str


@dataclass(frozen=True, slots=True)
class ShowOrder:
    """The till's sale became an order, or a payment was taken on it."""

    number: str
    cart_id: str | None


@dataclass(frozen=True, slots=True)
class GoIdle:
    """The sale on show left this till (parked, expired, recalled elsewhere)."""


Step = ShowCart | ShowOrder | GoIdle


def step_for(event: EventOut, *, device_id: int, cart_id: str | None,
             order: str | None = None) -> Step | None:
    """What ``event`` means for the display of till ``device_id`` now showing
    basket ``cart_id`` or order ``order``; ``None`` for another device's business.

    Every till, kiosk and web pickup of the store shares one stream, so events
    are matched on the device. An order's later life (picked, shipped, collected
    days after the till sold it) still names the till that created it; only
    the order on show follows it, so an old sale never pops up in front of the
    next shopper.
    """
    payload = event.payload
    ours = payload.get("device_id") == device_id
    if event.type == "cart.updated":
        changed = payload.get("cart_id")
        if ours and isinstance(changed, str):
            return ShowCart(changed)
        # Recalled at another till: that till's display takes it over.
        return GoIdle() if cart_id is not None and changed == cart_id else None
    if event.type.startswith("cart."):
        # Parked, expired, handed off: these carry no device, only the cart.
        return GoIdle() if cart_id is not None and event.subject == cart_id else None
    number, basket = payload.get("order"), payload.get("cart_id")
    if not isinstance(number, str) or not event.type.startswith(("order.", "payment.")):
        return None
    basket = basket if isinstance(basket, str) else None
    new_sale = ours and event.type == "order.created"
    # A payment names the device that took it: this till, now.
    paying_here = ours and event.type.startswith("payment.")
    on_show = number == order or (cart_id is not None and basket == cart_id)
    return ShowOrder(number, basket) if new_sale or paying_here or on_show else None


@dataclass(frozen=True, slots=True)
class SaleLine:
    name: str
    qty: int
    unit_price_cents: int
    discount_cents: int
    total_cents: int


@dataclass(frozen=True, slots=True)
class Sale:
    """One sale as the shopper sees it, from a basket or from the order it became."""

    lines: tuple[SaleLine, ...]
    total_cents: int
    customer_name: str | None = None
    points_to_earn: int | None = None
    points_balance: int | None = None
    paid_cents: int = 0
    due_cents: int | None = None
    """``None`` until the sale is being paid."""


def cart_shows_sale(cart: CartOut) -> bool:
    """An open, unparked basket with something in it is a sale in progress;
    anything else leaves the display at its welcome (checked-out baskets are
    followed through their order's events instead)."""
    return cart.status == CartStatus.OPEN and not cart.parked and bool(cart.lines)


def sale_of_cart(cart: CartOut) -> Sale:
    return Sale(
        lines=tuple(SaleLine(name=x.name, qty=x.qty, unit_price_cents=x.unit_price_cents,
                             discount_cents=x.discount_cents, total_cents=x.total_cents)
                    for x in cart.lines),
        total_cents=cart.total_cents, customer_name=cart.customer_name,
        points_to_earn=cart.points_to_earn, points_balance=cart.points_balance,
    )


def sale_of_order(order: OrderOut, *, basket: CartOut | None = None) -> Sale:
    """The order while it is being paid. Its basket, when the display saw it,
    brings the points promise (an order knows its points only once earned) and
    the masked name; a till reads the order's customer in full, which is not
    for a screen the next shopper in the queue can read."""
    return Sale(
        lines=tuple(SaleLine(name=x.name, qty=x.qty, unit_price_cents=x.unit_price_cents,
                             discount_cents=x.discount_cents + x.promo_discount_cents,
                             total_cents=x.total_cents)
                    for x in order.lines),
        total_cents=order.total_cents,
        customer_name=basket.customer_name if basket else masked(order.customer_name),
        points_to_earn=basket.points_to_earn if basket else None,
        points_balance=order.points_balance,
        paid_cents=order.paid_cents, due_cents=order.due_cents,
    )


def is_settled(order: OrderOut) -> bool:
    """Fully paid: time for the thank-you and the receipt. A till sale completes
    on its last payment; a pickup paid at this till only becomes ``paid``."""
    if order.status == OrderStatus.CANCELLED:
        return False
    return order.status == OrderStatus.COMPLETED or (
        order.due_cents == 0 and order.paid_cents > 0)
