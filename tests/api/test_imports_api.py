"""Issue 15, item 4 (the import side): ``POST /v1/imports/{kind}`` takes an ERP's
catalog, prices, stock or customers as CSV or JSON; every row is checked first,
a bad row imports nothing and is listed, a dry run writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Select, func, select

from core.audit.models import AuditEntry
from core.catalog.models import Product
from core.customers.models import Customer
from core.db import Database
from core.events.models import Event
from core.events.service import number_pending
from core.stock.models import StockMovement
from shared.client import Api, CommerceClient
from tests.api.helpers import key, level, set_stock, web_pickup
from tests.support import Seeded

Tokens = dict[str, dict[str, str]]
EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "import"
CSV = {"Content-Type": "text/csv"}


def _staff_headers(http: TestClient, token: str, pin: str | None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if pin is not None:
        till = CommerceClient("http://testserver", token, http=http)
        headers["X-Staff-Token"] = till.call(Api.staff_sign_in(pin)).token
    return headers


def _manager(http: TestClient, tokens: Tokens) -> dict[str, str]:
    return _staff_headers(http, tokens["MI01"]["pos"], "3333")


def _count(url: str, query: Select[Any]) -> int:
    db = Database(url)
    try:
        with db.read() as session:
            return int(session.scalar(query) or 0)
    finally:
        db.dispose()


def _product(http: TestClient, headers: dict[str, str], sku: str) -> dict[str, object] | None:
    answer = http.get(f"/v1/products/{sku}", headers=headers)
    return answer.json() if answer.status_code == 200 else None


def test_the_example_catalog_imports_and_tills_are_told(
    http: TestClient, tokens: Tokens, seeded: Seeded
) -> None:
    manager = _manager(http, tokens)
    events_before = _count(seeded.url, select(func.count()).select_from(Event).where(
        Event.type == "catalog.changed"))

    answer = http.post("/v1/imports/catalog", content=(EXAMPLES / "catalog.csv").read_bytes(),
                       headers=manager | CSV)

    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert (result["created"], result["updated"], result["unchanged"]) == (2, 1, 0)
    assert result["dry_run"] is False
    assert [(c["row"], c["key"], c["action"]) for c in result["changes"]] == [
        (2, "AC-GLO-09-BLA-S", "create"), (3, "AC-GLO-09-BLA-M", "create"),
        (4, "AC-BEA-06-GRE", "update")]
    assert result["changes"][2]["changes"] == {"price_cents": [2500, 2200]}
    gloves = _product(http, manager, "AC-GLO-09-BLA-S")
    assert gloves is not None and gloves["price_cents"] == 4900
    assert gloves["gtin"] == "8019999000016" and gloves["size"] == "S"
    found = http.get("/v1/products", params={"q": "leather gloves"}, headers=manager).json()
    assert "AC-GLO-09-BLA-S" in [p["sku"] for p in found["items"]]
    scanned = http.post("/v1/scan", json={"code": "8019999000023"}, headers=manager)
    assert scanned.status_code == 200 and "AC-GLO-09-BLA-M" in scanned.text
    db = Database(seeded.url)
    try:
        number_pending(db.writer_engine)  # PostgreSQL numbers events after their commit
        with db.read() as session:
            told = session.scalars(select(Event).where(Event.type == "catalog.changed")
                                   .order_by(Event.seq)).all()
            audit = session.scalars(select(AuditEntry).where(
                AuditEntry.kind == "import.applied")).all()
    finally:
        db.dispose()
    assert len(told) == events_before + 1
    assert told[-1].payload["skus"] == ["AC-BEA-06-GRE", "AC-GLO-09-BLA-M", "AC-GLO-09-BLA-S"]
    assert [(a.subject, a.staff_name, a.detail["created"], a.detail["updated"])
            for a in audit] == [("catalog import", audit[0].staff_name, 2, 1)]
    assert audit[0].staff_name  # the manager who imported


def test_bad_rows_are_listed_and_nothing_is_imported(
    http: TestClient, tokens: Tokens, seeded: Seeded
) -> None:
    manager = _manager(http, tokens)
    body = (b"sku,name,category_code,price_cents,vat_rate_bp,gtin\n"
            b"NEW-OK-1,Fine Product,clothing,1000,2200,\n"
            b"NEW-BAD-2,Price In Euros,clothing,19.90,2200,\n"
            b"NEW-BAD-3,,nowhere,100,2200,1234567890123\n"
            b"NEW-OK-1,Twice,clothing,1000,2200,\n")

    answer = http.post("/v1/imports/catalog", content=body, headers=manager | CSV)

    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["code"] == "import_rows_invalid"
    assert "nothing was imported" in problem["detail"]
    listed = {(e["row"], e["column"]) for e in problem["errors"]}
    assert listed == {(3, "price_cents"), (4, "name"), (4, "category_code"), (4, "gtin"),
                      (5, "sku")}
    price = next(e for e in problem["errors"] if e["column"] == "price_cents")
    assert "write 1990 for 19.90" in price["msg"]
    assert problem["context"] == {"problems": 5}
    assert _product(http, manager, "NEW-OK-1") is None  # the good row was not imported
    assert _count(seeded.url, select(func.count()).select_from(AuditEntry).where(
        AuditEntry.kind == "import.applied")) == 0


def test_a_file_with_an_unknown_column_is_refused_before_any_row(
    http: TestClient, tokens: Tokens
) -> None:
    answer = http.post("/v1/imports/prices", content=b"sku,prce_cents\nAC-BEA-06-GRE,100\n",
                       headers=_manager(http, tokens) | CSV)
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(1, "prce_cents"), (1, "price_cents")]
    assert "the columns are sku, price_cents" in errors[0]["msg"]


def test_a_dry_run_says_what_would_change_and_writes_nothing(
    http: TestClient, tokens: Tokens, seeded: Seeded
) -> None:
    manager = _manager(http, tokens)
    events = select(func.count()).select_from(Event)
    before = _count(seeded.url, events)

    answer = http.post("/v1/imports/prices", params={"dry_run": "true"},
                       content=(EXAMPLES / "prices.csv").read_bytes(), headers=manager | CSV)

    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["dry_run"] is True and (result["updated"], result["unchanged"]) == (3, 0)
    assert result["changes"][0] == {"row": 2, "key": "AC-BEA-06-GRE", "action": "update",
                                    "changes": {"price_cents": [2500, 2200]}}
    beanie = _product(http, manager, "AC-BEA-06-GRE")
    assert beanie is not None and beanie["price_cents"] == 2500
    assert _count(seeded.url, events) == before
    assert _count(seeded.url, select(func.count()).select_from(AuditEntry).where(
        AuditEntry.kind == "import.applied")) == 0


def test_stock_keeps_what_is_reserved_and_records_movements(
    http: TestClient, tokens: Tokens, seeded: Seeded,
    as_device: Callable[[str, str], CommerceClient],
) -> None:
    manager = _manager(http, tokens)
    sku = "AC-BEA-06-NAV"
    set_stock(seeded.url, "MI01", sku, 5)
    as_device("MI01", "kiosk").call(Api.place_order(web_pickup(sku, qty=3), key()))
    assert level(seeded.url, "MI01", sku) == (5, 3)

    below = http.post("/v1/imports/stock", content=f"location,sku,on_hand\nMI01,{sku},2\n"
                      .encode(), headers=manager | CSV)
    assert below.status_code == 422
    [error] = below.json()["errors"]
    assert (error["row"], error["column"]) == (2, "on_hand")
    assert "3 units of AC-BEA-06-NAV are reserved" in error["msg"]
    assert level(seeded.url, "MI01", sku) == (5, 3)

    rows = json.dumps([{"sku": sku, "on_hand": 9}, {"sku": "AC-BEA-06-MUS", "on_hand": 4}])
    answer = http.post("/v1/imports/stock", params={"store": "MI01"}, content=rows.encode(),
                       headers=manager | {"Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert level(seeded.url, "MI01", sku) == (9, 3)
    assert level(seeded.url, "MI01", "AC-BEA-06-MUS")[0] == 4
    db = Database(seeded.url)
    try:
        number_pending(db.writer_engine)  # PostgreSQL numbers events after their commit
        with db.read() as session:
            moves = session.execute(select(StockMovement.sku, StockMovement.delta,
                                           StockMovement.reason).where(
                StockMovement.reason == "import").order_by(StockMovement.sku)).all()
            changed = session.scalars(select(Event).where(
                Event.type == "stock.changed", Event.subject == sku).order_by(Event.seq)).all()
    finally:
        db.dispose()
    assert [tuple(m) for m in moves] == [("AC-BEA-06-MUS", 4, "import"),
                                         (sku, 4, "import")]
    assert {k: changed[-1].payload[k] for k in ("on_hand", "reserved", "available")} == {
        "on_hand": 9, "reserved": 3, "available": 6}

    other = http.post("/v1/imports/stock", params={"store": "MI01"},
                      content=f"location,sku,on_hand\nRM01,{sku},1\n".encode(),
                      headers=manager | CSV)
    assert other.status_code == 422 and other.json()["errors"][0]["column"] == "location"


def test_customers_are_found_again_by_email_and_not_duplicated(
    http: TestClient, tokens: Tokens, seeded: Seeded
) -> None:
    manager = _manager(http, tokens)
    body = (EXAMPLES / "customers.json").read_bytes()
    everyone = select(func.count()).select_from(Customer)
    before = _count(seeded.url, everyone)

    first = http.post("/v1/imports/customers", content=body,
                      headers=manager | {"Content-Type": "application/json"})
    again = http.post("/v1/imports/customers", content=body,
                      headers=manager | {"Content-Type": "application/json"})

    assert first.status_code == 200, first.text
    assert (first.json()["created"], first.json()["updated"]) == (2, 1)
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (
        0, 0, 3)
    assert _count(seeded.url, everyone) == before + 2
    clash = json.dumps([{"first_name": "Ada", "last_name": "Nuova",
                         "email": "ada.nuova@example.it", "loyalty_card": "2900009000019"}])
    refused = http.post("/v1/imports/customers", content=clash.encode(),
                        headers=manager | {"Content-Type": "application/json"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["column"] == "loyalty_card"
    assert "belongs to another customer" in refused.json()["errors"][0]["msg"]


def test_only_a_manager_or_an_admin_imports(
    http: TestClient, tokens: Tokens, seeded: Seeded
) -> None:
    body = (EXAMPLES / "prices.csv").read_bytes()
    kiosk = {"Authorization": f"Bearer {tokens['MI01']['kiosk']}"}
    till = tokens["MI01"]["pos"]
    answers = {
        "nobody": http.post("/v1/imports/prices", content=body, headers=CSV),
        "kiosk": http.post("/v1/imports/prices", content=body, headers=kiosk | CSV),
        "till": http.post("/v1/imports/prices", content=body,
                          headers=_staff_headers(http, till, None) | CSV),
        "cashier": http.post("/v1/imports/prices", content=body,
                             headers=_staff_headers(http, till, "1111") | CSV),
        "supervisor": http.post("/v1/imports/prices", content=body,
                                headers=_staff_headers(http, till, "2222") | CSV),
    }
    assert {who: a.status_code for who, a in answers.items()} == {
        "nobody": 401, "kiosk": 403, "till": 401, "cashier": 403, "supervisor": 403}
    assert "manager" in answers["cashier"].json()["detail"]
    beanie = _product(http, kiosk, "AC-BEA-06-GRE")
    assert beanie is not None and beanie["price_cents"] == 2500


def test_a_barcode_moves_between_products_and_missing_columns_are_kept(
    http: TestClient, tokens: Tokens
) -> None:
    manager = _manager(http, tokens)
    grey, navy = (_product(http, manager, sku) for sku in ("AC-BEA-06-GRE", "AC-BEA-06-NAV"))
    assert grey is not None and navy is not None
    body = ("sku,name,category_code,price_cents,vat_rate_bp,gtin\n"
            f"AC-BEA-06-GRE,Grey Beanie,accessories,2500,2200,{navy['gtin']}\n"
            "AC-BEA-06-NAV,Navy Beanie,accessories,2500,2200,\n").encode()

    answer = http.post("/v1/imports/catalog", content=body, headers=manager | CSV)

    assert answer.status_code == 200, answer.text
    moved, cleared = (_product(http, manager, sku) for sku in ("AC-BEA-06-GRE", "AC-BEA-06-NAV"))
    assert moved is not None and cleared is not None
    assert (moved["gtin"], cleared["gtin"]) == (navy["gtin"], None)
    assert moved["name"] == "Grey Beanie"
    # No description, brand or colour column: each product keeps its own.
    assert (moved["description"], moved["brand"], moved["colour"]) == (
        grey["description"], grey["brand"], grey["colour"])
    taken = http.post("/v1/imports/catalog", content=(
        "sku,name,category_code,price_cents,vat_rate_bp,gtin\n"
        f"AC-BEA-06-MUS,Beanie,accessories,2500,2200,{navy['gtin']}\n").encode(),
        headers=manager | CSV)
    assert taken.status_code == 422
    assert taken.json()["errors"][0]["msg"] == f"{navy['gtin']} is the barcode of AC-BEA-06-GRE."


def test_a_file_larger_than_other_requests_may_be_is_taken(
    http: TestClient, tokens: Tokens, seeded: Seeded
) -> None:
    """Other requests stop at 1 MB; an ERP file may be 32 MB (here 2 MB, 20,000 rows)."""
    lines = ["sku,name,category_code,price_cents,vat_rate_bp,description"] + [
        f"BIG-{n:05d},Big import product {n},home,{1000 + n},2200,{'x' * 60}"
        for n in range(20_000)]
    body = ("\n".join(lines) + "\n").encode()
    assert len(body) > 2_000_000

    answer = http.post("/v1/imports/catalog", content=body, headers=_manager(http, tokens) | CSV)

    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["created"] == 20_000 and len(result["changes"]) == 500
    assert result["more_changes"] == 19_500
    assert _count(seeded.url, select(func.count()).select_from(Product).where(
        Product.sku.startswith("BIG-"))) == 20_000


def test_a_customer_erased_at_their_request_is_not_imported_back(
    http: TestClient, tokens: Tokens, seeded: Seeded
) -> None:
    from core.customers.privacy import erase

    db = Database(seeded.url)
    try:
        with db.write() as session:
            erase(session, customer_id=2, actor="test")
    finally:
        db.dispose()
    rows = json.dumps([{"id": 2, "first_name": "Marco", "last_name": "Russo",
                        "email": "marco.russo@example.it"},
                       {"id": 1, "first_name": "Giulia", "last_name": "Rossi",
                        "city": "Torino"}])

    answer = http.post("/v1/imports/customers", content=rows.encode(),
                       headers=_manager(http, tokens) | {"Content-Type": "application/json"})

    assert answer.status_code == 422
    assert [(e["row"], e["column"]) for e in answer.json()["errors"]] == [(1, "id")]
    assert "erased at their request" in answer.json()["errors"][0]["msg"]
    assert _count(seeded.url, select(func.count()).select_from(Customer).where(
        Customer.email == "marco.russo@example.it")) == 0


def _mail_of(url: str, email: str) -> tuple[str | None, bool] | None:
    db = Database(url)
    try:
        with db.read() as session:
            found = session.scalar(select(Customer).where(Customer.email == email))
            return (found.language, found.no_mail) if found else None
    finally:
        db.dispose()


def test_customers_bring_their_mail_language_and_no_mail_and_a_bad_one_is_named(
    http: TestClient, tokens: Tokens, seeded: Seeded
) -> None:
    manager = _manager(http, tokens)
    rossi, new = "giulia.rossi@example.com", "nuovo.cliente@example.it"
    assert _mail_of(seeded.url, rossi) == (None, False)
    head = "email,first_name,last_name,language,no_mail\n"
    bad = (head + f"{rossi},Giulia,Rossi,ES,yes\n"
           f"{new},Nuovo,Cliente,fr,no\n"
           "altro.cliente@example.it,Altro,Cliente,en,forse\n").encode()

    refused = http.post("/v1/imports/customers", content=bad, headers=manager | CSV)

    assert refused.status_code == 422, refused.text
    assert [(e["row"], e["column"], e["msg"]) for e in refused.json()["errors"]] == [
        (3, "language", "We write to customers in Italiano (it), English (en) or Español "
                        "(es); 'fr' is none of them."),
        (4, "no_mail", "'forse' is not true or false (write true/false, yes/no or 1/0)."),
    ]
    assert _mail_of(seeded.url, rossi) == (None, False)  # nothing half-imported
    assert _mail_of(seeded.url, new) is None

    good = (head + f"{rossi},Giulia,Rossi,ES,yes\n{new},Nuovo,Cliente,en,\n").encode()
    answer = http.post("/v1/imports/customers", content=good, headers=manager | CSV)

    assert answer.status_code == 200, answer.text
    updated = next(c for c in answer.json()["changes"] if c["action"] == "update")
    assert updated["changes"] == {"language": [None, "es"], "no_mail": [False, True]}
    assert (_mail_of(seeded.url, rossi), _mail_of(seeded.url, new)) == (
        ("es", True), ("en", False))
    # A file without the columns (JSON here) leaves what the customer said as it is.
    again = http.post("/v1/imports/customers", content=json.dumps([
        {"email": rossi, "first_name": "Giulia", "last_name": "Rossi", "city": "Torino"}
    ]).encode(), headers=manager | {"Content-Type": "application/json"})
    assert again.status_code == 200, again.text
    assert _mail_of(seeded.url, rossi) == ("es", True)
    json_bad = http.post("/v1/imports/customers", content=json.dumps([
        {"email": rossi, "first_name": "Giulia", "last_name": "Rossi", "no_mail": "maybe",
         "language": 3}]).encode(), headers=manager | {"Content-Type": "application/json"})
    assert json_bad.status_code == 422
    assert {e["column"] for e in json_bad.json()["errors"]} == {"language", "no_mail"}
