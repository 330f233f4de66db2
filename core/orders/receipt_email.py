"""A customer who wants the receipt by email instead of on paper.

Recorded on the order and announced as ``order.receipt_requested``: the mail is
sent by whatever mailer follows the event stream, so a slow mail server never
holds up the till.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.caller import Caller
from core.events.service import emit
from core.orders.models import Order
from core.orders.service import get_order
from core.problems import Forbidden
from core.receipts.links import receipt_url
from core.settings import CoreSettings


def request_receipt_email(session: Session, *, caller: Caller, number: str, email: str,
                          settings: CoreSettings) -> Order:
    order = get_order(session, number, lock=True)
    if order.store_code != caller.store_code:
        raise Forbidden("That order was not sold in this store.", code="not_your_order")
    order.receipt_email = email.lower()
    # No address in the event: the mailer reads it from the order with its own rights;
    # the link to the digital receipt page is what the mail carries.
    emit(session, "order.receipt_requested", store=order.store_code, subject=order.number,
         order=order.number, url=receipt_url(settings.public_url, settings.resolved_secret,
                                             order.number))
    return order
