"""Subscriptions, replays and the delivery log: what an administrator does.

A new subscription starts at the end of the log: it receives what happens
from then on (a ``replay`` sends an older event). Removing one stops its
deliveries and keeps its log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.events.models import Event
from core.events.service import last_seq
from core.problems import Conflict, InvalidInput, NotFound
from core.timeutil import utcnow
from core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from core.webhooks.signature import new_salt, secret_for

__all__ = ["Created", "add", "attempts_of", "deliveries", "get", "listing", "matches",
           "remove", "replay_delivery", "replay_event", "validate_patterns"]

_PATTERN = re.compile(r"^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?)$")
MAX_PATTERNS = 20


def validate_patterns(patterns: list[str]) -> list[str]:
    cleaned = sorted({p.strip().lower() for p in patterns if p.strip()})
    if not cleaned:
        raise InvalidInput("Name at least one event type: order.*, return.*, stock.low or *.")
    if len(cleaned) > MAX_PATTERNS:
        raise InvalidInput(f"At most {MAX_PATTERNS} event types per subscription.")
    wrong = [p for p in cleaned if len(p) > 40 or not _PATTERN.match(p)]
    if wrong:
        raise InvalidInput(f"{', '.join(wrong)}: an event type is order.created, a family "
                           "order.* or every event *.", code="bad_event_pattern")
    return cleaned


def matches(patterns: list[str], type_: str) -> bool:
    """``*`` takes every event, ``order.*`` every ``order.`` one, else the exact type."""
    return any(p == "*" or p == type_ or (p.endswith(".*") and type_.startswith(p[:-1]))
               for p in patterns)


def _validate_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500 \
            or not url.isprintable() or " " in url:
        raise InvalidInput("A webhook URL is http:// or https:// with a host, e.g. "
                           "https://crm.example.com/omnitill.", code="bad_webhook_url")
    return url


@dataclass(frozen=True, slots=True)
class Created:
    subscription: WebhookSubscription
    secret: str
    """Shown once: the core derives it again to sign, and never shows it again."""


def add(session: Session, *, url: str, events: list[str], core_secret: bytes,
        description: str = "", created_by: str = "") -> Created:
    subscription = WebhookSubscription(
        url=_validate_url(url), events=validate_patterns(events),
        description=description.strip()[:200], secret_salt=new_salt(),
        cursor=last_seq(session), created_by=created_by[:80])
    session.add(subscription)
    session.flush()
    return Created(subscription, secret_for(core_secret, subscription.secret_salt))


def get(session: Session, subscription_id: int) -> WebhookSubscription:
    found = session.get(WebhookSubscription, subscription_id)
    if found is None or found.removed_at is not None:
        raise NotFound(f"There is no webhook {subscription_id}.", code="webhook_not_found")
    return found


def listing(session: Session) -> list[WebhookSubscription]:
    return list(session.scalars(select(WebhookSubscription).where(
        WebhookSubscription.removed_at.is_(None)).order_by(WebhookSubscription.id)))


def remove(session: Session, *, subscription_id: int) -> WebhookSubscription:
    subscription = get(session, subscription_id)
    subscription.removed_at = utcnow()
    session.execute(update(WebhookDelivery).where(
        WebhookDelivery.subscription_id == subscription.id, WebhookDelivery.status == "pending",
    ).values(status="cancelled", next_attempt_at=None, finished_at=utcnow()))
    return subscription


def replay_event(session: Session, *, subscription_id: int, seq: int) -> WebhookDelivery:
    """Send an event of the log again (or for the first time, one from before the
    subscription): the same event id, so a receiver that has it ignores it."""
    subscription = get(session, subscription_id)
    event = session.get(Event, seq)
    if event is None:
        raise NotFound(f"There is no event {seq} in the log.", code="event_not_found")
    delivery = WebhookDelivery(subscription_id=subscription.id, event_seq=event.seq,
                               event_type=event.type, next_attempt_at=utcnow())
    session.add(delivery)
    session.flush()
    return delivery


def replay_delivery(session: Session, *, delivery_id: int) -> WebhookDelivery:
    """Send a delivery's event again as a new delivery, with fresh attempts."""
    original = session.get(WebhookDelivery, delivery_id)
    if original is None:
        raise NotFound(f"There is no delivery {delivery_id}.", code="delivery_not_found")
    subscription = session.get(WebhookSubscription, original.subscription_id)
    if subscription is None or subscription.removed_at is not None:
        raise Conflict(f"The webhook of delivery {delivery_id} was removed.",
                       code="webhook_removed")
    delivery = WebhookDelivery(subscription_id=original.subscription_id,
                               event_seq=original.event_seq, event_type=original.event_type,
                               replay_of=original.id, next_attempt_at=utcnow())
    session.add(delivery)
    session.flush()
    return delivery


def deliveries(session: Session, *, subscription_id: int | None = None,
               status: str | None = None, limit: int = 100) -> list[WebhookDelivery]:
    """The delivery log, newest first."""
    stmt = select(WebhookDelivery)
    if subscription_id is not None:
        stmt = stmt.where(WebhookDelivery.subscription_id == subscription_id)
    if status:
        stmt = stmt.where(WebhookDelivery.status == status)
    return list(session.scalars(stmt.order_by(WebhookDelivery.id.desc()).limit(limit)))


def attempts_of(session: Session, delivery_ids: list[int]) -> dict[int, list[WebhookAttempt]]:
    found: dict[int, list[WebhookAttempt]] = {i: [] for i in delivery_ids}
    if delivery_ids:
        for attempt in session.scalars(select(WebhookAttempt).where(
                WebhookAttempt.delivery_id.in_(delivery_ids)).order_by(WebhookAttempt.id)):
            found[attempt.delivery_id].append(attempt)
    return found
