"""Webhook subscriptions and their delivery log (``/v1/webhooks``, a manager's)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from shared.schemas.common import Request, Schema

__all__ = ["AttemptOut", "DeliveryOut", "ReplayIn", "WebhookCreate", "WebhookCreated",
           "WebhookOut"]


class WebhookCreate(Request):
    url: str = Field(min_length=1, max_length=500,
                     description="Where to POST: `https://crm.example.com/omnitill`.")
    events: list[str] = Field(min_length=1, max_length=20, description=(
        "Event types: `order.created`, a family `order.*`, `stock.low`, or `*` for all."))
    description: str = Field(default="", max_length=200)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    cursor: int = Field(description="The last event of the log taken into deliveries.")
    created_at: datetime
    created_by: str


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Signs every delivery; shown this once, never again.")


class ReplayIn(Request):
    seq: int = Field(ge=1, le=2**62, description="The event's sequence number (its id "
                     "without `evt_`).")


class AttemptOut(Schema):
    attempt: int
    at: datetime
    status_code: int | None = Field(description="What the receiver answered; none when "
                                    "it did not (refused, timed out).")
    error: str
    duration_ms: int


class DeliveryOut(Schema):
    id: int
    webhook_id: int = Field(validation_alias="subscription_id")
    event_id: str
    event_seq: int
    event_type: str
    status: str = Field(description="`pending`, `delivered`, `failed` (attempts used up) "
                        "or `cancelled` (webhook removed).")
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    replay_of: int | None
    created_at: datetime
    finished_at: datetime | None
    log: list[AttemptOut] = Field(default_factory=list)
