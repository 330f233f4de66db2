"""The card terminal is asked with no write transaction open, and what it says
about a refund counts (issue 16 item 5, issue 17 item 2).

A terminal waits seconds for a PIN; inside the write transaction it held
SQLite's single write lock, so every till of the chain waited on one shopper.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from core.app import create_app, run_sweep
from core.audit.models import AuditEntry
from core.db import Database
from core.payments.gateway import GatewayResult, SimulatedTerminal
from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.enums import PaymentStatus
from shared.schemas.exchanges import ExchangeCreate
from shared.schemas.orders import LineIn, OrderCreate, OrderOut, PaymentIn, Transition
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from tests.api.helpers import key, set_stock, sign_in, some_sku
from tests.conftest import Seeded
from tests.support import make_settings


class ProbeTerminal(SimulatedTerminal):
    """Approves everything and notes, at each charge and refund, whether a writer
    holds the database; ``refuse_refunds`` makes the terminal decline to give money
    back; ``lose_answers`` gives it back but loses the answer on the way (the
    terminal's line drops); ``meanwhile`` runs while the shopper types the PIN.
    ``refunds`` lists each time money really went back."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.free_at_charge: list[bool] = []
        self.free_at_refund: list[bool] = []
        self.refunds: list[str] = []
        self.keys: list[str | None] = []
        self.refuse_refunds = False
        self.lose_answers = 0
        self.meanwhile: list[str] = []

    def _database_is_free(self) -> bool:
        probe = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            probe.close()

    def charge(self, *, amount_cents: int, order_number: str,
               card_token: str | None) -> GatewayResult:
        self.free_at_charge.append(self._database_is_free())
        for sql in self.meanwhile:
            with sqlite3.connect(self.path, timeout=5) as other:
                other.execute(sql, {"number": order_number})
        return super().charge(amount_cents=amount_cents, order_number=order_number,
                              card_token="approve")

    def refund(self, *, reference: str, amount_cents: int,
               idempotency_key: str | None = None) -> GatewayResult:
        self.free_at_refund.append(self._database_is_free())
        self.keys.append(idempotency_key)
        result = super().refund(reference=reference, amount_cents=amount_cents,
                                idempotency_key=idempotency_key)
        if self.lose_answers:
            self.lose_answers -= 1
            raise TimeoutError("the terminal's line dropped")
        return result

    def give_back(self, *, reference: str, amount_cents: int) -> GatewayResult:
        if self.refuse_refunds:
            return GatewayResult(PaymentStatus.DECLINED, "", "The acquirer refused the refund.")
        self.refunds.append(reference)
        return super().give_back(reference=reference, amount_cents=amount_cents)


@pytest.fixture
def terminal(seeded_sqlite: Seeded) -> ProbeTerminal:
    return ProbeTerminal(Path(seeded_sqlite.url.removeprefix("sqlite:///")))


@pytest.fixture
def probe_app(seeded_sqlite: Seeded, tmp_path: Path, terminal: ProbeTerminal) -> Iterator[FastAPI]:
    yield create_app(make_settings(seeded_sqlite.url, tmp_path), gateway=terminal)


@pytest.fixture
def web_and_till(probe_app: FastAPI, seeded_sqlite: Seeded
                 ) -> Iterator[tuple[CommerceClient, CommerceClient, str]]:
    with TestClient(probe_app, raise_server_exceptions=False) as http:
        web = CommerceClient("http://testserver", seeded_sqlite.tokens["WEB"]["web"], http=http)
        till = sign_in(CommerceClient("http://testserver", seeded_sqlite.tokens["MI01"]["pos"],
                                      http=http))
        sku = some_sku(till, 3)
        for location in ("MI01", "WH01"):
            set_stock(seeded_sqlite.url, location, sku, 5)
        yield web, till, sku


def test_a_card_is_charged_with_no_write_transaction_open(
    web_and_till: tuple[CommerceClient, CommerceClient, str], terminal: ProbeTerminal,
) -> None:
    web, till, sku = web_and_till
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
    paid = till.call(Api.pay(order.number, PaymentIn(tender="card",
                                                     amount_cents=order.total_cents)))
    assert paid.status == "completed"
    sale = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)], payments=[
        PaymentIn(tender="cash", amount_cents=100),
        PaymentIn(tender="card", amount_cents=order.total_cents - 100)]), key()))
    assert sale.status == "completed"
    assert [p.tender for p in sale.payments] == ["cash", "card"]
    web_order = web.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)], fulfilment="delivery",
        delivery_address="Via Roma 1, 20121 Milano", contact={"email": "a@example.it"},
        payments=[PaymentIn(tender="card", amount_cents=order.total_cents)]), key()))
    assert web_order.status == "paid"
    assert terminal.free_at_charge == [True, True, True]


def test_a_charge_the_order_can_no_longer_take_is_given_back(
    web_and_till: tuple[CommerceClient, CommerceClient, str], terminal: ProbeTerminal,
) -> None:
    _, till, sku = web_and_till
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
    # Another till cancels the sale while this shopper types the PIN.
    terminal.meanwhile = ["UPDATE orders SET status = 'cancelled' WHERE number = :number"]
    with pytest.raises(errors.Conflict) as refused:
        till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents)))
    assert refused.value.code == "order_cancelled"
    assert len(terminal.refunds) == 1
    assert till.call(Api.order(order.number)).payments == []


def test_a_charge_given_back_that_the_terminal_refuses_stays_owed(
    web_and_till: tuple[CommerceClient, CommerceClient, str], terminal: ProbeTerminal,
    probe_app: FastAPI, seeded_sqlite: Seeded,
) -> None:
    """The charge nobody kept is written down before the terminal is asked, so a
    refund it declines is owed in the audit trail, and the sweep gives it back
    later under the same idempotency key."""
    _, till, sku = web_and_till
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
    terminal.meanwhile = ["UPDATE orders SET status = 'cancelled' WHERE number = :number"]
    terminal.refuse_refunds = True
    with pytest.raises(errors.Conflict):
        till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents)))
    assert terminal.refunds == []
    [entry] = _unrecorded(seeded_sqlite.url, order.number)
    assert entry["amount_cents"] == order.total_cents and entry["answer"] == "declined"
    terminal.refuse_refunds = False
    run_sweep(probe_app.state.db, probe_app.state.settings, terminal)
    assert len(terminal.refunds) == 1
    assert terminal.keys[0] is not None and terminal.keys == [terminal.keys[0]] * 2
    run_sweep(probe_app.state.db, probe_app.state.settings, terminal)
    assert len(terminal.refunds) == 1, "a refund given is never asked again"


def test_a_charge_whose_transaction_fails_is_given_back(
    web_and_till: tuple[CommerceClient, CommerceClient, str], terminal: ProbeTerminal,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not only a refusal of the order: a database that fails while the charge is
    recorded (here: the write raises) gives the money back too."""
    _, till, sku = web_and_till
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("core.orders.paying.payments.take_payment", broken)
    with pytest.raises(errors.CommerceError):
        till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents)))
    monkeypatch.undo()
    assert len(terminal.refunds) == 1
    assert till.call(Api.order(order.number)).payments == []


def _paid_pickup(till: CommerceClient, sku: str) -> OrderOut:
    order = till.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)], fulfilment="pickup", pickup_store="MI01",
        contact={"email": "a@example.it"}), key()))
    return till.call(Api.pay(order.number, PaymentIn(tender="card",
                                                     amount_cents=order.total_cents)))


def _unrecorded(url: str, subject: str) -> list[dict[str, Any]]:
    with Database(url) as db, db.read() as session:
        return [entry.detail for entry in session.scalars(select(AuditEntry).where(
            AuditEntry.kind == "card.refund_unrecorded", AuditEntry.subject == subject))]


def test_a_refund_the_terminal_refuses_stays_owed_in_plain_sight(
    web_and_till: tuple[CommerceClient, CommerceClient, str], terminal: ProbeTerminal,
    seeded_sqlite: Seeded, probe_app: FastAPI,
) -> None:
    """The order is cancelled and its goods go back; the card part the terminal
    declined is pending on the order and in the audit, and the sweep asks again."""
    _, till, sku = web_and_till
    order = _paid_pickup(till, sku)
    terminal.refuse_refunds = True
    cancelled = till.call(Api.transition(order.number, Transition(to="cancelled")))
    assert cancelled.status == "cancelled"
    assert cancelled.card_refund_pending_cents == order.total_cents
    assert terminal.refunds == []
    [entry] = _unrecorded(seeded_sqlite.url, order.number)
    assert entry["amount_cents"] == order.total_cents and entry["answer"] == "declined"
    assert "refused the refund" in entry["message"]
    run_sweep(probe_app.state.db, probe_app.state.settings, terminal)  # refused again
    assert till.call(Api.order(order.number)).card_refund_pending_cents == order.total_cents
    assert len(_unrecorded(seeded_sqlite.url, order.number)) == 1  # said once, not each retry
    terminal.refuse_refunds = False
    run_sweep(probe_app.state.db, probe_app.state.settings, terminal)
    assert terminal.refunds == [order.payments[0].reference]
    assert till.call(Api.order(order.number)).card_refund_pending_cents == 0
    run_sweep(probe_app.state.db, probe_app.state.settings, terminal)
    assert len(terminal.refunds) == 1


def test_a_refund_whose_answer_is_lost_is_not_made_twice(
    web_and_till: tuple[CommerceClient, CommerceClient, str], terminal: ProbeTerminal,
    seeded_sqlite: Seeded, probe_app: FastAPI,
) -> None:
    """The terminal gives the money back but its answer never arrives: the refund
    stays pending, and asking again with the same key does not refund twice."""
    _, till, sku = web_and_till
    order = _paid_pickup(till, sku)
    terminal.lose_answers = 1
    cancelled = till.call(Api.transition(order.number, Transition(to="cancelled")))
    assert cancelled.card_refund_pending_cents == order.total_cents
    assert _unrecorded(seeded_sqlite.url, order.number)[0]["answer"] == "timeout"
    run_sweep(probe_app.state.db, probe_app.state.settings, terminal)
    assert len(terminal.refunds) == 1  # once, though asked twice
    assert len(terminal.keys) == 2 and terminal.keys[0] == terminal.keys[1] is not None
    assert till.call(Api.order(order.number)).card_refund_pending_cents == 0


def test_card_refunds_are_asked_with_no_write_transaction_open(
    web_and_till: tuple[CommerceClient, CommerceClient, str], terminal: ProbeTerminal,
    seeded_sqlite: Seeded,
) -> None:
    """A cancelled order, a returned sale and an exchange for something cheaper:
    each card refund reaches the terminal with the database free to write."""
    _, till, sku = web_and_till
    cancelled = _paid_pickup(till, sku)
    till.call(Api.transition(cancelled.number, Transition(to="cancelled")))
    products = till.call(Api.products(limit=50)).items
    price = next(p.price_cents for p in products if p.sku == sku)
    cheaper = min(products, key=lambda p: p.price_cents)
    assert cheaper.price_cents < price
    set_stock(seeded_sqlite.url, "MI01", cheaper.sku, 5)
    sale = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=2)], payments=[
        PaymentIn(tender="card", amount_cents=2 * price)]), key()))
    ret = till.call(Api.create_return(ReturnCreate(
        order_number=sale.number, lines=[ReturnLineIn(line_no=1, qty=1, reason="size")])))
    refunded = till.call(Api.refund_return(ret.number))
    assert [r.tender for r in refunded.refunds] == ["card"]
    assert refunded.card_refund_pending_cents == 0
    again = till.call(Api.create_return(ReturnCreate(
        order_number=sale.number, lines=[ReturnLineIn(line_no=1, qty=1, reason="colour")])))
    swapped = till.call(Api.exchange(again.number, ExchangeCreate(
        lines=[LineIn(sku=cheaper.sku, qty=1)]), key()))
    assert swapped.difference_cents < 0 and [r.tender for r in swapped.refunds] == ["card"]
    assert len(terminal.refunds) == 3
    assert terminal.free_at_refund == [True, True, True]


def test_an_exchange_charges_the_difference_with_no_write_transaction_open(
    web_and_till: tuple[CommerceClient, CommerceClient, str], terminal: ProbeTerminal,
    seeded_sqlite: Seeded,
) -> None:
    """A shopper swaps a cheap item for a dearer one and pays the difference by card:
    the terminal is asked before the exchange's transaction, and when the exchange
    is then refused (another till rejected the return meanwhile) the charge is given
    back."""
    _, till, cheap = web_and_till
    products = till.call(Api.products(limit=50)).items
    dear = max(products, key=lambda p: p.price_cents)
    cheap_price = next(p.price_cents for p in products if p.sku == cheap)
    assert dear.price_cents > cheap_price
    set_stock(seeded_sqlite.url, "MI01", dear.sku, 5)
    sale = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=cheap, qty=1)], payments=[
        PaymentIn(tender="cash", amount_cents=cheap_price)]), key()))
    ret = till.call(Api.create_return(ReturnCreate(
        order_number=sale.number, lines=[ReturnLineIn(line_no=1, qty=1, reason="size")])))
    difference = dear.price_cents - cheap_price
    swap = ExchangeCreate(lines=[LineIn(sku=dear.sku, qty=1)],
                          payments=[PaymentIn(tender="card", amount_cents=difference)])
    # A supervisor at another till rejects the return while the shopper types the PIN.
    terminal.meanwhile = ["UPDATE returns SET status = 'rejected' WHERE number = :number"]
    with pytest.raises(errors.Conflict) as refused:
        till.call(Api.exchange(ret.number, swap, key()))
    assert refused.value.code == "not_approved"
    assert terminal.free_at_charge == [True]
    assert len(terminal.refunds) == 1  # the charge went back: nothing of the exchange was kept
    terminal.meanwhile = []
    again = till.call(Api.create_return(ReturnCreate(
        order_number=sale.number, lines=[ReturnLineIn(line_no=1, qty=1, reason="size")])))
    done = till.call(Api.exchange(again.number, swap, key()))
    assert done.order.status == "completed" and done.difference_cents == difference
    assert terminal.free_at_charge == [True, True] and len(terminal.refunds) == 1
