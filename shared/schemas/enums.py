"""The vocabularies the core and the clients agree on."""

from __future__ import annotations

from enum import StrEnum


class StoreKind(StrEnum):
    OWN = "own"
    FRANCHISE = "franchise"
    MULTIBRAND = "multibrand"
    WAREHOUSE = "warehouse"


class DeviceKind(StrEnum):
    KIOSK = "kiosk"
    POS = "pos"
    WEB = "web"
    DISPLAY = "display"


class Role(StrEnum):
    CASHIER = "cashier"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


class Channel(StrEnum):
    WEB = "web"
    APP = "app"
    KIOSK = "kiosk"
    POS = "pos"


class Fulfilment(StrEnum):
    CARRY_OUT = "carry_out"
    PICKUP = "pickup"
    SHIP_TO_STORE = "ship_to_store"
    DELIVERY = "delivery"


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    PICKING = "picking"
    READY_FOR_PICKUP = "ready_for_pickup"
    COLLECTED = "collected"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Tender(StrEnum):
    CASH = "cash"
    CARD = "card"
    GIFT_CARD = "gift_card"
    STORE_CREDIT = "store_credit"
    LOYALTY_POINTS = "loyalty_points"
    EXCHANGE_CREDIT = "exchange_credit"
    """What an exchange's return is worth, credited to its new sale (the payment's
    reference is the return): never taken as a tender of its own."""


class PaymentStatus(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    TIMEOUT = "timeout"


class CartStatus(StrEnum):
    OPEN = "open"
    HANDED_OFF = "handed_off"
    CHECKED_OUT = "checked_out"
    EXPIRED = "expired"
    ABANDONED = "abandoned"


class LineAnswer(StrEnum):
    """What a line change (``POST /v1/carts/{id}/lines?answer=``) answers with."""

    BASKET = "basket"
    """The whole priced basket (``CartOut``): the default."""
    LINE = "line"
    """The changed line and the basket's totals (``CartLineChange``)."""


class AdjustmentReason(StrEnum):
    COUNT = "count"
    RECEIPT = "receipt"
    DAMAGE = "damage"
