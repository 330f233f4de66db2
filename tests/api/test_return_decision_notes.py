"""A supervisor's note on approving or rejecting a return is kept: it is why the
store took back (or refused) goods, and the next person to look needs it."""

from __future__ import annotations

from shared.client import Api, CommerceClient
from shared.schemas.orders import LineIn, OrderCreate, PaymentIn
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from tests.api.helpers import key, set_stock


def _big_request(till: CommerceClient, sku: str) -> str:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=30)]), key()))
    till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents)))
    ret = till.call(Api.create_return(ReturnCreate(
        order_number=order.number, lines=[ReturnLineIn(line_no=1, qty=30, reason="size")])))
    assert ret.status == "requested"
    return ret.number


def test_approval_and_rejection_notes_are_kept(  # type: ignore[no-untyped-def]
    seeded, sku: str, till: CommerceClient, supervisor: CommerceClient
) -> None:
    set_stock(seeded.url, "MI01", sku, 100)
    approved = supervisor.call(Api.approve_return(_big_request(till, sku),
                                                  note="Seams open, goodwill"))
    assert approved.decision_note == "Seams open, goodwill"
    assert till.call(Api.get_return(approved.number)).decision_note == "Seams open, goodwill"
    rejected = supervisor.call(Api.reject_return(_big_request(till, sku),
                                                 note="Worn, tags removed"))
    assert till.call(Api.get_return(rejected.number)).decision_note == "Worn, tags removed"
