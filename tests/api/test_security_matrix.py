"""Issue 11, the authorization matrix: every endpoint of the core, called as each
kind of caller, answers the status written here, on SQLite and PostgreSQL.

The endpoint list is read from the app's routes: a new endpoint without a row
fails :func:`test_every_endpoint_has_a_row`. The README's "Who may call what"
table is this matrix.

Callers, in the columns' order: nobody (no token), the MI01 kiosk, the web shop,
the MI01 till with nobody signed in, its cashier, supervisor and manager, and
the RM01 till with its own cashier signed in (another store's till).

Calls that change something aim at what does not exist, or carry a body the
business rules refuse, so one caller's call never changes what the next one
sees: then a ``404``, ``409`` or ``422`` in the table means *let through the
access checks*, a ``401`` or ``403`` means *refused by them*. Reads aim at real
MI01 things (a till sale, a kiosk order, a customer, a till session), so the
store boundary shows: the other store's till gets ``403`` (or ``404``, where
saying that something exists would already tell too much).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import BaseRoute, Route

from core import signing
from core.app import create_app
from core.customers.models import Customer
from core.db import Database
from core.payments.models import StoreCreditAccount
from shared.client import Api, CommerceClient
from shared.codes import CodeKind
from shared.schemas.orders import Contact, LineIn, OrderCreate, PaymentIn
from tests.api.helpers import key, set_stock, some_sku
from tests.support import SECRET, Seeded, make_settings

CALLERS = ("none", "kiosk", "web", "till", "cashier", "supervisor", "manager", "other")


@dataclass
class World:
    """What the calls aim at, made once per database."""

    headers: dict[str, dict[str, str]]
    sku: str
    sale: str
    sale_receipt: str
    kiosk_order: str
    kiosk_cart: str
    till_cart: str
    customer_id: int
    loyalty_code: str
    credit_card: str
    till_session: int
    pickup_code: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    expected: str
    """Eight statuses, one per caller in :data:`CALLERS`."""
    url: Callable[[World], str]
    json: Callable[[World], Any] | None = None
    params: Callable[[World], dict[str, Any]] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def statuses(self) -> dict[str, int]:
        codes = self.expected.split()
        assert len(codes) == len(CALLERS), (self.method, self.path)
        return dict(zip(CALLERS, map(int, codes), strict=True))


def row(method: str, path: str, expected: str, *, url: Callable[[World], str] | None = None,
        json: Callable[[World], Any] | None = None,
        params: Callable[[World], dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None) -> Row:
    return Row(method, path, expected, url or (lambda w: path), json, params, headers or {})


NO_SUCH_RETURN = "R-MI01-999999"
NO_SUCH_CART = "no-such-cart"

#                                                      none kiosk web till cash sup  man  other
MATRIX: list[Row] = [
    row("GET", "/v1/health", "200 200 200 200 200 200 200 200"),
    row("GET", "/v1/health/ready", "200 200 200 200 200 200 200 200"),
    row("GET", "/v1/stores", "401 200 200 200 200 200 200 200"),
    row("GET", "/v1/categories", "401 200 200 200 200 200 200 200"),
    row("GET", "/v1/products", "401 200 200 200 200 200 200 200"),
    row("GET", "/v1/products/{sku}", "401 200 200 200 200 200 200 200",
        url=lambda w: f"/v1/products/{w.sku}"),
    row("GET", "/v1/products/{sku}/availability", "401 200 200 200 200 200 200 200",
        url=lambda w: f"/v1/products/{w.sku}/availability"),
    row("POST", "/v1/scan", "401 200 200 200 200 200 200 200",
        json=lambda w: {"code": f"OT1:P:{w.sku}"}),
    row("POST", "/v1/scan (`?include=product`)", "401 200 200 200 200 200 200 200",
        url=lambda w: "/v1/scan", json=lambda w: {"code": f"OT1:P:{w.sku}"},
        params=lambda w: {"include": "product"}),
    row("POST", "/v1/auth/staff", "401 403 403 200 200 200 200 401",
        json=lambda w: {"pin": "3333"}),
    row("POST", "/v1/auth/unlock", "401 403 403 200 200 200 200 401",
        json=lambda w: {"pin": "2222"}),
    row("GET", "/v1/auth/whoami", "401 200 200 200 200 200 200 200"),
    row("GET", "/v1/auth/devices", "401 403 403 401 200 200 200 200"),
    row("POST", "/v1/carts", "401 201 422 201 201 201 201 201", json=lambda w: {}),
    row("GET", "/v1/carts", "401 403 403 200 200 200 200 200"),
    row("GET", "/v1/carts/{cart_id} (a till's)", "401 403 403 200 200 200 200 403",
        url=lambda w: f"/v1/carts/{w.till_cart}"),
    row("GET", "/v1/carts/{cart_id}", "401 200 403 401 200 200 200 403",
        url=lambda w: f"/v1/carts/{w.kiosk_cart}"),
    row("POST", "/v1/carts/{cart_id}/lines", "401 403 403 200 200 200 200 403",
        url=lambda w: f"/v1/carts/{w.till_cart}/lines",
        json=lambda w: {"sku": w.sku, "qty": 1}),
    row("PUT", "/v1/carts/{cart_id}/customer", "401 403 403 401 404 404 404 404",
        url=lambda w: f"/v1/carts/{NO_SUCH_CART}/customer",
        json=lambda w: {"customer_id": w.customer_id}),
    row("PUT", "/v1/carts/{cart_id}/loyalty", "401 404 404 404 404 404 404 404",
        url=lambda w: f"/v1/carts/{NO_SUCH_CART}/loyalty",
        json=lambda w: {"code": w.loyalty_code}),
    row("POST", "/v1/carts/{cart_id}/handoff", "401 404 404 404 404 404 404 404",
        url=lambda w: f"/v1/carts/{NO_SUCH_CART}/handoff"),
    row("POST", "/v1/carts/{cart_id}/park", "401 403 403 404 404 404 404 404",
        url=lambda w: f"/v1/carts/{NO_SUCH_CART}/park", json=lambda w: {"label": "x"}),
    row("POST", "/v1/carts/{cart_id}/recall", "401 403 403 401 404 404 404 404",
        url=lambda w: f"/v1/carts/{NO_SUCH_CART}/recall"),
    row("DELETE", "/v1/carts/{cart_id}", "401 404 404 404 404 404 404 404",
        url=lambda w: f"/v1/carts/{NO_SUCH_CART}"),
    row("POST", "/v1/orders", "401 422 422 422 422 422 422 422",
        json=lambda w: {"lines": []}, headers={"Idempotency-Key": "matrix-empty-order"}),
    row("GET", "/v1/orders/open", "401 403 403 401 200 200 200 200"),
    row("GET", "/v1/orders/{number}", "401 403 403 200 200 200 200 200",
        url=lambda w: f"/v1/orders/{w.sale}"),
    row("GET", "/v1/orders/{number} (a kiosk's own)", "401 200 403 200 200 200 200 200",
        url=lambda w: f"/v1/orders/{w.kiosk_order}"),
    row("GET", "/v1/receipts/{code}", "401 200 200 200 200 200 200 200",
        url=lambda w: f"/v1/receipts/{w.sale_receipt}"),
    row("POST", "/v1/orders/{number}/payments", "401 404 404 401 404 404 404 404",
        url=lambda w: "/v1/orders/MI01-999999/payments",
        json=lambda w: {"tender": "cash", "amount_cents": 100}),
    row("POST", "/v1/orders/{number}/receipt-email", "401 403 403 401 404 404 404 404",
        url=lambda w: "/v1/orders/MI01-999999/receipt-email",
        json=lambda w: {"email": "x@example.it"}),
    row("POST", "/v1/orders/{number}/transitions", "401 403 403 401 404 404 404 404",
        url=lambda w: "/v1/orders/MI01-999999/transitions", json=lambda w: {"to": "picking"}),
    row("POST", "/v1/orders/{number}/pick", "401 403 403 401 404 404 404 404",
        url=lambda w: "/v1/orders/MI01-999999/pick", json=lambda w: {"lines": []}),
    row("POST", "/v1/orders/{number}/collect", "401 403 403 401 404 404 404 404",
        url=lambda w: "/v1/orders/MI01-999999/collect", json=lambda w: {"last_name": "x"}),
    row("POST", "/v1/orders/{number}/fiscal-document", "401 403 403 401 422 422 422 422",
        url=lambda w: f"/v1/orders/{w.sale}/fiscal-document", json=lambda w: {}),
    row("GET", "/v1/stores/{code}/pickups", "401 403 403 401 200 200 200 403",
        url=lambda w: "/v1/stores/MI01/pickups"),
    row("POST", "/v1/pickups/check-in", "401 422 422 422 422 422 422 422",
        json=lambda w: {}),
    row("GET", "/v1/stock/{location}/{sku}", "401 200 200 200 200 200 200 200",
        url=lambda w: f"/v1/stock/MI01/{w.sku}"),
    row("POST", "/v1/stock/adjustments", "401 403 403 401 403 200 200 403",
        json=lambda w: {"location": "MI01", "sku": w.sku, "reason": "receipt", "qty": 1}),
    row("POST", "/v1/stock/transfers", "401 403 403 401 403 201 201 403",
        json=lambda w: {"from_location": "MI01", "to_location": "WH01",
                        "lines": [{"sku": w.sku, "qty": 1}]}),
    row("POST", "/v1/stock/transfers/{number}/receive", "401 403 403 401 404 404 404 404",
        url=lambda w: "/v1/stock/transfers/T-999999/receive"),
    row("GET", "/v1/events/recent", "401 200 200 200 200 200 200 200"),
    row("GET", "/v1/events", "401 422 422 422 422 422 422 422",  # (a stream never ends)
        headers={"Last-Event-ID": "not-a-number"}),
    row("POST", "/v1/returns", "401 404 403 401 404 404 404 404",
        json=lambda w: {"order_number": "MI01-999999", "buyer": "Rossi",
                        "lines": [{"line_no": 1, "qty": 1, "reason": "size"}]}),
    row("GET", "/v1/returns", "401 403 403 401 200 200 200 200"),
    row("GET", "/v1/returns/{number}", "401 403 403 401 404 404 404 404",
        url=lambda w: f"/v1/returns/{NO_SUCH_RETURN}"),
    row("POST", "/v1/returns/{number}/approve", "401 403 403 401 404 404 404 404",
        url=lambda w: f"/v1/returns/{NO_SUCH_RETURN}/approve", json=lambda w: {}),
    row("POST", "/v1/returns/{number}/reject", "401 403 403 401 404 404 404 404",
        url=lambda w: f"/v1/returns/{NO_SUCH_RETURN}/reject", json=lambda w: {}),
    row("POST", "/v1/returns/{number}/refund", "401 403 403 401 404 404 404 404",
        url=lambda w: f"/v1/returns/{NO_SUCH_RETURN}/refund"),
    row("POST", "/v1/returns/{number}/exchange", "401 403 403 401 422 422 422 422",
        url=lambda w: f"/v1/returns/{NO_SUCH_RETURN}/exchange",
        json=lambda w: {"lines": [{"sku": w.sku, "qty": 1}]}),
    row("GET", "/v1/customers", "401 403 403 401 200 200 200 200",
        params=lambda w: {"q": "rossi"}),
    row("GET", "/v1/customers/{customer_id}", "401 403 403 401 200 200 200 200",
        url=lambda w: f"/v1/customers/{w.customer_id}"),
    row("PATCH", "/v1/customers/{customer_id}", "401 403 403 401 422 422 422 422",
        url=lambda w: f"/v1/customers/{w.customer_id}", json=lambda w: {"language": "fr"}),
    row("GET", "/v1/customers/{customer_id}/orders", "401 403 403 401 200 200 200 200",
        url=lambda w: f"/v1/customers/{w.customer_id}/orders"),
    row("GET", "/v1/customers/{customer_id}/loyalty", "401 403 403 401 200 200 200 200",
        url=lambda w: f"/v1/customers/{w.customer_id}/loyalty"),
    row("GET", "/v1/loyalty/cards/{code}", "401 200 200 200 200 200 200 200",
        url=lambda w: f"/v1/loyalty/cards/{w.loyalty_code}"),
    row("GET", "/v1/credit/{card_number}", "401 403 403 200 200 200 200 200",
        url=lambda w: f"/v1/credit/{w.credit_card}"),
    row("POST", "/v1/giftcards/balance", "401 422 422 422 422 422 422 422",
        json=lambda w: {}),
    row("GET", "/v1/till", "401 403 403 401 200 200 200 409"),
    row("POST", "/v1/till/open", "401 403 403 401 422 422 422 422",
        json=lambda w: {"float_cents": -1}),
    row("POST", "/v1/till/movements", "401 403 403 401 422 422 422 422",
        json=lambda w: {"kind": "in", "amount_cents": 0, "reason": "x"}),
    row("POST", "/v1/till/close", "401 403 403 401 422 422 422 422",
        json=lambda w: {"counted_cents": -1}),
    row("GET", "/v1/till/sessions/{session_id}", "401 403 403 401 200 200 200 404",
        url=lambda w: f"/v1/till/sessions/{w.till_session}"),
    row("GET", "/v1/audit", "401 403 403 401 403 200 200 403"),
    row("GET", "/v1/reports/kpis", "401 403 403 401 403 200 200 403"),
    row("GET", "/v1/customers/{customer_id}/export", "401 403 403 401 403 403 200 403",
        url=lambda w: f"/v1/customers/{w.customer_id}/export"),
    row("POST", "/v1/customers/{customer_id}/erase (no such customer)",
        "401 403 403 401 403 403 404 403", url=lambda w: "/v1/customers/999999999/erase"),
    row("GET", "/v1/webhooks", "401 403 403 401 403 403 200 403"),
    row("POST", "/v1/webhooks", "401 403 403 401 403 403 422 403",
        json=lambda w: {"url": "ftp://crm.example.com/hook", "events": ["*"]}),
    row("DELETE", "/v1/webhooks/{webhook_id}", "401 403 403 401 403 403 404 403",
        url=lambda w: "/v1/webhooks/999999"),
    row("POST", "/v1/webhooks/{webhook_id}/replay", "401 403 403 401 403 403 404 403",
        url=lambda w: "/v1/webhooks/999999/replay", json=lambda w: {"seq": 1}),
    row("GET", "/v1/webhooks/deliveries", "401 403 403 401 403 403 200 403"),
    row("POST", "/v1/webhooks/deliveries/{delivery_id}/replay",
        "401 403 403 401 403 403 404 403", url=lambda w: "/v1/webhooks/deliveries/999999/replay"),
    row("POST", "/v1/imports/{kind}", "401 403 403 401 403 403 422 403",
        url=lambda w: "/v1/imports/prices",
        json=lambda w: [{"sku": "NO-SUCH-SKU", "price_cents": 100}]),
    row("GET", "/r/{code}", "404 404 404 404 404 404 404 404",
        url=lambda w: "/r/NOT-A-CODE"),
]
"""The matrix. Each row's first word is the method, the second the route."""

PUBLIC_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
"""The API's own description: served to anyone, nothing of the business in it."""


def _routes(routes: list[BaseRoute]) -> Iterator[tuple[str, str]]:
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:  # an included router (FastAPI >= 0.16x keeps them nested)
            yield from _routes(original.routes)
        elif isinstance(route, APIRoute | Route) and route.path not in PUBLIC_ROUTES:
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield method, route.path


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                marks=pytest.mark.postgres)])
def matrix_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[Seeded]:
    """One seeded database per kind for the whole matrix (it is never left changed in a
    way another cell sees)."""
    from tests.conftest import _pg_exec, _pg_url_for

    if request.param == "sqlite":
        template: Seeded = request.getfixturevalue("sqlite_template")
        target = tmp_path_factory.mktemp("matrix") / "omnitill.db"
        shutil.copyfile(template.url.removeprefix("sqlite:///"), target)
        yield Seeded(f"sqlite:///{target}", template.tokens)
        return
    template = request.getfixturevalue("pg_template")
    name = f"omnitill_m_{uuid.uuid4().hex[:12]}"
    _pg_exec(f'CREATE DATABASE "{name}" TEMPLATE "{template.url.rpartition("/")[2]}"')
    try:
        yield Seeded(_pg_url_for(name), template.tokens)
    finally:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def matrix_app(matrix_db: Seeded, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return create_app(make_settings(matrix_db.url, tmp_path_factory.mktemp("matrix-var")))


def _world(http: TestClient, seeded: Seeded) -> World:
    tokens = seeded.tokens

    def client(store: str, kind: str) -> CommerceClient:
        return CommerceClient("http://testserver", tokens[store][kind], http=http)

    till, kiosk = client("MI01", "pos"), client("MI01", "kiosk")
    sku = some_sku(kiosk, 4)
    for location in ("MI01", "RM01", "WH01"):
        set_stock(seeded.url, location, sku, 1_000)
    staff = {name: till.call(Api.staff_sign_in(pin)).token
             for name, pin in (("cashier", "1111"), ("supervisor", "2222"), ("manager", "3333"))}
    other = client("RM01", "pos")
    other_staff = other.call(Api.staff_sign_in("4111")).token
    till.staff_token = staff["cashier"]
    report = till.call(Api.open_till(10_000))
    sale = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
    sale = till.call(Api.pay(sale.number, PaymentIn(tender="card", amount_cents=sale.total_cents,
                                                    card_token="approve")))
    till_cart = till.call(Api.create_cart()).id
    kiosk_order = kiosk.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)], fulfilment="pickup", pickup_store="MI01",
        contact=Contact(name="Giulia Rossi", email="giulia.matrix@example.it")), key()))
    kiosk_cart = kiosk.call(Api.create_cart()).id
    db = Database(seeded.url)
    try:
        with db.read() as session:
            customer = session.scalars(select(Customer).where(
                Customer.loyalty_card.is_not(None)).order_by(Customer.id)).first()
            assert customer is not None and customer.loyalty_card
            card = session.scalars(select(StoreCreditAccount.card_number)
                                   .order_by(StoreCreditAccount.card_number)).first()
            assert card is not None
    finally:
        db.dispose()

    def device(token: str, staff_token: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token}"}
        return headers | ({"X-Staff-Token": staff_token} if staff_token else {})

    return World(
        headers={
            "none": {}, "kiosk": device(tokens["MI01"]["kiosk"]),
            "web": device(tokens["WEB"]["web"]), "till": device(tokens["MI01"]["pos"]),
            **{name: device(tokens["MI01"]["pos"], token) for name, token in staff.items()},
            "other": device(tokens["RM01"]["pos"], other_staff),
        },
        sku=sku, sale=sale.number, sale_receipt=sale.receipt_code or "",
        kiosk_order=kiosk_order.number, kiosk_cart=kiosk_cart, till_cart=till_cart,
        customer_id=customer.id,
        loyalty_code=signing.signed_code(SECRET.encode(), CodeKind.LOYALTY,
                                         customer.loyalty_card),
        credit_card=card, till_session=report.session_id,
        pickup_code=kiosk_order.pickup_code or "",
    )


@pytest.fixture(scope="module")
def world(matrix_app: FastAPI, matrix_db: Seeded) -> Iterator[tuple[TestClient, World]]:
    with TestClient(matrix_app, raise_server_exceptions=False) as http:
        yield http, _world(http, matrix_db)


def _call(http: TestClient, world: World, entry: Row, caller: str) -> int:
    json = entry.json(world) if entry.json else None
    answer = http.request(entry.method, entry.url(world), json=json,
                          params=entry.params(world) if entry.params else None,
                          headers=world.headers[caller] | entry.headers)
    return answer.status_code


HEADINGS = ("nobody", "kiosk", "web shop", "till, nobody signed in", "cashier", "supervisor",
            "manager", "another store's till")


def matrix_table() -> str:
    """The matrix as the README states it (``python -m tests.api.test_security_matrix``)."""
    lines = ["| call | " + " | ".join(HEADINGS) + " |",
             "| --- |" + " --- |" * len(HEADINGS)]
    for entry in MATRIX:
        route, _, note = entry.path.partition(" ")
        name = f"`{entry.method} {route}`" + (f" {note}" if note else "")
        lines.append(f"| {name} | " + " | ".join(entry.expected.split()) + " |")
    return "\n".join(lines)


README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_states_the_matrix() -> None:
    assert matrix_table() in README.read_text(encoding="utf-8"), (
        "README's authorization matrix is out of date; it should read:\n" + matrix_table())


def test_every_endpoint_has_a_row(matrix_app: FastAPI) -> None:
    served = set(_routes(matrix_app.routes))
    written = {(r.method, r.path.split(" ")[0]) for r in MATRIX}
    assert served - written == set(), "endpoints without a row in the matrix"
    assert written - served == set(), "rows for endpoints the core no longer has"


def test_each_caller_gets_what_the_matrix_says(world: tuple[TestClient, World]) -> None:
    http, w = world
    wrong = []
    observed: list[str] = []
    for entry in MATRIX:
        got = {caller: _call(http, w, entry, caller) for caller in CALLERS}
        observed.append(f'{entry.method} {entry.path}: "{" ".join(map(str, got.values()))}"')
        wrong += [f"{entry.method} {entry.path} as {caller}: {got[caller]}, "
                  f"the matrix says {status}"
                  for caller, status in entry.statuses.items() if got[caller] != status]
    if os.environ.get("OMNITILL_PRINT_MATRIX"):
        Path(os.environ["OMNITILL_PRINT_MATRIX"]).write_text("\n".join(observed))
    assert wrong == []


if __name__ == "__main__":
    print(matrix_table())
