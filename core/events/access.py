"""Who sees which events: a device sees what its screen needs, never the chain.

The log holds every store's business: cash movements and Z variances, who
unlocked which till, which customer earned which points. So each kind of
device reads a slice of it:

- a till and a customer display: their own store's events (the display only
  what a sale on show needs: carts, orders, payments); a till also the chain's
  ``catalog.`` events (no ids of people, only SKUs), for its offline copy;
- a kiosk or the web shop: stock changes (every location: a shopper asks
  what another store has) and the events of their own baskets and orders.

Events carry ids, never emails or names; a till reads the rest from the API
with a staff sign-in.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, and_, false, or_, select

from core.caller import Caller
from core.carts.models import Cart
from core.events.hub import Published
from core.events.models import Event
from core.orders.models import Order
from shared.schemas.enums import DeviceKind

DISPLAY_PREFIXES = ("cart.", "order.", "payment.")
CATALOG_PREFIX = "catalog."


def visible_to(caller: Caller) -> ColumnElement[bool]:
    """The condition on ``Event`` rows this caller may read."""
    if caller.device_kind is DeviceKind.POS:
        # and the chain's catalog changes, which keep its offline copy fresh
        return or_(Event.store_code == caller.store_code if caller.store_code else false(),
                   Event.type.startswith(CATALOG_PREFIX))
    if caller.device_kind is DeviceKind.DISPLAY:
        if not caller.store_code:
            return false()
        return and_(Event.store_code == caller.store_code,
                    or_(*(Event.type.startswith(p) for p in DISPLAY_PREFIXES)))
    own_carts = select(Cart.id).where(Cart.device_id == caller.device_id)
    own_orders = select(Order.number).where(Order.device_id == caller.device_id)
    return or_(
        Event.type == "stock.changed",
        and_(Event.type.startswith("cart."), Event.subject.in_(own_carts)),
        and_(or_(Event.type.startswith("order."), Event.type.startswith("payment.")),
             Event.subject.in_(own_orders)),
    )


def may_see(caller: Caller) -> Callable[[Published], bool]:
    """The same rule as :func:`visible_to`, for events the hub hands out live: it
    knows each cart's and order's device (``owner_device``) instead of a subquery."""
    kind, store, device = caller.device_kind, caller.store_code, caller.device_id
    if kind is DeviceKind.POS:
        return lambda e: (store is not None and e.store_code == store) \
            or e.type.startswith(CATALOG_PREFIX)
    if kind is DeviceKind.DISPLAY:
        return lambda e: store is not None and e.store_code == store \
            and e.type.startswith(DISPLAY_PREFIXES)
    return lambda e: e.type == "stock.changed" or (
        e.type.startswith(("cart.", "order.", "payment.")) and e.owner_device == device)
