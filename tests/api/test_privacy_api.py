"""Issue 15, item 7 (GDPR): a manager exports everything held about a customer
and erases the person, keeping the orders and the accounting; from the API and
from the command line; both audited, without the personal data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from cli.main import app as cli
from core.audit.models import AuditEntry
from core.customers.models import Customer
from core.db import Database
from core.loyalty.models import LoyaltyAccount, LoyaltyEntry
from core.orders.models import Order
from shared.client import CommerceClient
from tests.api.helpers import sign_in
from tests.support import Seeded


def _headers(client: CommerceClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.device_token}",
            "X-Staff-Token": client.staff_token or ""}


def _with_history(url: str) -> dict[str, Any]:
    """A demo customer with orders and points: their id and what the database holds."""
    db = Database(url)
    try:
        with db.read() as session:
            customer = session.scalars(
                select(Customer).join(LoyaltyAccount, LoyaltyAccount.customer_id == Customer.id)
                .where(LoyaltyAccount.balance > 0).order_by(Customer.id)).first()
            assert customer is not None
            return {
                "id": customer.id, "email": customer.email, "phone": customer.phone,
                "card": customer.loyalty_card, "last_name": customer.last_name,
                "balance": session.scalar(select(LoyaltyAccount.balance).where(
                    LoyaltyAccount.customer_id == customer.id)),
                "orders": session.scalar(select(func.count()).where(
                    Order.customer_id == customer.id)),
                "sales": session.scalar(select(func.sum(Order.total_cents)).where(
                    Order.customer_id == customer.id)),
                "entries": session.scalar(select(func.count()).where(
                    LoyaltyEntry.customer_id == customer.id)),
            }
    finally:
        db.dispose()


def _after_erasure(url: str, customer_id: int) -> dict[str, Any]:
    db = Database(url)
    try:
        with db.read() as session:
            customer = session.get(Customer, customer_id)
            assert customer is not None
            orders = list(session.scalars(select(Order).where(Order.customer_id == customer_id)))
            ledger = list(session.scalars(select(LoyaltyEntry).where(
                LoyaltyEntry.customer_id == customer_id).order_by(LoyaltyEntry.id)))
            audit = list(session.scalars(select(AuditEntry).where(
                AuditEntry.kind.startswith("customer.")).order_by(AuditEntry.id)))
            return {
                "customer": (customer.first_name, customer.last_name, customer.email,
                             customer.phone, customer.loyalty_card, customer.city),
                "orders": len(orders), "sales": sum(o.total_cents for o in orders),
                "contacts": {(o.contact_name, o.contact_email, o.contact_phone,
                              o.delivery_address, o.receipt_email) for o in orders},
                "balance": session.scalar(select(LoyaltyAccount.balance).where(
                    LoyaltyAccount.customer_id == customer_id)),
                "ledger_sum": sum(e.points for e in ledger), "last_entry": ledger[-1],
                "audit": [(a.kind, a.subject, a.staff_name or a.actor, dict(a.detail))
                          for a in audit],
            }
    finally:
        db.dispose()


def test_a_manager_exports_then_erases_a_customer(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded: Seeded
) -> None:
    before = _with_history(seeded.url)
    number = before["id"]
    manager = sign_in(as_device("MI01", "pos"), "3333", open_till=False)
    exported = http.get(f"/v1/customers/{number}/export", headers=_headers(manager))
    assert exported.status_code == 200, exported.text
    data = exported.json()
    assert data["profile"]["email"] == before["email"]
    assert data["profile"]["loyalty_card"] == before["card"]
    assert set(data["consents"]) == {"marketing", "email_receipts", "no_mail"}
    assert len(data["orders"]) == before["orders"]
    assert sum(o["total_cents"] for o in data["orders"]) == before["sales"]
    assert all(o["lines"] for o in data["orders"])
    assert data["loyalty"]["balance"] == before["balance"]
    assert len(data["loyalty"]["ledger"]) == before["entries"]
    assert sum(e["points"] for e in data["loyalty"]["ledger"]) == before["balance"]
    assert isinstance(data["returns"], list)

    erased = http.post(f"/v1/customers/{number}/erase", headers=_headers(manager))
    assert erased.status_code == 200, erased.text
    assert erased.json() == {"customer_id": number, "orders_kept": before["orders"],
                             "points_zeroed": before["balance"], "already_erased": False}
    after = _after_erasure(seeded.url, number)
    assert after["customer"] == ("Erased", "customer", None, None, None, "")
    assert (after["orders"], after["sales"]) == (before["orders"], before["sales"])
    assert after["contacts"] == {(None, None, None, None, None)}
    assert after["balance"] == 0 and after["ledger_sum"] == 0
    assert (after["last_entry"].kind, after["last_entry"].points) == ("adjust", -before["balance"])
    assert [(kind, subject, who) for kind, subject, who, _ in after["audit"]] == [
        ("customer.exported", f"customer {number}", "Paolo Ferri"),
        ("customer.erased", f"customer {number}", "Paolo Ferri")]
    assert before["email"] not in json.dumps([d for *_, d in after["audit"]])
    # nobody finds the person by what used to identify them
    found = http.get("/v1/customers", params={"q": before["email"]}, headers=_headers(manager))
    assert found.status_code == 200 and found.json() == []
    again = http.post(f"/v1/customers/{number}/erase", headers=_headers(manager)).json()
    assert (again["already_erased"], again["points_zeroed"]) == (True, 0)


def test_only_a_manager_may(as_device, http: TestClient, seeded: Seeded) -> None:  # type: ignore[no-untyped-def]
    supervisor = sign_in(as_device("MI01", "pos"), "2222", open_till=False)
    for method, action in (("GET", "export"), ("POST", "erase")):
        answer = http.request(method, f"/v1/customers/1/{action}", headers=_headers(supervisor))
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "role_required"
    manager = sign_in(as_device("MI01", "pos"), "3333", open_till=False)
    missing = http.get("/v1/customers/999999/export", headers=_headers(manager))
    assert missing.status_code == 404


@pytest.mark.usefixtures("seeded_sqlite")
def test_from_the_command_line(seeded_sqlite: Seeded, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OMNITILL_DATABASE_URL", seeded_sqlite.url)
    monkeypatch.setenv("OMNITILL_VAR_DIR", str(tmp_path))
    before = _with_history(seeded_sqlite.url)
    runner = CliRunner()
    target = tmp_path / "customer.json"
    result = runner.invoke(cli, ["customers", "export", str(before["id"]), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text())["profile"]["email"] == before["email"]
    refused = runner.invoke(cli, ["customers", "erase", str(before["id"])], input="n\n")
    assert refused.exit_code == 1
    assert _after_erasure(seeded_sqlite.url, before["id"])["customer"][2] == before["email"]
    result = runner.invoke(cli, ["customers", "erase", str(before["id"]), "--yes"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"erased customer {before['id']}: {before['orders']} orders")
    after = _after_erasure(seeded_sqlite.url, before["id"])
    assert after["customer"][:3] == ("Erased", "customer", None)
    assert [(kind, who.startswith("command line")) for kind, _, who, _ in after["audit"]] == [
        ("customer.exported", True), ("customer.erased", True)]
    missing = runner.invoke(cli, ["customers", "export", "999999"])
    assert missing.exit_code == 1
