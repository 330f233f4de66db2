"""Each mail as an ``email.message.EmailMessage``, built from the database when it
is sent (so it says what is true then), in the language chosen when it was planned.

Placeholders of each kind's texts (:mod:`core.notify.texts`):

- ``receipt``: ``$number`` ``$store`` ``$total`` ``$url``;
- ``pickup_ready``: ``$number`` ``$store`` ``$address`` ``$days``; the pickup QR is
  an inline PNG (``cid:``) encoding the signed ``OT1:O:`` code the kiosk and the
  till take;
- ``refund``: ``$number`` (the return) ``$order`` ``$amount`` ``$how``.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import signing
from core.customers.models import Customer
from core.notify.models import MailDelivery
from core.notify.texts import LOCALES, WEEKDAYS, text
from core.orders.models import Order
from core.receipts.links import receipt_url
from core.returns.models import Return
from core.settings import CoreSettings
from core.stores.models import Location
from shared.codes import CodeKind
from shared.money import format_money

__all__ = ["PICKUP_QR_CID", "Gone", "compose", "opening_hours_lines", "pickup_qr_png"]

PICKUP_QR_CID = "pickup-qr"
"""The ``Content-ID`` of the pickup QR image (``<img src="cid:pickup-qr">``)."""


class Gone(Exception):
    """What the mail is about no longer exists as it was (a deleted order): no mail."""


@dataclass(frozen=True, slots=True)
class _Parts:
    subject: str
    paragraphs: list[str]
    store: str
    link: str | None = None
    qr: bytes | None = None


def pickup_qr_png(payload: str, scale: int = 6) -> bytes:
    """The code as a PNG a phone shows at the kiosk: black on white, a 4-module
    quiet zone, medium error correction (the same as the till's on-screen QR)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=scale)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def opening_hours_lines(hours: dict[str, str], language: str) -> list[str]:
    names = WEEKDAYS.get(language, WEEKDAYS["it"])
    closed = text(language, "closed")
    return [f"{names[day]}: {hours.get(day) or closed}" for day in names]


def _hello(customer: Customer | None, language: str) -> str:
    if customer is not None and customer.first_name and customer.email:
        return text(language, "hello", name=customer.first_name)
    return text(language, "hello_guest")


def _money(cents: int, currency: str, language: str) -> str:
    return format_money(cents, currency, LOCALES.get(language, "it_IT"))


def _receipt(session: Session, order: Order, language: str, settings: CoreSettings) -> _Parts:
    store = session.get(Location, order.store_code)
    name = store.name if store else order.store_code
    values = {"number": order.number, "store": name,
              "total": _money(order.total_cents, order.currency, language)}
    url = receipt_url(settings.public_url, settings.resolved_secret, order.number)
    paragraphs = [text(language, "receipt.body", **values)]
    paragraphs.append(text(language, "receipt.link", url=url) if url
                      else text(language, "receipt.no_link"))
    return _Parts(text(language, "receipt.subject", **values), paragraphs, name, link=url)


def _pickup(session: Session, order: Order, language: str, settings: CoreSettings) -> _Parts:
    store = session.get(Location, order.pickup_store_code or order.store_code)
    if store is None:
        raise Gone(f"store {order.pickup_store_code} of order {order.number} is gone")
    address = store.address or store.city
    values = {"number": order.number, "store": store.name, "address": address,
              "days": settings.pickup_hold_days}
    code = signing.signed_code(settings.resolved_secret, CodeKind.ORDER_PICKUP, order.number)
    paragraphs = [text(language, "pickup_ready.body", **values)]
    if store.opening_hours:
        paragraphs.append("\n".join([text(language, "pickup_ready.hours"),
                                     *opening_hours_lines(store.opening_hours, language)]))
    paragraphs.append(text(language, "pickup_ready.code"))
    return _Parts(text(language, "pickup_ready.subject", **values), paragraphs, store.name,
                  qr=pickup_qr_png(code))


def _refund(session: Session, ret: Return, language: str) -> _Parts:
    order = session.get(Order, ret.order_id) if ret.order_id else None
    store = session.get(Location, ret.store_code)
    name = store.name if store else ret.store_code
    how = text(language, "refund.store_credit" if ret.refund_to == "store_credit"
               else "refund.original")
    values = {"number": ret.number, "order": order.number if order else "-",
              "amount": _money(ret.refund_cents, order.currency if order else "EUR", language),
              "how": how}
    return _Parts(text(language, "refund.subject", **values),
                  [text(language, "refund.body", **values)], name)


def _html(greeting: str, parts: _Parts, signature: str, language: str) -> str:
    blocks = [f"<p>{html.escape(greeting)}</p>"]
    for paragraph in parts.paragraphs:
        escaped = html.escape(paragraph).replace("\n", "<br>")
        if parts.link:
            link = html.escape(parts.link)
            escaped = escaped.replace(link, f'<a href="{link}">{link}</a>')
        blocks.append(f"<p>{escaped}</p>")
    if parts.qr is not None:
        blocks.append(f'<p><img src="cid:{PICKUP_QR_CID}" alt="QR" width="240" '
                      'height="240"></p>')
    blocks.append(f"<p>{html.escape(signature).replace(chr(10), '<br>')}</p>")
    return (f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"></head>'
            f"<body>{''.join(blocks)}</body></html>")


def message_id(delivery: MailDelivery, sender: str) -> str:
    """The same for every attempt at one delivery: a mail sent again after a crash
    between the server's acceptance and our record of it is one mail to the reader's
    client, which folds messages with one ``Message-ID``."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "omnitill.invalid"
    return f"<omnitill.{delivery.kind}.{delivery.id}.{delivery.event_seq}@{domain}>"


def compose(session: Session, delivery: MailDelivery, *, settings: CoreSettings,
            sender: str) -> EmailMessage:
    """The mail of ``delivery``; :class:`Gone` when its subject has disappeared."""
    language = delivery.language
    if delivery.kind == "refund":
        ret = session.scalar(select(Return).where(Return.number == delivery.subject))
        if ret is None:
            raise Gone(f"return {delivery.subject} is gone")
        order = session.get(Order, ret.order_id) if ret.order_id else None
        parts = _refund(session, ret, language)
    else:
        order = session.get(Order, delivery.order_id) if delivery.order_id else None
        if order is None:
            raise Gone(f"order {delivery.subject} is gone")
        parts = (_pickup if delivery.kind == "pickup_ready" else _receipt)(
            session, order, language, settings)
    customer = session.get(Customer, order.customer_id) if order and order.customer_id else None
    greeting = _hello(customer, language)
    signature = text(language, "signature", store=parts.store)
    message = EmailMessage()
    message["Subject"] = parts.subject
    message["From"] = sender
    message["To"] = Address(addr_spec=delivery.to_address or "")
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(delivery, sender)
    message["Auto-Submitted"] = "auto-generated"  # no vacation replies to a noreply sender
    message.set_content("\n\n".join([greeting, *parts.paragraphs, signature]) + "\n")
    message.add_alternative(_html(greeting, parts, signature, language), subtype="html")
    if parts.qr is not None:
        html_part = message.get_body(preferencelist=("html",))
        assert isinstance(html_part, EmailMessage)
        html_part.add_related(parts.qr, maintype="image", subtype="png",
                              cid=f"<{PICKUP_QR_CID}>", filename="pickup-code.png",
                              disposition="inline")
    message["Content-Language"] = language  # after the body: building it resets Content-*
    return message
