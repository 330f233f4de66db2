"""``/v1/webhooks``: a manager (or admin) subscribes a CRM or ERP to events, removes
it, replays an event, reads the delivery log. A subscription sees every store's
events, so a supervisor, whose reach is one store, may not make one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from core.audit import service as audit
from core.caller import Caller
from core.deps import DbDep, IdPath, SettingsDep, StaffDep
from core.webhooks import service
from core.webhooks.models import WebhookDelivery, WebhookSubscription
from shared.schemas.enums import Role
from shared.schemas.webhooks import (
    AttemptOut,
    DeliveryOut,
    ReplayIn,
    WebhookCreate,
    WebhookCreated,
    WebhookOut,
)

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


def _manager(caller: Caller, action: str) -> None:
    caller.require_staff(Role.MANAGER, action)


def _out(subscription: WebhookSubscription) -> WebhookOut:
    return WebhookOut.model_validate(subscription)


def _delivery_out(delivery: WebhookDelivery, log: list[AttemptOut] | None = None
                  ) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id, subscription_id=delivery.subscription_id,
        event_id=f"evt_{delivery.event_seq}", event_seq=delivery.event_seq,
        event_type=delivery.event_type, status=delivery.status, attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at, last_status_code=delivery.last_status_code,
        last_error=delivery.last_error, replay_of=delivery.replay_of,
        created_at=delivery.created_at, finished_at=delivery.finished_at, log=log or [])


@router.get("", response_model=list[WebhookOut], summary="Webhook subscriptions (manager)")
def listing(db: DbDep, caller: StaffDep) -> list[WebhookOut]:
    _manager(caller, "see the webhooks")
    with db.read() as session:
        return [_out(s) for s in service.listing(session)]


@router.post("", response_model=WebhookCreated, status_code=status.HTTP_201_CREATED,
             summary="Subscribe a URL to events; the answer holds its secret, shown once")
def add(body: WebhookCreate, db: DbDep, settings: SettingsDep, caller: StaffDep
        ) -> WebhookCreated:
    staff = caller.require_staff(Role.MANAGER, "add a webhook")
    with db.write() as session:
        created = service.add(session, url=body.url, events=body.events,
                              description=body.description,
                              core_secret=settings.resolved_secret,
                              created_by=staff.name)
        audit.record(session, "webhook.added", caller=caller,
                     subject=str(created.subscription.id), url=created.subscription.url,
                     events=created.subscription.events)
        return WebhookCreated(**_out(created.subscription).model_dump(), secret=created.secret)


@router.delete("/{webhook_id}", response_model=WebhookOut,
               summary="Remove a webhook: nothing more is delivered; its log stays")
def remove(webhook_id: IdPath, db: DbDep, caller: StaffDep) -> WebhookOut:
    _manager(caller, "remove a webhook")
    with db.write() as session:
        removed = service.remove(session, subscription_id=webhook_id)
        audit.record(session, "webhook.removed", caller=caller, subject=str(removed.id),
                     url=removed.url)
        return _out(removed)


@router.post("/{webhook_id}/replay", response_model=DeliveryOut,
             status_code=status.HTTP_202_ACCEPTED,
             summary="Send an event of the log to a webhook again (same event id)")
def replay_event(webhook_id: IdPath, body: ReplayIn, db: DbDep, caller: StaffDep
                 ) -> DeliveryOut:
    _manager(caller, "replay a webhook")
    with db.write() as session:
        delivery = service.replay_event(session, subscription_id=webhook_id, seq=body.seq)
        audit.record(session, "webhook.replayed", caller=caller, subject=str(webhook_id),
                     event_seq=body.seq)
        return _delivery_out(delivery)


@router.post("/deliveries/{delivery_id}/replay", response_model=DeliveryOut,
             status_code=status.HTTP_202_ACCEPTED,
             summary="Send a delivery's event again, with fresh attempts")
def replay_delivery(delivery_id: IdPath, db: DbDep, caller: StaffDep) -> DeliveryOut:
    _manager(caller, "replay a webhook")
    with db.write() as session:
        delivery = service.replay_delivery(session, delivery_id=delivery_id)
        audit.record(session, "webhook.replayed", caller=caller,
                     subject=str(delivery.subscription_id), event_seq=delivery.event_seq,
                     delivery=delivery_id)
        return _delivery_out(delivery)


@router.get("/deliveries", response_model=list[DeliveryOut],
            summary="The delivery log, newest first, with each attempt")
def deliveries(
    db: DbDep, caller: StaffDep,
    webhook_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    status_: Annotated[str | None, Query(
        alias="status", pattern="^(pending|delivered|failed|cancelled)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryOut]:
    _manager(caller, "read the webhook log")
    with db.read() as session:
        rows = service.deliveries(session, subscription_id=webhook_id, status=status_,
                                  limit=limit)
        attempts = service.attempts_of(session, [d.id for d in rows])
        return [_delivery_out(d, [AttemptOut.model_validate(a) for a in attempts[d.id]])
                for d in rows]
