"""Earning, redeeming and clawing back points; tiers from 12-month net spend.

The balance is the ledger's sum. The account row carries the same figure so a
redemption is one conditional UPDATE (``balance >= points``); a test checks the
two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.db import rows_changed
from core.events.service import emit
from core.loyalty.models import LoyaltyAccount, LoyaltyEntry
from core.orders.models import Order, OrderLine
from core.payments.models import Payment
from core.problems import Conflict
from core.returns.models import Return
from core.timeutil import utcnow
from shared.money import allocate


@dataclass(frozen=True, slots=True)
class Tier:
    name: str
    min_spend_cents: int
    multiplier_percent: int


TIERS = (Tier("Bronze", 0, 100), Tier("Silver", 50_000, 125), Tier("Gold", 150_000, 150))
"""12-month net spend thresholds (500 €, 1,500 €) and their earn multipliers."""


def _ensure_account(session: Session, customer_id: int) -> None:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else \
        sqlite.insert
    session.execute(insert(LoyaltyAccount).values(customer_id=customer_id, balance=0)
                    .on_conflict_do_nothing())


def balance(session: Session, customer_id: int) -> int:
    """The account's running balance (kept equal to the ledger's sum by :func:`_add`),
    one row instead of a sum over every entry: baskets and orders show it on each read."""
    return int(session.scalar(select(LoyaltyAccount.balance)
                              .where(LoyaltyAccount.customer_id == customer_id)) or 0)


def spend_12_months(session: Session, customer_id: int) -> int:
    since = utcnow() - timedelta(days=365)
    paid = session.scalar(select(func.coalesce(func.sum(Order.total_cents), 0)).where(
        Order.customer_id == customer_id, Order.created_at >= since,
        Order.status.in_(("paid", "picking", "ready_for_pickup", "collected", "shipped",
                          "delivered", "completed")))) or 0
    refunded = session.scalar(select(func.coalesce(func.sum(Return.refund_cents), 0)).join(
        Order, Order.id == Return.order_id).where(
        Order.customer_id == customer_id, Return.status == "refunded",
        Return.created_at >= since)) or 0
    return int(paid) - int(refunded)


def tier_for(spend_cents: int) -> Tier:
    return [t for t in TIERS if spend_cents >= t.min_spend_cents][-1]


def next_tier(spend_cents: int) -> Tier | None:
    higher = [t for t in TIERS if t.min_spend_cents > spend_cents]
    return higher[0] if higher else None


def _add(session: Session, *, customer_id: int, kind: str, points: int,
         order_number: str | None = None, return_number: str | None = None,
         note: str = "") -> None:
    _ensure_account(session, customer_id)
    done = rows_changed(session.execute(
        update(LoyaltyAccount).where(LoyaltyAccount.customer_id == customer_id,
                                     LoyaltyAccount.balance + points >= 0)
        .values(balance=LoyaltyAccount.balance + points)
        .execution_options(synchronize_session=False)))
    if done != 1:
        raise Conflict("Not enough points for that.", code="insufficient_points",
                       balance=balance(session, customer_id))
    session.add(LoyaltyEntry(customer_id=customer_id, kind=kind, points=points,
                             order_number=order_number, return_number=return_number, note=note))
    emit(session, f"loyalty.{kind}", subject=str(customer_id), customer_id=customer_id,
         points=points, order=order_number, returned=return_number)


def points_for(money_cents: int, points_per_euro: int, tier: Tier) -> int:
    """The earn rule: whole euros paid in money, times the rate and the tier's multiplier."""
    return max(0, money_cents) // 100 * points_per_euro * tier.multiplier_percent // 100


def estimate(session: Session, *, customer_id: int, total_cents: int,
             points_per_euro: int) -> int:
    """What a sale of this total would earn at the customer's tier today: the
    number the customer display promises."""
    return points_for(total_cents, points_per_euro,
                      tier_for(spend_12_months(session, customer_id)))


def earn_for_order(session: Session, *, order: Order, points_per_euro: int) -> int:
    """Points for a paid order, spread over its lines so a return claws back its share."""
    if order.customer_id is None or points_per_euro <= 0:
        return 0
    already = session.scalar(select(func.count()).select_from(LoyaltyEntry).where(
        LoyaltyEntry.order_number == order.number, LoyaltyEntry.kind == "earn"))
    if already:
        return 0
    tier = tier_for(spend_12_months(session, order.customer_id))
    # Points are earned on money, not on points redeemed as a tender.
    redeemed = session.scalar(select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
        Payment.order_id == order.id, Payment.tender == "loyalty_points",
        Payment.status == "approved")) or 0
    points = points_for(order.total_cents - int(redeemed), points_per_euro, tier)
    if points <= 0:
        return 0
    lines = list(order.lines)
    for line, part in zip(lines, allocate(points, [line.total_cents for line in lines]),
                          strict=True):
        line.points_earned = part
    _add(session, customer_id=order.customer_id, kind="earn", points=points,
         order_number=order.number, note=f"{tier.name} ×{tier.multiplier_percent / 100:g}")
    return points


def redeem(session: Session, *, customer_id: int, points: int, order_number: str) -> None:
    _add(session, customer_id=customer_id, kind="redeem", points=-points,
         order_number=order_number)


def refund_redemption(session: Session, *, customer_id: int, points: int, reference: str) -> None:
    _add(session, customer_id=customer_id, kind="adjust", points=points, order_number=reference,
         note="points given back with a refund")


def claw_back(session: Session, *, customer_id: int, line: OrderLine, qty: int,
              return_number: str) -> tuple[int, int]:
    """Take back what the returned units earned, never below zero.

    Returns ``(taken, short)``: ``short`` is what could not be taken because
    the points were already spent; it is noted on the entry, not forced.
    """
    owed = line.points_earned * qty // line.qty
    if owed <= 0:
        return 0, 0
    available = balance(session, customer_id)
    taken = min(owed, available)
    if taken:
        _add(session, customer_id=customer_id, kind="clawback", points=-taken,
             order_number=line.order.number, return_number=return_number,
             note=f"{owed - taken} points already spent" if taken < owed else "")
    return taken, owed - taken
