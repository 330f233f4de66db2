"""A customer's rights over their data (GDPR, articles 15, 17 and 20): a copy of
everything the chain holds about them, and erasure.

Erasure anonymises the person and keeps the business's records: orders,
payments and returns stay (the accounting and the tax authority need them for
ten years, and stock history must still add up), but nothing in them names,
reaches or identifies the person any more: the profile's name, email, phone,
city and loyalty card go, and so do the contact details, delivery address and
receipt email on their orders, and the addresses their mails went to. Points
are personal too: the balance is zeroed by a ledger entry (the ledger still sums
to the balance). Both acts are audited, without the personal data itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.audit.service import record
from core.customers.models import ERASED_FIRST_NAME, ERASED_LAST_NAME, Customer
from core.customers.service import get_customer
from core.db import rows_changed
from core.loyalty.models import LoyaltyAccount, LoyaltyEntry
from core.notify.models import MailDelivery
from core.orders.models import Order
from core.payments.models import StoreCreditAccount
from core.returns.models import Return
from core.timeutil import utcnow

if TYPE_CHECKING:
    from core.caller import Caller


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def export(session: Session, *, customer_id: int, caller: Caller | None = None,
           actor: str = "") -> dict[str, Any]:
    """Everything about the customer, as JSON-ready data: profile, consents,
    loyalty ledger, orders (with their lines and contact details), returns,
    store-credit cards and the mails sent to them. Recorded in the audit trail (a
    copy left the system)."""
    customer = get_customer(session, customer_id)
    orders = list(session.scalars(select(Order).where(Order.customer_id == customer_id)
                                  .order_by(Order.created_at, Order.id)))
    numbers = {o.id: o.number for o in orders}
    returns = list(session.scalars(select(Return).where(Return.order_id.in_(list(numbers)))
                                   .order_by(Return.created_at, Return.id))) if numbers else []
    ledger = list(session.scalars(select(LoyaltyEntry)
                                  .where(LoyaltyEntry.customer_id == customer_id)
                                  .order_by(LoyaltyEntry.id)))
    balance = session.scalar(select(LoyaltyAccount.balance)
                             .where(LoyaltyAccount.customer_id == customer_id)) or 0
    mails = list(session.scalars(select(MailDelivery).where(
        MailDelivery.order_id.in_(list(numbers))).order_by(MailDelivery.id))) if numbers else []
    cards = list(session.scalars(select(StoreCreditAccount)
                                 .where(StoreCreditAccount.customer_id == customer_id)
                                 .order_by(StoreCreditAccount.card_number)))
    record(session, "customer.exported", caller=caller, actor=actor,
           subject=f"customer {customer_id}", orders=len(orders), returns=len(returns))
    return {
        "exported_at": utcnow().isoformat(),
        "profile": {
            "id": customer.id, "first_name": customer.first_name,
            "last_name": customer.last_name, "email": customer.email, "phone": customer.phone,
            "loyalty_card": customer.loyalty_card, "city": customer.city,
            "home_store": customer.home_store, "created_at": _when(customer.created_at),
            "language": customer.language,
        },
        "consents": {"marketing": customer.consent_marketing,
                     "email_receipts": customer.consent_email_receipts,
                     "no_mail": customer.no_mail},
        "loyalty": {
            "balance": int(balance),
            "ledger": [{"at": _when(e.created_at), "kind": e.kind, "points": e.points,
                        "order_number": e.order_number, "return_number": e.return_number,
                        "note": e.note} for e in ledger],
        },
        "orders": [{
            "number": o.number, "channel": o.channel, "store": o.store_code,
            "fulfilment": o.fulfilment, "pickup_store": o.pickup_store_code,
            "status": o.status, "created_at": _when(o.created_at), "currency": o.currency,
            "total_cents": o.total_cents, "discount_cents": o.discount_cents,
            "tax_cents": o.tax_cents, "contact_name": o.contact_name,
            "contact_email": o.contact_email, "contact_phone": o.contact_phone,
            "delivery_address": o.delivery_address, "receipt_email": o.receipt_email,
            "lines": [{"sku": line.sku, "name": line.name, "qty": line.qty,
                       "unit_price_cents": line.unit_price_cents,
                       "total_cents": line.total_cents, "qty_returned": line.qty_returned}
                      for line in o.lines],
        } for o in orders],
        "returns": [{
            "number": r.number, "order_number": numbers.get(r.order_id or 0),
            "store": r.store_code, "status": r.status, "refund_cents": r.refund_cents,
            "refund_to": r.refund_to, "created_at": _when(r.created_at),
            "refunded_at": _when(r.refunded_at),
            "lines": [{"sku": line.sku, "qty": line.qty, "reason": line.reason,
                       "condition": line.condition, "refund_cents": line.refund_cents}
                      for line in r.lines],
        } for r in returns],
        "store_credit": [{"card_number": c.card_number, "kind": c.kind,
                          "balance_cents": c.balance_cents} for c in cards],
        "mails": [{"order_number": numbers.get(m.order_id or 0), "kind": m.kind,
                   "subject": m.subject, "to": m.to_address, "status": m.status,
                   "sent_at": _when(m.sent_at)} for m in mails],
    }


def erase(session: Session, *, customer_id: int, caller: Caller | None = None,
          actor: str = "") -> dict[str, Any]:
    """Anonymise the customer; returns what was done (no personal data in it).
    Erasing twice is harmless: the second finds nothing left to erase."""
    customer: Customer = get_customer(session, customer_id)
    already = customer.erased
    customer.first_name, customer.last_name = ERASED_FIRST_NAME, ERASED_LAST_NAME
    customer.email = customer.phone = customer.loyalty_card = None
    customer.city = ""
    customer.consent_marketing = customer.consent_email_receipts = False
    orders = session.execute(
        update(Order).where(Order.customer_id == customer_id)
        .values(contact_name=None, contact_email=None, contact_phone=None,
                delivery_address=None, receipt_email=None)
        .execution_options(synchronize_session=False))
    session.execute(update(MailDelivery).where(MailDelivery.order_id.in_(
        select(Order.id).where(Order.customer_id == customer_id))).values(to_address=None)
        .execution_options(synchronize_session=False))
    # Locked, so a redemption at a till now either went first or finds nothing left.
    points = int(session.scalar(select(LoyaltyAccount.balance)
                                .where(LoyaltyAccount.customer_id == customer_id)
                                .with_for_update()) or 0)
    if points:
        session.execute(update(LoyaltyAccount).where(LoyaltyAccount.customer_id == customer_id)
                        .values(balance=LoyaltyAccount.balance - points)
                        .execution_options(synchronize_session=False))
        session.add(LoyaltyEntry(customer_id=customer_id, kind="adjust", points=-points,
                                 note="erased at the customer's request"))
    kept = rows_changed(orders)
    record(session, "customer.erased", caller=caller, actor=actor,
           subject=f"customer {customer_id}", orders_kept=kept, points_zeroed=points,
           already_erased=already)
    return {"customer_id": customer_id, "orders_kept": kept, "points_zeroed": points,
            "already_erased": already}


__all__ = ["ERASED_FIRST_NAME", "ERASED_LAST_NAME", "erase", "export"]
