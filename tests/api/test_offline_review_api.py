"""A refused offline sale resubmitted from the till's review list: the supervisor's
sign-in, valid now, takes it on; a cashier's cannot, nor a deactivated
supervisor's; and the tenders rule still holds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from core.auth.models import Staff
from core.db import Database
from core.orders.models import Order
from shared.client import Api, CommerceClient
from tests.api.helpers import key
from tests.api.test_offline_orders_api import _now, _post, _sale, _token


def _lapsed(till: CommerceClient) -> str:
    start = _now() - timedelta(hours=12)
    return _token(till, issued=start, expires=start + timedelta(hours=1))


def _resubmit(till: CommerceClient, body, idem: str, staff: str, approver: str):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {till.device_token}", "Idempotency-Key": idem,
               "X-Staff-Token": staff, "X-Approver-Token": approver}
    return till.http.post("/v1/orders", json=body.model_dump(mode="json", exclude_none=True),
                          headers=headers)


def test_a_supervisor_takes_on_a_refused_offline_sale(  # type: ignore[no-untyped-def]
    till: CommerceClient, supervisor: CommerceClient, sku: str, seeded
) -> None:
    price = till.call(Api.product(sku)).price_cents
    body, idem, staff = _sale(sku, price, number="CASSA1-41"), key(), _lapsed(till)
    refused = _post(till, body, idem, staff)
    assert refused.status_code == 401
    assert refused.json()["code"] == "staff_token_not_valid_then"
    # A cashier's sign-in now does not take it on.
    assert _resubmit(till, body, idem, staff, till.staff_token or "").status_code == 401
    taken = _resubmit(till, body, idem, staff, supervisor.staff_token or "")
    assert taken.status_code == 201, taken.text
    again = _resubmit(till, body, idem, staff, supervisor.staff_token or "")
    assert again.status_code == 200 and again.json()["number"] == taken.json()["number"]
    db = Database(seeded.url)
    try:
        with db.read() as session:
            who = session.scalar(select(Order.staff_id).where(
                Order.number == taken.json()["number"]))
    finally:
        db.dispose()
    boss = supervisor.call(Api.whoami()).staff
    assert boss is not None and who == boss.id  # they answer for it


def test_a_deactivated_supervisor_cannot_take_one_on(  # type: ignore[no-untyped-def]
    till: CommerceClient, supervisor: CommerceClient, sku: str, seeded
) -> None:
    boss = supervisor.call(Api.whoami()).staff
    assert boss is not None
    db = Database(seeded.url)
    try:
        with db.write() as session:
            session.execute(update(Staff).where(Staff.id == boss.id).values(active=False))
    finally:
        db.dispose()
    response = _resubmit(till, _sale(sku, 100), key(), _lapsed(till),
                         supervisor.staff_token or "")
    assert response.status_code == 401 and response.json()["code"] == "staff_inactive"


def test_taking_one_on_never_opens_the_core_only_tenders(  # type: ignore[no-untyped-def]
    till: CommerceClient, supervisor: CommerceClient, sku: str
) -> None:
    response = _resubmit(till, _sale(sku, 100, tender="gift_card"), key(), _lapsed(till),
                         supervisor.staff_token or "")
    assert response.status_code == 403 and response.json()["code"] == "tender_needs_core"
