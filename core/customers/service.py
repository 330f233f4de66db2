"""Customer lookup and the one history every channel writes into.

Only a till with a staff sign-in sees a customer in full; a kiosk sees a
masked name and the points balance (from a scanned loyalty card) and nothing
else.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core import signing
from core.audit.service import record
from core.caller import Caller
from core.customers.models import Customer
from core.loyalty import service as loyalty
from core.loyalty.models import LoyaltyEntry
from core.orders.models import Order
from core.problems import Conflict, NotFound
from core.returns.models import Return
from shared.codes import CodeKind
from shared.masking import mask_email, mask_name
from shared.schemas.enums import Role
from shared.schemas.returns import (
    CustomerHistory,
    CustomerOut,
    HistoryOrder,
    LoyaltyEntryOut,
    LoyaltyOut,
)


def get_customer(session: Session, customer_id: int, *, lock: bool = False) -> Customer:
    """``lock``: the row is held until the transaction ends (a change that reads
    before it writes)."""
    customer = session.get(Customer, customer_id, with_for_update=True if lock else None)
    if customer is None:
        raise NotFound("That customer does not exist.", code="customer_not_found")
    return customer


def by_card(session: Session, card: str) -> Customer:
    customer = session.scalar(select(Customer).where(Customer.loyalty_card == card))
    if customer is None:
        raise NotFound("That loyalty card is not registered.", code="customer_not_found")
    return customer


SEARCH_LIMIT = 10
"""A name typed at a till names one person; more results than a screen holds only
serve someone walking the customer list."""


def knows_contact(session: Session, customer: Customer, *, store: str | None,
                  chain_wide: bool, q: str | None = None) -> bool:
    """Whether a till's staff see this customer's email, phone and card in full:
    a manager chain-wide; anyone for a customer of their own store (home store, or
    one who bought there), or one they found by an exact email, card or phone,
    which they already had. A name search elsewhere shows them masked: enough for
    the shopper to say "that's me", not a list a curious cashier can copy."""
    if chain_wide or (store is not None and customer.home_store == store):
        return True
    if q is not None:
        text = q.strip()
        digits = re.sub(r"\D", "", text)
        phone = re.sub(r"\D", "", customer.phone or "")
        if text.lower() == (customer.email or "").lower() or text == customer.loyalty_card \
                or (len(digits) >= 9 and phone.endswith(digits[-9:])):
            return True
    return store is not None and session.scalar(select(Order.id).where(
        Order.customer_id == customer.id, Order.store_code == store).limit(1)) is not None


def _mask_phone(phone: str | None) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    return f"*** *** {digits[-3:]}" if len(digits) >= 3 else None


def search(session: Session, q: str, limit: int = SEARCH_LIMIT) -> list[Customer]:
    text = q.strip()
    digits = re.sub(r"\D", "", text)
    clauses = [Customer.email == text.lower(), Customer.loyalty_card == text]
    if len(digits) >= 6:
        clauses.append(func.replace(Customer.phone, " ", "").like(f"%{digits[-9:]}%"))
    words = text.lower().split()
    if words and not digits:
        name = func.lower(Customer.first_name + " " + Customer.last_name)
        # autoescape: a typed % or _ is a character to find, not a LIKE wildcard
        # (``%%`` listed every customer of the chain).
        clauses.append(func.lower(Customer.last_name).startswith(words[-1], autoescape=True)
                       if len(words) == 1 else name.contains(" ".join(words), autoescape=True))
    return list(session.scalars(select(Customer).where(or_(*clauses))
                                .order_by(Customer.last_name, Customer.first_name).limit(limit)))


def set_mail_preferences(session: Session, *, customer_id: int, caller: Caller,
                         language: str | None = None, no_mail: bool | None = None
                         ) -> Customer:
    """Record what the customer told staff about their mail: the language it is
    written in, or no mail at all (``None``: as it is). Each change is an audit
    entry with what it was before (``customer.consent_changed``): what a privacy
    officer asks when someone says "I told you to stop". A customer erased at their
    request stays erased: nothing new is recorded about them."""
    customer = get_customer(session, customer_id, lock=True)
    if customer.erased:
        raise Conflict(f"Customer {customer_id} was erased at their request; nothing more "
                       "is recorded about them.", code="customer_erased")
    wanted = {"language": language, "no_mail": no_mail}
    changed: dict[str, Any] = {
        name: [getattr(customer, name), value] for name, value in wanted.items()
        if value is not None and getattr(customer, name) != value}
    for name, (_, value) in changed.items():
        setattr(customer, name, value)
    if changed:
        record(session, "customer.consent_changed", caller=caller,
               subject=f"customer {customer_id}", **changed)
    return customer


def customer_out(customer: Customer, *, full: bool, secret: bytes, contact: bool = True
                 ) -> CustomerOut:
    """``contact=False``: name in full, email and phone masked, no card (see
    :func:`knows_contact`)."""
    card = customer.loyalty_card if contact else None
    return CustomerOut(
        id=customer.id,
        name=f"{customer.first_name} {customer.last_name}" if full
        else mask_name(customer.first_name, customer.last_name) or "",
        email=(customer.email if contact else mask_email(customer.email)) if full else None,
        phone=(customer.phone if contact else _mask_phone(customer.phone)) if full else None,
        loyalty_card=card if full else None, city=customer.city if full else "",
        home_store=customer.home_store, consent_marketing=customer.consent_marketing,
        consent_email_receipts=customer.consent_email_receipts,
        language=customer.language, no_mail=customer.no_mail,
        loyalty_code=signing.signed_code(secret, CodeKind.LOYALTY, card) if card and full
        else None,
    )


def customer_view(session: Session, customer: Customer, *, caller: Caller, secret: bytes,
                  q: str | None = None) -> CustomerOut:
    """A customer as staff see them: contact details only where this store (or a
    manager, chain-wide) has reason to know them, see :func:`knows_contact`."""
    chain_wide = caller.role is not None and caller.role.at_least(Role.MANAGER)
    return customer_out(customer, full=True, secret=secret, contact=knows_contact(
        session, customer, store=caller.store_code, chain_wide=chain_wide, q=q))


def history(session: Session, customer_id: int) -> CustomerHistory:
    get_customer(session, customer_id)
    orders = list(session.scalars(select(Order).where(Order.customer_id == customer_id)
                                  .order_by(Order.created_at.desc())))
    refunded = dict(session.execute(
        select(Return.order_id, func.sum(Return.refund_cents)).where(
            Return.order_id.in_([o.id for o in orders]), Return.status == "refunded")
        .group_by(Return.order_id)).all()) if orders else {}
    items = []
    for order in orders:
        returned = int(refunded.get(order.id, 0) or 0)
        net = 0 if order.status == "cancelled" else order.total_cents - returned
        items.append(HistoryOrder(
            number=order.number, channel=order.channel, store=order.pickup_store_code or
            order.store_code, status=order.status, total_cents=order.total_cents,
            returned_cents=returned, net_cents=net, created_at=order.created_at,
            items=sum(line.qty for line in order.lines)))
    return CustomerHistory(customer_id=customer_id, orders=items,
                           total_net_cents=sum(i.net_cents for i in items))


def loyalty_view(session: Session, customer: Customer, *, full: bool) -> LoyaltyOut:
    spend = loyalty.spend_12_months(session, customer.id)
    tier, upcoming = loyalty.tier_for(spend), loyalty.next_tier(spend)
    entries: list[LoyaltyEntry] = list(session.scalars(select(LoyaltyEntry).where(
        LoyaltyEntry.customer_id == customer.id).order_by(LoyaltyEntry.id.desc()).limit(50)
    )) if full else []
    return LoyaltyOut(
        customer_id=customer.id,
        name=f"{customer.first_name} {customer.last_name}" if full
        else mask_name(customer.first_name, customer.last_name) or "",
        balance=loyalty.balance(session, customer.id), tier=tier.name,
        multiplier_percent=tier.multiplier_percent, spend_12m_cents=spend if full else 0,
        next_tier=upcoming.name if upcoming else None,
        to_next_tier_cents=upcoming.min_spend_cents - spend if upcoming and full else None,
        entries=[LoyaltyEntryOut.model_validate(e) for e in entries],
    )
