"""The till session: every tender taken or given back at a till is written here,
in the same transaction as the payment, so the X/Z report and the drawer's
expected cash can never disagree with the sales.

Cash needs an open session (a drawer with a counted float); other tenders are
recorded against the session when one is open.

What counts as this till's refund is one rule: every refund a command on this
till made while the session was open, whatever channel the order came from, by
the tender the money went back to (cash from the drawer, card through the
gateway, store credit or gift card issued, points restored). So store credit
issued by this till's returns desk counts, as does store credit given back for
a web order cancelled here; only cash moves the drawer.
"""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.audit import service as audit
from core.auth.models import Device, Staff
from core.caller import Caller
from core.events.service import emit
from core.problems import Conflict, NotFound
from core.settings import CoreSettings
from core.tills.models import TillEntry, TillSession
from core.timeutil import utcnow
from shared.schemas.enums import DeviceKind, Role, Tender
from shared.schemas.tills import CashMovementIn, TenderTotal, TillClose, TillReport


def open_session_of(session: Session, device_id: int, *, lock: bool = False,
                    share: bool = False) -> TillSession | None:
    """The till's open session. ``lock`` holds it exclusively (closing, cash in or
    out); ``share`` holds it against those only (``FOR KEY SHARE``), so sales at
    one till do not wait for each other but a close waits for the sales in flight
    and a sale that waited on a close finds the session closed."""
    stmt = select(TillSession).where(TillSession.device_id == device_id,
                                     TillSession.status == "open")
    if lock:
        stmt = stmt.with_for_update()
    elif share:
        stmt = stmt.with_for_update(read=True, key_share=True)
    return session.scalar(stmt)


def current(session: Session, caller: Caller, *, lock: bool = False) -> TillSession:
    till = open_session_of(session, caller.device_id, lock=lock)
    if till is None:
        raise Conflict("The till is closed. Open it with its float first.", code="till_closed")
    return till


def past_session(session: Session, *, caller: Caller, session_id: int) -> TillSession:
    """A session of this till's store, open or closed; another store's is not found
    (saying it exists would already tell too much)."""
    till = session.get(TillSession, session_id)
    if till is None or till.store_code != caller.store_code:
        raise NotFound("There is no such till session in this store.",
                       code="till_session_not_found")
    return till


def open_till(session: Session, *, caller: Caller, float_cents: int) -> TillSession:
    staff = caller.require_staff(action="open the till")
    if open_session_of(session, caller.device_id) is not None:
        raise Conflict("The till is already open.", code="till_open")
    till = TillSession(device_id=caller.device_id, store_code=caller.store_code,
                       float_cents=float_cents, opened_by=staff.staff_id, opened_at=utcnow())
    session.add(till)
    try:
        session.flush()
    except IntegrityError as exc:  # the other window won the race
        raise Conflict("The till is already open.", code="till_open") from exc
    emit(session, "till.opened", store=caller.store_code, subject=str(till.id),
         device_id=caller.device_id, float_cents=float_cents)
    return till


_sessions = cast(Table, TillSession.__table__)
_OPEN_SESSION_SHARED = (
    select(_sessions.c.id)
    .where(_sessions.c.device_id == bindparam("device"), _sessions.c.status == "open")
    .with_for_update(read=True, key_share=True))
"""The id of a till's open session, held as :func:`open_session_of` ``share`` holds it."""
_ADD_ENTRY = insert(cast(Table, TillEntry.__table__))


def shared_open_session_id(session: Session, device_id: int) -> int | None:
    """:func:`open_session_of` with ``share``, for the id alone (every sale asks)."""
    return session.scalar(_OPEN_SESSION_SHARED, {"device": device_id})


def record(session: Session, *, caller: Caller | None, kind: str, tender: str, amount_cents: int,
           reference: str, change_cents: int = 0, offline: bool = False) -> None:
    """Note a sale (positive) or refund (negative) taken at a till.

    A sale the till made while the core was out of reach is replayed later and
    is never refused: its receipt is already in the customer's hand.

    The entry is appended under a shared lock on the session (see
    :func:`open_session_of`): an exclusive one serialised every sale of a till
    until its commit, and nothing about a sale needs the others' totals, which
    the X/Z report adds up from the entries.
    """
    if caller is None or caller.device_kind is not DeviceKind.POS:
        return
    till_id = shared_open_session_id(session, caller.device_id)
    if till_id is None:
        if tender == Tender.CASH and not offline:
            raise Conflict("The till is closed: open it with its float before taking or "
                           "giving back cash.", code="till_closed")
        return
    # On the table, as every sale does it: nothing reads the entry back as an object.
    session.execute(_ADD_ENTRY, {
        "session_id": till_id, "kind": kind, "tender": tender, "amount_cents": amount_cents,
        "change_cents": change_cents, "reference": reference, "reason": "",
        "staff_id": caller.staff.staff_id if caller.staff else None, "at": utcnow()})


def move_cash(session: Session, *, caller: Caller, body: CashMovementIn) -> TillSession:
    staff = caller.require_staff(action="move cash in or out of the till")
    till = current(session, caller, lock=True)
    sign = 1 if body.kind == "in" else -1
    if sign < 0 and expected_cash(session, till) < body.amount_cents:
        raise Conflict("There is not that much cash in the drawer.", code="not_enough_cash")
    session.add(TillEntry(session_id=till.id, kind=body.kind, tender=Tender.CASH,
                          amount_cents=sign * body.amount_cents, reason=body.reason,
                          staff_id=staff.staff_id))
    emit(session, f"till.cash_{body.kind}", store=caller.store_code, subject=str(till.id),
         amount_cents=body.amount_cents, reason=body.reason)
    return till


def _entries(session: Session, till: TillSession) -> list[TillEntry]:
    return list(session.scalars(select(TillEntry).where(TillEntry.session_id == till.id)))


def expected_cash(session: Session, till: TillSession) -> int:
    return till.float_cents + sum(e.amount_cents for e in _entries(session, till)
                                  if e.tender == Tender.CASH)


def close_till(session: Session, *, caller: Caller, body: TillClose,
               settings: CoreSettings) -> TillSession:
    staff = caller.require_staff(action="close the till")
    till = open_session_of(session, caller.device_id, lock=True)
    if till is None:
        raise Conflict("The till is not open.", code="till_closed")
    expected = expected_cash(session, till)
    variance = body.counted_cents - expected
    approver = None
    if abs(variance) > settings.till_variance_approval_cents:
        approver = caller.approved_by(Role.SUPERVISOR)
        if approver is None:
            raise Conflict(
                f"The count is {variance / 100:+.2f} against the expected cash; "
                "a supervisor must approve closing with that difference (or count again).",
                code="variance_needs_supervisor", variance_cents=variance,
                expected_cents=expected)
    till.status, till.closed_at, till.closed_by = "closed", utcnow(), staff.staff_id
    till.expected_cents, till.counted_cents, till.variance_cents = expected, body.counted_cents, \
        variance
    till.approved_by = approver.staff_id if approver else None
    till.note = body.note
    emit(session, "till.closed", store=caller.store_code, subject=str(till.id),
         device_id=caller.device_id, expected_cents=expected, counted_cents=body.counted_cents,
         variance_cents=variance)
    audit.record(session, "till.closed", caller=caller, store=caller.store_code,
                 subject=str(till.id), approver=approver, expected_cents=expected,
                 counted_cents=body.counted_cents, variance_cents=variance)
    return till


def _name(session: Session, staff_id: int | None) -> str | None:
    staff = session.get(Staff, staff_id) if staff_id else None
    return staff.name if staff else None


def _totals(entries: list[TillEntry], kind: str) -> list[TenderTotal]:
    by: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in entries:
        if entry.kind == kind:
            by[entry.tender][0] += 1
            by[entry.tender][1] += abs(entry.amount_cents)
    return [TenderTotal(tender=t, count=c, amount_cents=a) for t, (c, a) in sorted(by.items())]


CREDIT_TENDERS = frozenset({Tender.STORE_CREDIT, Tender.GIFT_CARD})
"""Refunds to these are value the till issued rather than money handed back."""


def report(session: Session, till: TillSession, settings: CoreSettings) -> TillReport:
    entries = _entries(session, till)
    device = session.get(Device, till.device_id)
    sales, refunds = _totals(entries, "sale"), _totals(entries, "refund")
    issued = [e for e in entries if e.kind == "refund" and e.tender in CREDIT_TENDERS]
    return TillReport(
        kind="Z" if till.status == "closed" else "X", session_id=till.id,
        store=till.store_code, till=device.name if device else "",
        opened_at=till.opened_at, opened_by=_name(session, till.opened_by) or "",
        closed_at=till.closed_at, closed_by=_name(session, till.closed_by),
        approved_by=_name(session, till.approved_by), float_cents=till.float_cents,
        sales=sales, refunds=refunds,
        sales_cents=sum(t.amount_cents for t in sales),
        refunds_cents=sum(t.amount_cents for t in refunds),
        cash_in_cents=sum(e.amount_cents for e in entries if e.kind == "in"),
        cash_out_cents=-sum(e.amount_cents for e in entries if e.kind == "out"),
        expected_cash_cents=till.expected_cents if till.expected_cents is not None
        else expected_cash(session, till),
        counted_cents=till.counted_cents, variance_cents=till.variance_cents,
        store_credit_issued_cents=-sum(e.amount_cents for e in issued),
        store_credit_issued_count=len(issued),
        needs_supervisor_over_cents=settings.till_variance_approval_cents,
    )
