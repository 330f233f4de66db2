"""Issue 11, audit: every refund, discount, approval, stock adjustment, transfer,
till close, unlock and revocation leaves a row naming who, on which device,
when; a manager reads the chain's, a supervisor their store's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app as cli
from core.auth import admin
from core.auth.models import Device
from core.db import Database
from core.timeutil import utcnow
from shared.client import Api, CommerceClient
from shared.schemas.orders import (
    AdjustmentIn,
    CartLineSet,
    LineIn,
    OrderCreate,
    PaymentIn,
    TransferCreate,
    TransferLineIn,
    Transition,
)
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from shared.schemas.tills import TillClose
from tests.api.helpers import key, sign_in
from tests.support import Seeded

CASHIER, SUPERVISOR, MANAGER = "Marco Bianchi", "Giulia Verdi", "Paolo Ferri"


def _headers(client: CommerceClient) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {client.device_token}"}
    if client.staff_token:
        headers["X-Staff-Token"] = client.staff_token
    return headers


def _audit(http: TestClient, client: CommerceClient, **params: Any) -> list[dict[str, Any]]:
    answer = http.get("/v1/audit", params=params, headers=_headers(client))
    assert answer.status_code == 200, answer.text
    return list(answer.json()["entries"])


def _one(entries: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [e for e in entries if e["kind"] == kind]
    assert len(found) == 1, (kind, [e["kind"] for e in entries])
    return found[0]


def _paid_sale(till: CommerceClient, sku: str) -> str:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
    till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents,
                                              card_token="approve")))
    return order.number


def test_each_audited_action_on_a_till_leaves_a_row(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, sku: str, till: CommerceClient, supervisor: CommerceClient
) -> None:
    started = utcnow() - timedelta(seconds=1)
    approver = supervisor.staff_token or ""
    # a return approved at the till (within the cashier's limits) and refunded
    number = _paid_sale(till, sku)
    ret = till.call(Api.create_return(ReturnCreate(
        order_number=number, lines=[ReturnLineIn(line_no=1, qty=1, reason="size")])))
    till.call(Api.refund_return(ret.number))
    # a discount over the cashier's limit, countersigned by the supervisor
    cart = till.call(Api.create_cart())
    till.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1, discount_percent=30))
              .approved_by(approver))
    # a part-paid sale cancelled: its tender goes back
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
    till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=100,
                                              card_token="approve")))
    till.call(Api.transition(order.number, Transition(to="cancelled", note="left")))
    # a count and a transfer by the supervisor; the transfer received in Rome
    supervisor.call(Api.adjust_stock(AdjustmentIn(location="MI01", sku=sku, reason="count",
                                                  qty=3, note="shelf count")))
    transfer = supervisor.call(Api.create_transfer(TransferCreate(
        from_location="MI01", to_location="RM01", lines=[TransferLineIn(sku=sku, qty=1)])))
    rome = sign_in(as_device("RM01", "pos"), "4111", open_till=False)
    rome.call(Api.receive_transfer(transfer.number))
    # the till closed 6.00 short, approved by the supervisor
    expected = till.call(Api.till_report()).expected_cash_cents
    till.call(Api.close_till(TillClose(counted_cents=expected - 600)).approved_by(approver))

    manager = sign_in(as_device("MI01", "pos"), "3333", open_till=False)
    entries = _audit(http, manager, since=started.isoformat())
    kinds = {e["kind"] for e in entries}
    assert {"return.approved", "return.refunded", "discount.given", "order.refunded",
            "stock.adjusted", "transfer.sent", "transfer.received", "till.closed"} <= kinds

    refunded = _one(entries, "return.refunded")
    assert (refunded["subject"], refunded["staff_name"], refunded["device_name"],
            refunded["store_code"]) == (ret.number, CASHIER, "MI01 pos", "MI01")
    assert refunded["detail"]["order"] == number and refunded["detail"]["refund_cents"] > 0
    assert datetime.fromisoformat(refunded["at"]) >= started
    assert _one(entries, "return.approved")["staff_name"] == CASHIER

    discount = _one(entries, "discount.given")
    assert (discount["staff_name"], discount["approver_name"]) == (CASHIER, SUPERVISOR)
    assert discount["detail"]["over_limit"] is True and discount["detail"]["percent"] == 30

    cancelled = _one(entries, "order.refunded")
    assert cancelled["subject"] == order.number and cancelled["detail"]["amount_cents"] == 100

    adjusted = _one(entries, "stock.adjusted")
    assert (adjusted["staff_name"], adjusted["subject"]) == (SUPERVISOR, sku)
    assert (adjusted["detail"]["on_hand_before"], adjusted["detail"]["on_hand_after"]) == (5, 3)

    sent, received = _one(entries, "transfer.sent"), _one(entries, "transfer.received")
    assert (sent["store_code"], sent["staff_name"], sent["detail"]["to"]) == (
        "MI01", SUPERVISOR, "RM01")
    assert (received["store_code"], received["staff_name"], received["device_name"]) == (
        "RM01", "Sara Conti", "RM01 pos")

    closed = _one(entries, "till.closed")
    assert (closed["staff_name"], closed["approver_name"]) == (CASHIER, SUPERVISOR)
    assert closed["detail"]["variance_cents"] == -600


def test_an_unlock_at_the_till_names_the_supervisor(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded: Seeded
) -> None:
    till = as_device("MI01", "pos")
    for _ in range(5):
        http.post("/v1/auth/staff", json={"pin": "0000"}, headers=_headers(till))
    answer = http.post("/v1/auth/unlock", json={"pin": "2222"}, headers=_headers(till))
    assert answer.status_code == 200, answer.text
    manager = sign_in(as_device("MI01", "pos"), "3333", open_till=False)
    unlocked = _one(_audit(http, manager, kind="device.unlocked"), "device.unlocked")
    assert (unlocked["staff_name"], unlocked["device_name"], unlocked["store_code"]) == (
        SUPERVISOR, "MI01 pos", "MI01")
    assert unlocked["detail"]["locks"] == ["pin"]


def test_who_may_read_the_audit(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded: Seeded, till: CommerceClient
) -> None:
    db = Database(seeded.url)
    try:
        with db.write() as session:
            for store in ("MI01", "RM01"):
                device = session.query(Device).filter_by(store_code=store, kind="kiosk").one()
                admin.unlock_device(session, device_id=device.id)
    finally:
        db.dispose()
    kiosk = as_device("MI01", "kiosk")
    assert http.get("/v1/audit", headers=_headers(kiosk)).status_code == 403
    assert http.get("/v1/audit", headers=_headers(as_device("MI01", "pos"))).status_code == 401
    refused = http.get("/v1/audit", headers=_headers(till))
    assert refused.status_code == 403 and refused.json()["code"] == "role_required"

    supervisor = sign_in(as_device("MI01", "pos"), "2222", open_till=False)
    assert {e["store_code"] for e in _audit(http, supervisor)} == {"MI01"}
    other = http.get("/v1/audit", params={"store": "RM01"}, headers=_headers(supervisor))
    assert other.status_code == 403 and other.json()["code"] == "other_store"

    manager = sign_in(as_device("MI01", "pos"), "3333", open_till=False)
    assert {e["store_code"] for e in _audit(http, manager)} == {"MI01", "RM01"}
    assert {e["store_code"] for e in _audit(http, manager, store="RM01")} == {"RM01"}
    assert all(e["actor"].startswith("command line") for e in _audit(http, manager))
    assert _audit(http, manager, kind="return.") == []
    assert _audit(http, manager, since=(utcnow() + timedelta(minutes=1)).isoformat()) == []
    naive = (utcnow() - timedelta(hours=1)).replace(tzinfo=None).isoformat()  # read as UTC
    assert len(_audit(http, manager, since=naive, until="2999-01-01T00:00:00")) == 2

    first = http.get("/v1/audit", params={"limit": 1}, headers=_headers(manager)).json()
    assert len(first["entries"]) == 1 and first["next_cursor"]
    second = http.get("/v1/audit", params={"limit": 1, "cursor": first["next_cursor"]},
                      headers=_headers(manager)).json()
    assert second["entries"][0]["id"] < first["entries"][0]["id"]
    assert second["next_cursor"] is None


def test_command_line_actions_are_audited_and_listed(
    seeded_sqlite: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNITILL_DATABASE_URL", seeded_sqlite.url)
    monkeypatch.setenv("OMNITILL_VAR_DIR", str(tmp_path))
    db = Database(seeded_sqlite.url)
    try:
        with db.read() as session:
            kiosk = session.query(Device).filter_by(store_code="MI01", kind="kiosk").one().id
    finally:
        db.dispose()
    runner = CliRunner()
    for args in (["device", "unlock", str(kiosk)], ["device", "revoke", str(kiosk)],
                 ["staff", "deactivate", "1"], ["staff", "set-pin", "2", "--pin", "2468"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output

    listing = runner.invoke(cli, ["audit"])
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert [line.split()[3] for line in lines] == [
        "staff.pin_changed", "staff.deactivated", "device.revoked", "device.unlocked"]
    assert all("command line" in line for line in lines)
    assert "MI01 kiosk" in lines[2]

    devices = runner.invoke(cli, ["audit", "--kind", "device.", "--store", "MI01"]).output
    assert len(devices.splitlines()) == 2
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert runner.invoke(cli, ["audit", "--since", later]).output == ""
    bad = runner.invoke(cli, ["audit", "--since", "yesterday"])
    assert bad.exit_code == 1 and "not a date" in bad.output
