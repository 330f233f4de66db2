"""Issue 15, item 6: staff at a till record what a shopper says about their mail
(``PATCH /v1/customers/{id}``): the language they are written in, or no mail at
all. Every change is in the audit trail with what it was before; a kiosk cannot,
and an erased customer stays erased."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.customers.models import Customer
from core.db import Database
from shared.client import Api, CommerceClient
from shared.errors import InvalidInput
from shared.schemas.returns import CustomerUpdate
from tests.api.helpers import sign_in
from tests.support import Seeded


def _headers(client: CommerceClient) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {client.device_token}"}
    return headers | ({"X-Staff-Token": client.staff_token} if client.staff_token else {})


def _rossi(url: str, customer_id: int | None = None) -> dict[str, Any]:
    """Giulia Rossi (of the demo; by id once erased) as the database holds her, with
    the audit trail of her mail."""
    db = Database(url)
    try:
        with db.read() as session:
            customer = session.get(Customer, customer_id) if customer_id else session.scalar(
                select(Customer).where(Customer.last_name == "Rossi",
                                       Customer.first_name == "Giulia"))
            assert customer is not None
            audit = session.scalars(select(AuditEntry).where(
                AuditEntry.kind == "customer.consent_changed").order_by(AuditEntry.id))
            return {"id": customer.id, "language": customer.language,
                    "no_mail": customer.no_mail,
                    "audit": [(a.subject, a.store_code, a.staff_name, a.device_name,
                               dict(a.detail)) for a in audit]}
    finally:
        db.dispose()


def test_a_cashier_records_the_language_and_no_mail_and_the_audit_keeps_before_and_after(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded: Seeded
) -> None:
    before = _rossi(seeded.url)
    assert (before["language"], before["no_mail"], before["audit"]) == (None, False, [])
    cashier = sign_in(as_device("MI01", "pos"), open_till=False)
    answer = http.patch(f"/v1/customers/{before['id']}", json={"language": "es",
                                                               "no_mail": True},
                        headers=_headers(cashier))
    assert answer.status_code == 200, answer.text
    assert (answer.json()["language"], answer.json()["no_mail"]) == ("es", True)
    assert answer.json()["name"] == "Giulia Rossi"
    shown = cashier.call(Api.customer(before["id"]))
    assert (shown.language, shown.no_mail) == ("es", True)
    # She wants mail again: only what is sent changes, the language stays.
    again = cashier.call(Api.update_customer(before["id"], CustomerUpdate(no_mail=False)))
    assert (again.language, again.no_mail) == ("es", False)
    after = _rossi(seeded.url)
    assert (after["language"], after["no_mail"]) == ("es", False)
    subject = f"customer {before['id']}"
    assert after["audit"] == [
        (subject, "MI01", "Marco Bianchi", "MI01 pos",
         {"language": [None, "es"], "no_mail": [False, True]}),
        (subject, "MI01", "Marco Bianchi", "MI01 pos", {"no_mail": [True, False]}),
    ]
    # Saying what is already so changes nothing and adds no audit row.
    cashier.call(Api.update_customer(before["id"], CustomerUpdate(language="es")))
    assert len(_rossi(seeded.url)["audit"]) == 2


def test_a_language_the_chain_does_not_write_in_is_refused_in_words(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded: Seeded
) -> None:
    before = _rossi(seeded.url)
    cashier = sign_in(as_device("MI01", "pos"), open_till=False)
    answer = http.patch(f"/v1/customers/{before['id']}", json={"language": "fr",
                                                               "no_mail": True},
                        headers=_headers(cashier))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["code"] == "invalid_input"
    assert problem["detail"] == ("language: We write to customers in Italiano (it), English "
                                 "(en) or Español (es); 'fr' is none of them.")
    assert _rossi(seeded.url) == before  # nothing half-done: no_mail is not set either
    with pytest.raises(InvalidInput, match="'fr' is none of them"):
        CustomerUpdate(language="fr")  # the till refuses it before sending, in the same words
    for body in ({"no_mail": 1}, {"language": 5}, {"email": "x@example.it"}):
        refused = http.patch(f"/v1/customers/{before['id']}", json=body,
                             headers=_headers(cashier))
        assert refused.status_code == 422, (body, refused.text)


def test_a_kiosk_the_web_shop_or_a_till_nobody_signed_into_may_not(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded: Seeded
) -> None:
    before = _rossi(seeded.url)
    for client, status in ((as_device("MI01", "kiosk"), 403), (as_device("WEB", "web"), 403),
                           (as_device("MI01", "pos"), 401)):
        answer = http.patch(f"/v1/customers/{before['id']}", json={"no_mail": True},
                            headers=_headers(client))
        assert answer.status_code == status, answer.text
    assert _rossi(seeded.url) == before


def test_an_erased_customer_cannot_be_changed(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded: Seeded
) -> None:
    before = _rossi(seeded.url)
    manager = sign_in(as_device("MI01", "pos"), "3333", open_till=False)
    assert http.post(f"/v1/customers/{before['id']}/erase",
                     headers=_headers(manager)).status_code == 200
    answer = http.patch(f"/v1/customers/{before['id']}", json={"language": "en"},
                        headers=_headers(manager))
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "customer_erased"
    assert "erased at their request" in answer.json()["detail"]
    assert _rossi(seeded.url, before["id"])["language"] is None
    missing = http.patch("/v1/customers/999999999", json={"language": "en"},
                         headers=_headers(manager))
    assert missing.status_code == 404 and missing.json()["code"] == "customer_not_found"
