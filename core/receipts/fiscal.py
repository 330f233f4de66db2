"""``POST /v1/orders/{number}/fiscal-document``: a till reports what its fiscal
printer (an Italian RT) printed for a sale.

The RT numbers its documents itself, so the core learns them from the till
after the paper is out. Recorded once: the same report again (a retry after a
lost answer) is accepted as it is; a different one is refused, because a sale
has one fiscal document and a refund must be able to name it. A sale the till
made offline is found by its offline number too: the RT printed it while the
core was out of reach, and the till reports it once the sale has been replayed.
"""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.deps import DbDep, SettingsDep, StaffDep
from core.events.service import emit
from core.orders import service, views
from core.orders.models import Order
from core.problems import Conflict, Forbidden, NotFound
from shared.schemas.enums import OrderStatus
from shared.schemas.fiscal import FiscalDocument
from shared.schemas.orders import OrderOut

router = APIRouter(prefix="/v1", tags=["orders"])


@router.post("/orders/{number}/fiscal-document", response_model=OrderOut,
             summary="Record the fiscal printer's (RT) document and closure numbers of a sale")
def record_fiscal_document(number: str, body: FiscalDocument, db: DbDep,
                           settings: SettingsDep, caller: StaffDep) -> OrderOut:
    with db.write() as session:
        order = _order(session, number, store=caller.store_code)
        if order.store_code != caller.store_code:
            raise Forbidden("That order was not sold in this store.", code="not_your_order")
        if order.status in (OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED):
            raise Conflict(f"Order {order.number} is not paid: the fiscal printer records a "
                           "sale once it is paid.", code="not_paid")
        recorded = views.fiscal_document(order)
        if recorded is not None and _same(recorded, body):
            return views.order_out(session, order, caller=caller, settings=settings)
        if recorded is not None:
            raise Conflict(
                f"Order {order.number} already has fiscal document "
                f"{recorded.closure_number:04d}-{recorded.document_number:04d} from RT "
                f"{recorded.serial}.", code="fiscal_document_recorded")
        _record(order, body)
        emit(session, "order.fiscal_recorded", store=order.store_code, subject=order.number,
             order=order.number)
        return views.order_out(session, order, caller=caller, settings=settings)


def _order(session: Session, number: str, *, store: str | None) -> Order:
    """The order by its number, or a sale this store's till made offline by the
    number its receipt (and its RT document) was printed with."""
    try:
        return service.get_order(session, number, lock=True)
    except NotFound:
        offline = session.scalar(select(Order).where(
            Order.offline_number == number, Order.store_code == store).with_for_update())
        if offline is None:
            raise
        return offline


def _same(recorded: FiscalDocument, body: FiscalDocument) -> bool:
    return (recorded.document_number, recorded.closure_number, recorded.serial) == (
        body.document_number, body.closure_number, body.serial)


def _record(order: Order, body: FiscalDocument) -> None:
    order.rt_document_number = body.document_number
    order.rt_closure_number = body.closure_number
    order.rt_serial = body.serial
    order.rt_printed_at = body.printed_at
