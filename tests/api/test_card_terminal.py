"""The card terminal is asked with no write transaction open, and what it says
about a refund counts (issue 16 item 5, issue 17 item 2).

A terminal waits seconds for a PIN; inside the write transaction it held
SQLite's single write lock, so every till of the chain waited on one shopper.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from core.app import create_app
from core.payments.gateway import GatewayResult, SimulatedTerminal
from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.enums import PaymentStatus
from shared.schemas.exchanges import ExchangeCreate
from shared.schemas.orders import LineIn, OrderCreate, PaymentIn, Transition
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from tests.api.helpers import key, set_stock, sign_in, some_sku
from tests.conftest import Seeded
from tests.support import make_settings


class ProbeTerminal(SimulatedTerminal):
    """Approves everything and notes, at each charge, whether a writer holds the
    database; ``refuse_refunds`` makes the terminal decline to give money back;
    ``meanwhile`` runs while the shopper types the PIN."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.free_at_charge: list[bool] = []
        self.refunds: list[str] = []
        self.refuse_refunds = False
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

    def refund(self, *, reference: str, amount_cents: int) -> GatewayResult:
        self.refunds.append(reference)
        if self.refuse_refunds:
            return GatewayResult(PaymentStatus.DECLINED, "", "The acquirer refused the refund.")
        return super().refund(reference=reference, amount_cents=amount_cents)


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


def test_a_refund_the_terminal_refuses_is_not_recorded(
    web_and_till: tuple[CommerceClient, CommerceClient, str], terminal: ProbeTerminal,
) -> None:
    _, till, sku = web_and_till
    order = till.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)], fulfilment="pickup", pickup_store="MI01",
        contact={"email": "a@example.it"}), key()))
    till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents)))
    terminal.refuse_refunds = True
    with pytest.raises(errors.PaymentFailed, match="refused the refund") as refused:
        till.call(Api.transition(order.number, Transition(to="cancelled")))
    assert refused.value.code == "card_refund_failed"
    after = till.call(Api.order(order.number))
    assert after.status == "paid" and after.payments[0].refunded_cents == 0


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
