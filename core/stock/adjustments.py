"""Stock changed by hand: a count, a receipt of goods, a damage write-off.

A supervisor adjusts their own store's stock, a manager any location's; each
adjustment is audited with the count before and after, since it is the one
way stock changes without a sale, a return or a transfer to explain it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.audit import service as audit
from core.caller import Caller
from core.problems import Forbidden
from core.stock import service as stock
from shared.schemas.enums import Role
from shared.schemas.orders import AdjustmentIn


def adjust(session: Session, *, caller: Caller, body: AdjustmentIn) -> stock.Level:
    """Apply one adjustment; returns the level after it."""
    staff = caller.require_staff(Role.SUPERVISOR, "adjust stock")
    if caller.store_code != body.location and not staff.role.at_least(Role.MANAGER):
        raise Forbidden("A supervisor adjusts the stock of their own store.", code="other_store")
    stock.get_location(session, body.location)
    stock.known_sku(session, body.sku)
    before = stock.level(session, body.location, body.sku).on_hand
    if body.reason == "count":
        stock.set_count(session, location=body.location, sku=body.sku, counted=body.qty,
                        reference=body.note, staff_id=staff.staff_id)
    elif body.reason == "receipt":
        stock.receive(session, location=body.location, sku=body.sku, qty=body.qty,
                      reason="receipt", reference=body.note, staff_id=staff.staff_id)
    else:
        stock.remove(session, location=body.location, sku=body.sku, qty=body.qty,
                     reason="damage", reference=body.note, staff_id=staff.staff_id)
    after = stock.level(session, body.location, body.sku)
    audit.record(session, "stock.adjusted", caller=caller, store=body.location,
                 subject=body.sku, reason=body.reason, qty=body.qty, note=body.note,
                 on_hand_before=before, on_hand_after=after.on_hand)
    return after
