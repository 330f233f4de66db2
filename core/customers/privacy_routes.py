"""A manager acting on a customer's request about their data: a copy of it all
(``GET /v1/customers/{id}/export``) or erasure (``POST .../erase``). Both are
written to the audit trail."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from core.customers import privacy
from core.deps import DbDep, IdPath, StaffDep
from shared.schemas.enums import Role

router = APIRouter(prefix="/v1/customers", tags=["customers"])


@router.get("/{customer_id}/export", response_model=dict[str, Any],
            summary="Everything held about a customer, as JSON: profile, consents, loyalty "
            "ledger, orders, returns, store credit (manager; audited)")
def export(customer_id: IdPath, db: DbDep, caller: StaffDep) -> dict[str, Any]:
    caller.require_staff(Role.MANAGER, "export a customer's data")
    with db.write() as session:
        return privacy.export(session, customer_id=customer_id, caller=caller)


@router.post("/{customer_id}/erase", response_model=dict[str, Any],
             summary="Anonymise a customer, keeping their orders and the accounting; "
             "their points are zeroed in the ledger (manager; audited)")
def erase(customer_id: IdPath, db: DbDep, caller: StaffDep) -> dict[str, Any]:
    caller.require_staff(Role.MANAGER, "erase a customer's data")
    with db.write() as session:
        return privacy.erase(session, customer_id=customer_id, caller=caller)
