"""Issue 13, item 8: the digital receipt page at a signed link, and item 7's
fiscal document recorded on the order (what the RT printed, reported by the till).

The page is read as a browser would (no token), its text compared with what the
core says the sale was: lines, VAT per rate and in total, total, legal entity."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from core.settings import CoreSettings
from shared.client import Api, CommerceClient
from shared.errors import Conflict, Forbidden, NotFound
from shared.money import format_money
from shared.schemas.fiscal import FiscalDocument
from shared.schemas.orders import LineIn, OrderCreate, OrderOut, PaymentIn
from tests.api.helpers import key, set_stock, sign_in, some_sku
from tests.support import SECRET, Seeded

PUBLIC = "https://scontrini.portico.example"


@pytest.fixture
def settings(seeded: Seeded, tmp_path: Path) -> CoreSettings:
    return CoreSettings(database_url=seeded.url, var_dir=tmp_path, secret=SECRET,
                        public_url=PUBLIC + "/")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def money(cents: int) -> str:
    return " ".join(format_money(cents).split())


def _sale(till: CommerceClient, seeded: Seeded, store: str, skus: list[str]) -> OrderOut:
    for sku in skus:
        set_stock(seeded.url, store, sku, 5)
    lines = [LineIn(sku=sku, qty=qty) for qty, sku in enumerate(skus, start=1)]
    order = till.call(Api.place_order(OrderCreate(lines=lines, promotion="WELCOME10"), key()))
    return till.call(Api.pay(order.number, PaymentIn(
        tender="cash", amount_cents=order.total_cents, tendered_cents=order.total_cents + 1000)))


def _path(url: str) -> str:
    assert url.startswith(PUBLIC + "/r/"), url
    return urlsplit(url).path


@pytest.fixture
def sale(till: CommerceClient, as_device, seeded: Seeded) -> OrderOut:  # type: ignore[no-untyped-def]
    kiosk = as_device("MI01", "kiosk")
    return _sale(till, seeded, "MI01", [some_sku(kiosk, 3), some_sku(kiosk, 11)])


def test_the_page_shows_the_sale_as_the_core_recorded_it(  # type: ignore[no-untyped-def]
        http: TestClient, sale: OrderOut, till: CommerceClient, as_device) -> None:
    assert sale.receipt_url
    answer = http.get(_path(sale.receipt_url))  # no token: the customer's browser
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["referrer-policy"] == "no-referrer"
    text = text_of(answer.text)
    for line in sale.lines:
        assert f"{line.qty} × {line.name}" in text
        assert money(line.unit_price_cents * line.qty) in text
    assert f"Totale EUR {money(sale.total_cents)}" in text
    assert sale.tax_breakdown
    for tax in sale.tax_breakdown:
        assert (f"di cui IVA {tax.rate_bp / 100:g}% su {money(tax.gross_cents)} "
                f"{money(tax.tax_cents)}") in text
    assert f"Totale IVA {money(sale.tax_cents)}" in text
    assert f"Resto {money(1000)}" in text
    assert "Portico Retail S.p.A." in text and "P.IVA 12345670017" in text
    assert "DOCUMENTO NON FISCALE" in text and f"Scontrino {sale.number}" in text
    assert "<svg" in answer.text  # the return QR, for a return without paper

    # Who is handed the link: staff and the till that sold (its display), not a kiosk.
    assert sale.receipt_code
    assert as_device("MI01", "kiosk").call(Api.by_receipt(sale.receipt_code)).receipt_url is None
    assert as_device("MI01", "pos").call(Api.order(sale.number)).receipt_url == sale.receipt_url
    # The e-receipt request carries the same link for the mailer, and no address.
    till.call(Api.receipt_email(sale.number, "cliente@example.it"))
    requested = [e for e in till.call(Api.events(limit=1000))
                 if e.type == "order.receipt_requested" and e.subject == sale.number]
    assert requested and requested[-1].payload["url"] == sale.receipt_url
    assert "cliente@example.it" not in str(requested[-1].payload)


def test_a_forged_or_altered_link_is_not_found(http: TestClient, sale: OrderOut,
                                               till: CommerceClient, as_device,  # type: ignore[no-untyped-def]
                                               seeded: Seeded) -> None:
    assert sale.receipt_url
    path = _path(sale.receipt_url)
    number, mac = path.removeprefix("/r/").rsplit("-", 1)
    other = _sale(till, seeded, "MI01", [some_sku(as_device("MI01", "kiosk"), 5)])
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    for forged in (f"/r/{number}-{flipped}", f"/r/{other.number}-{mac}", f"/r/{number}-{mac[:-1]}",
                   f"/r/{number}", f"/r/{number}-{mac}X", "/r/MI01-999999-AAAAAAAAAAAAAAAA",
                   "/r/" + "A" * 300, f"/r{path}"):
        answer = http.get(forged)
        assert answer.status_code == 404, forged
        if forged.count("/") == 2:
            assert "Ricevuta non trovata" in answer.text
            assert sale.lines[0].name not in answer.text
    assert http.get(path.lower()).status_code == 200  # typed by hand, any case


RT = FiscalDocument(document_number=42, closure_number=7, serial="99MEY012345",
                    printed_at=datetime(2026, 11, 23, 15, 4, tzinfo=UTC))


def test_the_till_records_what_the_rt_printed_once(http: TestClient, sale: OrderOut,
                                                   till: CommerceClient, as_device) -> None:  # type: ignore[no-untyped-def]
    recorded = till.call(Api.fiscal_document(sale.number, RT))
    assert recorded.fiscal_document == RT
    assert till.call(Api.order(sale.number)).fiscal_document == RT
    assert till.call(Api.fiscal_document(sale.number, RT)).fiscal_document == RT  # a retry
    with pytest.raises(Conflict) as refused:
        till.call(Api.fiscal_document(sale.number, RT.model_copy(update={"document_number": 43})))
    assert refused.value.code == "fiscal_document_recorded" and "0007-0042" in str(refused.value)
    rome = sign_in(as_device("RM01", "pos"), "4111")
    with pytest.raises(Forbidden):
        rome.call(Api.fiscal_document(sale.number, RT))
    assert sale.receipt_url
    text = text_of(http.get(_path(sale.receipt_url)).text)
    assert "Documento commerciale n. 0007-0042 (RT 99MEY012345)" in text
    assert "NON FISCALE" not in text

    unpaid = till.call(Api.place_order(OrderCreate(lines=[LineIn(
        sku=sale.lines[0].sku, qty=1)]), key()))
    with pytest.raises(Conflict) as refused:
        till.call(Api.fiscal_document(unpaid.number, RT))
    assert refused.value.code == "not_paid"
    good = {"document_number": 1, "closure_number": 7, "serial": "99MEY012345",
            "printed_at": "2026-11-23T15:04:00Z"}
    for bad in ({"document_number": 0}, {"serial": "9 9"}, {"printed_at": "2026-11-23T15:04"},
                {"printed_at": "0001-01-01T00:00:00+01:00"}):
        answer = http.post(f"/v1/orders/{sale.number}/fiscal-document", json=good | bad,
                           headers={"Authorization": f"Bearer {till.device_token}",
                                    "X-Staff-Token": till.staff_token or ""})
        assert answer.status_code == 422, bad
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_a_franchise_sale_names_the_franchisee(http: TestClient, as_device,  # type: ignore[no-untyped-def]
                                               seeded: Seeded) -> None:
    turin = sign_in(as_device("TO01", "pos"), "5111")
    sale = _sale(turin, seeded, "TO01", [some_sku(as_device("TO01", "kiosk"), 2)])
    assert sale.receipt_url
    text = text_of(http.get(_path(sale.receipt_url)).text)
    assert "Sabauda Moda S.r.l." in text and "P.IVA 09876540015" in text
    assert "Portico Retail" not in text and "Reso entro 14 giorni" in text
    stores = {s.code: s for s in turin.call(Api.stores())}
    assert stores["TO01"].vat_number == "09876540015"
    assert stores["MI01"].legal_name == "Portico Retail S.p.A."


def test_an_offline_sale_is_found_by_the_number_its_rt_document_has(  # type: ignore[no-untyped-def]
        till: CommerceClient, as_device, seeded: Seeded) -> None:
    """The RT printed the sale while the core was out of reach; the till reports it
    after the replay, by the number on that receipt."""
    sku = some_sku(as_device("MI01", "kiosk"), 6)
    set_stock(seeded.url, "MI01", sku, 5)
    price = as_device("MI01", "kiosk").call(Api.product(sku)).price_cents
    replayed = till.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)], offline=True, offline_number="T1-77",
        sold_at=datetime.now(UTC), payments=[PaymentIn(tender="cash", amount_cents=price)]),
        key()))
    recorded = till.call(Api.fiscal_document("T1-77", RT))
    assert recorded.number == replayed.number and recorded.fiscal_document == RT
    rome = sign_in(as_device("RM01", "pos"), "4111")
    with pytest.raises(NotFound):  # another store's till: no such sale of its own
        rome.call(Api.fiscal_document("T1-77", RT))
