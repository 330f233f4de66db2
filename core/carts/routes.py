"""Basket endpoints for kiosks, tills and the web shop."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from core.carts import service
from core.deps import DbDep, MaybeStaffDep, SettingsDep, StaffDep, TillDep
from shared.schemas.enums import LineAnswer
from shared.schemas.orders import (
    CartCreate,
    CartCustomer,
    CartLineChange,
    CartLineSet,
    CartOut,
    CartPark,
    Handoff,
)

router = APIRouter(prefix="/v1/carts", tags=["carts"])


@router.post("", response_model=CartOut, status_code=status.HTTP_201_CREATED,
             summary="Start a basket")
def create(body: CartCreate, db: DbDep, settings: SettingsDep, caller: MaybeStaffDep) -> CartOut:
    with db.write() as session:
        cart = service.create_cart(session, caller=caller, body=body,
                                   minutes=settings.cart_reservation_minutes)
        return service.cart_out(session, cart, settings)


@router.get("", response_model=list[CartOut], summary="Parked baskets of this till's store")
def parked(db: DbDep, settings: SettingsDep, caller: TillDep) -> list[CartOut]:
    with db.write() as session:
        return [service.cart_out(session, c, settings)
                for c in service.parked(session, caller=caller)]


@router.get("/{cart_id}", response_model=CartOut, summary="A basket (expired ones say so)")
def read(cart_id: str, db: DbDep, settings: SettingsDep, caller: MaybeStaffDep) -> CartOut:
    with db.write() as session:  # lazy expiry may release stock
        cart = service.get_cart(session, cart_id, caller=caller)
        service.expire_if_due(session, cart)
        return service.cart_out(session, cart, settings)


@router.post("/{cart_id}/lines", response_model=CartOut | CartLineChange,
             summary="Set a line's quantity (0 removes it); reserves stock")
def set_line(cart_id: str, body: CartLineSet, db: DbDep, settings: SettingsDep,
             caller: MaybeStaffDep,
             answer: Annotated[LineAnswer, Query(
                 description="`basket` (the default): the whole priced basket. `line`: "
                 "the line as it is now and the basket's totals, which cost the same in "
                 "a long basket as in a short one (a till's scans).")] = LineAnswer.BASKET,
             ) -> CartOut | CartLineChange:
    whole = answer is LineAnswer.BASKET
    with db.write() as session:
        changed = service.set_line(session, caller=caller, cart_id=cart_id, line=body,
                                   minutes=settings.cart_reservation_minutes,
                                   with_lines=whole)
        if whole:
            return service.cart_out(session, changed.cart, settings)
        return service.line_change_out(session, changed, settings)


@router.put("/{cart_id}/customer", response_model=CartOut,
            summary="Attach a customer to a till sale (or take them off)")
def set_customer(cart_id: str, body: CartCustomer, db: DbDep, settings: SettingsDep,
                 caller: StaffDep) -> CartOut:
    with db.write() as session:
        cart = service.set_customer(session, caller=caller, cart_id=cart_id,
                                    customer_id=body.customer_id)
        return service.cart_out(session, cart, settings)


@router.post("/{cart_id}/handoff", response_model=Handoff,
             summary="Hand the basket to a till: a short code and its OT1:C QR payload")
def handoff(cart_id: str, db: DbDep, settings: SettingsDep, caller: MaybeStaffDep) -> Handoff:
    with db.write() as session:
        return service.handoff(session, caller=caller, cart_id=cart_id,
                               minutes=settings.cart_reservation_minutes * 2)


@router.post("/{cart_id}/park", response_model=CartOut, summary="Park a till sale to recall later")
def park(cart_id: str, body: CartPark, db: DbDep, caller: TillDep) -> CartOut:
    with db.write() as session:
        return service.cart_out(session, service.park(session, caller=caller, cart_id=cart_id,
                                                      label=body.label))


@router.post("/{cart_id}/recall", response_model=CartOut,
             summary="Take a parked sale back to this till")
def recall(cart_id: str, db: DbDep, settings: SettingsDep, caller: StaffDep) -> CartOut:
    with db.write() as session:
        return service.cart_out(session, service.recall(session, caller=caller,
                                                        cart_id=cart_id), settings)


@router.delete("/{cart_id}", response_model=CartOut, summary="Abandon a basket; stock goes back")
def abandon(cart_id: str, db: DbDep, caller: MaybeStaffDep) -> CartOut:
    with db.write() as session:
        return service.cart_out(session, service.abandon(session, caller=caller,
                                                         cart_id=cart_id))
