"""Who may read or pay which order, decided once for every route that asks."""

from __future__ import annotations

from core.caller import Caller
from core.orders.models import Order
from core.orders.paying import Check
from core.problems import Conflict, Forbidden
from shared.schemas.enums import DeviceKind, OrderStatus


def check_readable(order: Order, caller: Caller) -> None:
    """A till reads any order (masked without a staff sign-in of its store, see
    :func:`core.orders.views.sees_pii`); a kiosk or the web shop only the orders it
    placed."""
    if caller.device_kind is DeviceKind.POS:
        return
    if order.device_id != caller.device_id:
        raise Forbidden("This order can be looked up at a till.", code="till_only")


def check_own_store(caller: Caller, store_code: str, *, what: str) -> None:
    """A till works on its own store's queue; ``what`` says so in the refusal."""
    if caller.store_code != store_code.upper():
        raise Forbidden(what, code="other_store")


def payable_by(caller: Caller) -> Check:
    """What refuses a payment on an order before any money moves: a till needs
    someone signed in; another device pays only its own orders; nobody pays a
    cancelled one."""
    if caller.device_kind is DeviceKind.POS:
        caller.require_staff(action="take a payment")

    def check(order: Order) -> None:
        if caller.device_kind is not DeviceKind.POS:
            check_readable(order, caller)
        if order.status == OrderStatus.CANCELLED:
            raise Conflict(f"Order {order.number} was cancelled.", code="order_cancelled")

    return check
