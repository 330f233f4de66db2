"""``GET /r/<code>``: the digital receipt page, open to anyone holding the link.

Not under ``/v1`` and not in the OpenAPI document: it is a web page for a
customer's browser, not part of the API. A code the core did not sign (forged,
altered, cut short) and an order that does not exist get the same 404 page, so
the answer never tells a guesser which order numbers exist.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from core import signing
from core.deps import DbDep, SettingsDep
from core.orders.models import Order
from core.payments.service import payments_of
from core.receipts.links import verified_number
from core.receipts.page import NOT_FOUND_PAGE, ReceiptPage, render
from core.returns.service import window_days
from core.stores.models import Location
from shared.codes import CodeKind

router = APIRouter(tags=["receipts"], include_in_schema=False)

HEADERS = {
    "Cache-Control": "private, max-age=300",
    "Referrer-Policy": "no-referrer",  # the link is the key: never hand it on
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    "X-Content-Type-Options": "nosniff",
}


@router.get("/r/{code}", response_class=HTMLResponse)
def receipt_page(code: str, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    secret = settings.resolved_secret
    number = verified_number(secret, code) if len(code) <= 80 else None
    with db.read() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one_or_none() \
            if number else None
        store = session.get(Location, order.store_code) if order else None
        if order is None or store is None:
            return HTMLResponse(NOT_FOUND_PAGE, status_code=404, headers=HEADERS)
        page = ReceiptPage(
            order=order, store=store, payments=payments_of(session, order),
            return_code=signing.signed_code(secret, CodeKind.RECEIPT, order.number),
            return_days=window_days(settings, store.kind))
        return HTMLResponse(render(page), headers=HEADERS)
