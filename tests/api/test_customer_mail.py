"""``omnitill notify``: the mails customers get, through a real SMTP server, on
every database."""

from __future__ import annotations

import io
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select, update
from typer.testing import CliRunner

from cli.main import app as cli
from core.customers import privacy
from core.customers.models import Customer
from core.db import Database
from core.notify.models import MailCursor, MailDelivery
from core.notify.runner import Notifier
from core.receipts.links import verified_number
from core.settings import CoreSettings
from shared.client import Api, CommerceClient
from shared.schemas.orders import CheckIn, Contact, LineIn, OrderCreate, PaymentIn, Transition
from shared.schemas.returns import CustomerUpdate, ReturnCreate, ReturnLineIn
from tests.api.helpers import key, web_pickup
from tests.api.mail_support import (
    PUBLIC_URL,
    SmtpServer,
    core_settings,
    free_port,
    make_notifier,
    running,
    wait_until,
)
from tests.support import SECRET, Seeded


@pytest.fixture
def settings(seeded: Seeded, tmp_path: Path) -> CoreSettings:
    return core_settings(seeded.url, tmp_path)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def db(seeded: Seeded) -> Iterator[Database]:
    database = Database(seeded.url)
    yield database
    database.dispose()


@pytest.fixture
def notifier(db: Database, settings: CoreSettings, smtp: SmtpServer) -> Notifier:
    return make_notifier(db, settings, smtp.port)


def _customer(db: Database, last_name: str, **changes: object) -> Customer:
    with db.write() as session:
        customer = session.scalar(select(Customer).where(Customer.last_name == last_name))
        assert customer is not None
        for name, value in changes.items():
            setattr(customer, name, value)
        session.flush()
        session.expunge(customer)
        return customer


def _ready(till: CommerceClient, number: str) -> None:
    for to in ("picking", "ready_for_pickup"):
        till.call(Api.transition(number, Transition(to=to)))


def _web_order_ready(web: CommerceClient, till: CommerceClient, sku: str,
                     **contact: str) -> str:
    body = web_pickup(sku, 1)
    if contact:
        body = body.model_copy(update={"contact": Contact(**contact)})
    order = web.call(Api.place_order(body, key()))
    web.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents)))
    _ready(till, order.number)
    return order.number


def _till_pickup_ready(till: CommerceClient, sku: str, customer_id: int) -> str:
    order = till.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)], fulfilment="pickup", pickup_store="MI01",
        customer_id=customer_id), key()))
    till.call(Api.pay(order.number, PaymentIn(tender="cash", amount_cents=order.total_cents)))
    _ready(till, order.number)
    return order.number


def _till_sale(till: CommerceClient, sku: str, customer_id: int | None = None) -> str:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)],
                                                  customer_id=customer_id), key()))
    order = till.call(Api.pay(order.number, PaymentIn(tender="card",
                                                      amount_cents=order.total_cents)))
    assert order.status == "completed"
    return order.number


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())


def _qr(message: EmailMessage) -> str:
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0]["Content-ID"] == "<pickup-qr>"
    html = message.get_body(preferencelist=("html",))
    assert isinstance(html, EmailMessage) and 'src="cid:pickup-qr"' in html.get_content()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0].get_content())))
    assert len(found) == 1
    return str(found[0].text)


def _deliveries(db: Database) -> list[MailDelivery]:
    with db.read() as session:
        rows = list(session.scalars(select(MailDelivery).order_by(MailDelivery.id)))
        for row in rows:
            session.expunge(row)
        return rows


def test_ready_for_pickup_in_italian_with_the_store_and_a_code_the_kiosk_takes(  # type: ignore[no-untyped-def]
    as_device, sku: str, till: CommerceClient, smtp: SmtpServer, notifier: Notifier
) -> None:
    web: CommerceClient = as_device("WEB", "web")
    number = _web_order_ready(web, till, sku)
    done = notifier.run_once()
    assert done.sent == 1 and smtp.inbox.count() == 1
    message = smtp.inbox.messages[0]
    assert smtp.inbox.recipients[0] == ["giulia.test@example.it"]
    assert message["To"] == "giulia.test@example.it"
    assert message["Subject"] == f"Il tuo ordine {number} è pronto per il ritiro"
    assert message["Content-Language"] == "it"
    text = _text(message)
    assert "Portico Milano Duomo, Corso Vittorio Emanuele II 24, 20122 Milano" in text
    assert "lunedì: 10:00-20:00" in text and "venerdì: 10:00-21:00" in text
    assert "Lo teniamo da parte per 7 giorni" in text
    code = _qr(message)
    assert code == till.call(Api.order(number)).pickup_code
    checked = as_device("MI01", "kiosk").call(Api.check_in(CheckIn(code=code)))
    assert checked.number == number


def test_ready_for_pickup_in_the_customers_own_language(  # type: ignore[no-untyped-def]
    db: Database, sku: str, till: CommerceClient, smtp: SmtpServer, notifier: Notifier
) -> None:
    samuel = _customer(db, "Okafor")
    assert (samuel.language, samuel.consent_email_receipts) == ("en", True)  # the demo's
    number = _till_pickup_ready(till, sku, samuel.id)
    assert notifier.run_once().sent == 2
    receipt, message = smtp.inbox.messages
    assert receipt["Subject"] == f"Your receipt {number} - Portico Milano Duomo"
    assert message["To"] == samuel.email
    assert message["Subject"] == f"Your order {number} is ready for pickup"
    text = _text(message)
    assert text.startswith("Hello Samuel,")
    assert "collect it at Portico Milano Duomo, Corso Vittorio Emanuele II 24" in text
    assert "Monday: 10:00-20:00" in text and "Sunday: 11:00-19:00" in text
    assert _qr(message) == till.call(Api.order(number)).pickup_code


def test_the_e_receipt_links_the_digital_receipt_once_per_address(  # type: ignore[no-untyped-def]
    db: Database, http, sku: str, till: CommerceClient, smtp: SmtpServer, notifier: Notifier
) -> None:
    number = _till_sale(till, sku)
    till.call(Api.receipt_email(number, "Cliente@Example.it"))
    till.call(Api.receipt_email(number, "cliente@example.it"))  # asked twice: one mail
    assert notifier.run_once().sent == 1
    message = smtp.inbox.messages[0]
    assert smtp.inbox.recipients == [["cliente@example.it"]]
    assert message["Subject"] == f"La tua ricevuta {number} - Portico Milano Duomo"
    text = _text(message)
    link = next(word for word in text.split() if word.startswith(PUBLIC_URL))
    code = link.rsplit("/", 1)[1]
    assert verified_number(SECRET.encode(), code) == number
    assert link == f"{PUBLIC_URL}/r/{code}"
    assert http.get(f"/r/{code}").status_code == 200
    html = message.get_body(preferencelist=("html",))
    assert isinstance(html, EmailMessage) and f'<a href="{link}">' in html.get_content()
    rows = _deliveries(db)  # the sale and each request ask for it; one is sent
    assert {(r.kind, r.subject) for r in rows} == {("receipt", number)}
    assert sorted(r.status for r in rows) == ["sent", *["skipped"] * (len(rows) - 1)]
    assert {r.error for r in rows if r.status == "skipped"} == {
        "this receipt was already mailed to this address"}


def test_a_customer_who_wants_e_receipts_gets_each_sale_unasked(  # type: ignore[no-untyped-def]
    db: Database, sku: str, till: CommerceClient, smtp: SmtpServer, notifier: Notifier
) -> None:
    giulia = _customer(db, "Rossi")
    assert giulia.consent_email_receipts
    number = _till_sale(till, sku, giulia.id)
    _till_sale(till, sku)  # nobody's: no mail
    assert notifier.run_once().sent == 1
    assert smtp.inbox.recipients == [[giulia.email]]
    assert number in smtp.inbox.messages[0]["Subject"]


def test_the_refund_mail_and_what_erasure_leaves_of_it(  # type: ignore[no-untyped-def]
    db: Database, sku: str, till: CommerceClient, smtp: SmtpServer, notifier: Notifier
) -> None:
    diego = _customer(db, "Hernández")
    assert (diego.language, diego.consent_email_receipts) == ("es", False)
    number = _till_sale(till, sku, diego.id)
    ret = till.call(Api.create_return(ReturnCreate(
        order_number=number, lines=[ReturnLineIn(line_no=1, qty=1, reason="size")])))
    refunded = till.call(Api.refund_return(ret.number))
    assert notifier.run_once().sent == 1
    message = smtp.inbox.messages[0]
    assert message["To"] == diego.email
    assert message["Subject"] == f"Tu devolución {ret.number} ha sido reembolsada"
    text = _text(message)
    assert text.startswith("Hola Diego:") and f"(pedido {number})" in text
    amount = f"{refunded.refund_cents // 100},{refunded.refund_cents % 100:02d}"
    assert amount in text and "en el medio de pago original" in text

    with db.write() as session:
        exported = privacy.export(session, customer_id=diego.id, actor="test")
        assert exported["mails"] == [{"order_number": number, "kind": "refund",
                                      "subject": ret.number, "to": diego.email,
                                      "status": "sent", "sent_at": exported["mails"][0]
                                      ["sent_at"]}]
        privacy.erase(session, customer_id=diego.id, actor="test")
    assert [r.to_address for r in _deliveries(db)] == [None]


def test_no_mail_without_an_address_or_for_a_customer_who_said_no(  # type: ignore[no-untyped-def]
    as_device, db: Database, sku: str, till: CommerceClient, smtp: SmtpServer,
    notifier: Notifier
) -> None:
    marco = _customer(db, "Russo", no_mail=True, consent_email_receipts=True)
    refused = _till_pickup_ready(till, sku, marco.id)
    sale = _till_sale(till, sku, marco.id)  # wants e-receipts, but "no mail" wins
    web: CommerceClient = as_device("WEB", "web")
    nameless = _web_order_ready(web, till, sku, name="Anon Ymous", phone="+39 333 1234567")
    done = notifier.run_once()
    assert done.sent == 0 and smtp.inbox.count() == 0
    said_no = ("skipped", "the customer asked not to be mailed")
    assert {(r.kind, r.subject): (r.status, r.error) for r in _deliveries(db)} == {
        ("receipt", refused): said_no, ("pickup_ready", refused): said_no,
        ("receipt", sale): said_no,
        ("pickup_ready", nameless): ("skipped", "no email address"),
    }


def test_what_the_till_records_decides_the_next_mail(  # type: ignore[no-untyped-def]
    db: Database, sku: str, till: CommerceClient, smtp: SmtpServer, notifier: Notifier
) -> None:
    """Issue 15, item 6: the shopper says so at the counter (``PATCH``), the mailer
    then writes in their language, and not at all once they said no."""
    giulia = _customer(db, "Rossi")
    assert (giulia.language, giulia.no_mail, giulia.consent_email_receipts) == (
        None, False, True)
    till.call(Api.update_customer(giulia.id, CustomerUpdate(language="en")))
    english = _till_sale(till, sku, giulia.id)
    assert notifier.run_once().sent == 1
    message = smtp.inbox.messages[0]
    assert message["To"] == giulia.email and message["Content-Language"] == "en"
    assert message["Subject"] == f"Your receipt {english} - Portico Milano Duomo"
    assert _text(message).startswith("Hello Giulia,")

    till.call(Api.update_customer(giulia.id, CustomerUpdate(no_mail=True)))
    quiet = _till_sale(till, sku, giulia.id)
    till.call(Api.receipt_email(quiet, giulia.email or ""))  # asked at the till: still no
    assert notifier.run_once().sent == 0 and smtp.inbox.count() == 1
    assert {(r.status, r.error) for r in _deliveries(db) if r.subject == quiet} == {
        ("skipped", "the customer asked not to be mailed")}


def test_a_restart_resumes_where_it_stopped_and_sends_nothing_twice(  # type: ignore[no-untyped-def]
    as_device, seeded: Seeded, settings: CoreSettings, sku: str, till: CommerceClient,
    smtp: SmtpServer
) -> None:
    web: CommerceClient = as_device("WEB", "web")
    first_db = Database(seeded.url)
    first = make_notifier(first_db, settings, smtp.port)
    with running(first):
        one = _web_order_ready(web, till, sku)
        wait_until(lambda: smtp.inbox.count() == 1, "the first mail")
    first_db.dispose()
    two = _web_order_ready(web, till, sku)  # while the mailer is stopped
    second_db = Database(seeded.url)
    try:
        second = Notifier(second_db, core=settings, mail=first.mail, mailer=first.mailer)
        with running(second):
            wait_until(lambda: smtp.inbox.count() == 2, "the mail of the order made meanwhile")
            wait_until(lambda: all(r.status == "sent" for r in _deliveries(second_db)),
                       "both recorded as sent")
        assert second.run_once().sent == 0
        with second_db.read() as session:
            cursor = session.get(MailCursor, "mail")
            assert cursor is not None and cursor.seq > 0
    finally:
        second_db.dispose()
    subjects = [m["Subject"] for m in smtp.inbox.messages]
    assert [one in s for s in subjects] == [True, False]
    assert [two in s for s in subjects] == [False, True]


def test_mail_server_down_is_retried_later_and_nothing_is_lost(  # type: ignore[no-untyped-def]
    as_device, db: Database, settings: CoreSettings, sku: str, till: CommerceClient
) -> None:
    server = SmtpServer(free_port())  # not started yet: the port refuses connections
    notifier = make_notifier(db, settings, server.port)
    web: CommerceClient = as_device("WEB", "web")
    try:
        with running(notifier):
            number = _web_order_ready(web, till, sku)
            wait_until(lambda: any(r.attempts >= 2 and r.status == "pending"
                                   for r in _deliveries(db)), "two failed attempts")
            row = _deliveries(db)[0]
            assert row.error.startswith("mail server unreachable") and row.sent_at is None
            server.start()
            server.inbox.refuse = 1  # and then a 451 "try again later" once more
            wait_until(lambda: server.inbox.count() == 1, "the mail, once the server is up")
            wait_until(lambda: _deliveries(db)[0].status == "sent", "recorded as sent")
        assert number in server.inbox.messages[0]["Subject"]
        assert notifier.run_once().sent == 0 and server.inbox.count() == 1
    finally:
        server.stop()


def test_a_permanent_refusal_is_recorded_not_retried(  # type: ignore[no-untyped-def]
    as_device, db: Database, sku: str, till: CommerceClient, smtp: SmtpServer,
    notifier: Notifier
) -> None:
    smtp.inbox.refuse_recipients = "550 5.1.1 No such user"
    _web_order_ready(as_device("WEB", "web"), till, sku)
    assert notifier.run_once().failed == 1
    row = _deliveries(db)[0]
    assert (row.status, row.attempts) == ("failed", 1) and row.error.startswith("550")
    with db.write() as session:  # even when due again, a failed mail stays failed
        session.execute(update(MailDelivery).values(next_attempt_at=row.created_at))
    assert notifier.run_once().failed == 0 and smtp.inbox.count() == 0


def test_omnitill_notify_once(  # type: ignore[no-untyped-def]
    as_device, seeded: Seeded, sku: str, till: CommerceClient, smtp: SmtpServer,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {"DATABASE_URL": seeded.url, "VAR_DIR": str(tmp_path),
                        "SECRET": SECRET, "SMTP_HOST": "127.0.0.1",
                        "SMTP_PORT": str(smtp.port)}.items():
        monkeypatch.setenv(f"OMNITILL_{name}", value)
    first = CliRunner().invoke(cli, ["notify", "--once"])  # starts at the log's end
    assert first.exit_code == 0 and "sent 0" in first.output, first.output
    number = _web_order_ready(as_device("WEB", "web"), till, sku)
    second = CliRunner().invoke(cli, ["notify", "--once"])
    assert second.exit_code == 0 and "sent 1," in second.output, second.output
    assert number in smtp.inbox.messages[0]["Subject"]
    assert _qr(smtp.inbox.messages[0]) == till.call(Api.order(number)).pickup_code
