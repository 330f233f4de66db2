"""Small helpers the API tests share: signed-in tills, stock set-up, picking SKUs."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update

from core.db import Database
from core.stock.models import Reservation, StockLevel
from shared.client import Api, CommerceClient
from shared.errors import Conflict
from shared.schemas.orders import Contact, LineIn, OrderCreate


def key() -> str:
    return uuid.uuid4().hex


def sign_in(till: CommerceClient, pin: str = "1111", *, open_till: bool = True) -> CommerceClient:
    """Sign a till in and, unless told otherwise, open its drawer with a 100.00 float."""
    till.staff_token = till.call(Api.staff_sign_in(pin)).token
    if open_till:
        try:
            till.call(Api.open_till(10_000))
        except Conflict as exc:
            if exc.code != "till_open":
                raise
    return till


def set_stock(url: str, location: str, sku: str, on_hand: int) -> None:
    """Put a known quantity on a shelf, bypassing the API (test set-up only)."""
    db = Database(url)
    try:
        with db.write() as session:
            session.merge(StockLevel(location_code=location, sku=sku, on_hand=on_hand,
                                     reserved=0))
            session.execute(update(Reservation).where(Reservation.sku == sku,
                                                      Reservation.location_code == location)
                            .values(qty=1))
            for r in session.scalars(select(Reservation).where(
                    Reservation.sku == sku, Reservation.location_code == location)):
                session.delete(r)
    finally:
        db.dispose()


def level(url: str, location: str, sku: str) -> tuple[int, int]:
    db = Database(url)
    try:
        with db.read() as session:
            row = session.get(StockLevel, (location, sku))
            return (row.on_hand, row.reserved) if row else (0, 0)
    finally:
        db.dispose()


def some_sku(client: CommerceClient, index: int = 0) -> str:
    return client.call(Api.products(limit=50)).items[index].sku


def web_pickup(sku: str, qty: int = 1, store: str = "MI01", fulfilment: str = "pickup",
               **extra: object) -> OrderCreate:
    return OrderCreate(lines=[LineIn(sku=sku, qty=qty)], fulfilment=fulfilment,
                       pickup_store=store,
                       contact=Contact(name="Giulia Rossi", email="giulia.test@example.it"),
                       **extra)


def warehouse_moves(url: str, number: str, *statuses: str) -> None:
    """The warehouse's own system moves web orders on (it has no till here)."""
    from core.caller import Caller
    from core.orders import lifecycle
    from shared.schemas.enums import DeviceKind, OrderStatus

    db = Database(url)
    try:
        for status in statuses:
            with db.write() as session:
                lifecycle.transition(
                    session, caller=Caller(0, DeviceKind.POS, "WH01 system", None),
                    number=number, to=OrderStatus(status), note="")
    finally:
        db.dispose()
