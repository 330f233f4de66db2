"""Every table of the core, imported in one place so the metadata is complete
for Alembic and for tests."""

from core.audit.models import AuditEntry
from core.auth.models import Device, Staff, StaffStore, TargetLock
from core.carts.models import Cart, CartLine
from core.catalog.models import Category, Product
from core.customers.models import Customer
from core.db import Base
from core.events.models import Event
from core.giftcards.models import GiftCard
from core.loyalty.models import LoyaltyAccount, LoyaltyEntry
from core.notify.models import MailCursor, MailDelivery
from core.orders.models import NumberSequence, Order, OrderLine, OrderStatusChange
from core.payments.models import CardRefund, Payment, StoreCreditAccount, StoreCreditEntry
from core.returns.models import Return, ReturnLine, ReturnRefund
from core.stock.models import (
    Reservation,
    StockLevel,
    StockLowMark,
    StockMovement,
    Transfer,
    TransferLine,
)
from core.stores.models import Location
from core.tills.models import TillEntry, TillSession
from core.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookLease,
    WebhookSubscription,
)

__all__ = [
    "AuditEntry",
    "Base",
    "CardRefund",
    "Cart",
    "CartLine",
    "Category",
    "Customer",
    "Device",
    "Event",
    "GiftCard",
    "Location",
    "LoyaltyAccount",
    "LoyaltyEntry",
    "MailCursor",
    "MailDelivery",
    "NumberSequence",
    "Order",
    "OrderLine",
    "OrderStatusChange",
    "Payment",
    "Product",
    "Reservation",
    "Return",
    "ReturnLine",
    "ReturnRefund",
    "Staff",
    "StaffStore",
    "StockLevel",
    "StockLowMark",
    "StockMovement",
    "StoreCreditAccount",
    "StoreCreditEntry",
    "TargetLock",
    "TillEntry",
    "TillSession",
    "Transfer",
    "TransferLine",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookLease",
    "WebhookSubscription",
]
