"""The audit trail as a manager reads it (``GET /v1/audit``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from shared.schemas.common import Schema


class AuditEntryOut(Schema):
    id: int
    at: datetime
    kind: str = Field(description="What was done, e.g. `return.refunded`, `stock.adjusted`.")
    store_code: str | None
    subject: str = Field(description="What it was done to: a return, an order, a SKU, a device.")
    device_id: int | None
    device_name: str
    staff_id: int | None
    staff_name: str
    approver_id: int | None = Field(description="The supervisor who countersigned, if one did.")
    approver_name: str
    actor: str = Field(description="Who acted when it was not staff on a till (the command line).")
    detail: dict[str, Any]


class AuditPage(Schema):
    entries: list[AuditEntryOut]
    next_cursor: str | None = Field(description="The next (older) page, or none at the end.")
