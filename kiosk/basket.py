"""The shopper's basket, kept on the core (which reserves its stock).

No dead ends: a basket that ran out of time is started again for the shopper
with what it held (what is no longer there is named, the rest kept), and a
basket handed to a till (or paid) makes room for a new one. A basket left
behind when the kiosk resets is abandoned on the core at once, so its
reservation goes back on the shelf instead of waiting out its expiry.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

from shared.client import Api, AsyncCommerceClient
from shared.errors import CommerceError, Conflict, OutOfStock
from shared.schemas.orders import CartLineSet, CartOut, Handoff

KEPT = "cart_expired"
"""A basket in this state is started again with its lines."""

REPLACED = ("cart_expired", "cart_handed_off", "cart_checked_out", "cart_abandoned")
"""A basket in any of these states can take no more lines: a new one is started."""


@dataclass
class Renewal:
    """What a renewal kept and what it could not (names, as the shopper read them)."""

    renewed: bool = False
    dropped: list[str] = field(default_factory=list)


class Basket:
    def __init__(self, client: AsyncCommerceClient) -> None:
        self.client = client
        self.cart: CartOut | None = None

    def count(self) -> int:
        return sum(line.qty for line in self.cart.lines) if self.cart else 0

    def qty_of(self, sku: str) -> int:
        return next((x.qty for x in (self.cart.lines if self.cart else []) if x.sku == sku), 0)

    async def set_line(self, sku: str, qty: int) -> Renewal:
        """Set one line; a basket that can take no more is replaced first."""
        if self.cart is None:
            self.cart = await self.client.call(Api.create_cart())
        try:
            self.cart = await self.client.call(
                Api.set_cart_line(self.cart.id, CartLineSet(sku=sku, qty=qty)))
            return Renewal()
        except Conflict as error:
            if error.code not in REPLACED:
                raise
            wanted = self._lines() if error.code == KEPT else {}
            wanted[sku] = qty
            return await self._renew(wanted)

    async def hand_off(self) -> tuple[Handoff, Renewal]:
        """Hand the basket to a till (its QR); a basket that ran out of time is
        started again first. Once handed off it is the till's: the kiosk starts
        afresh next time."""
        assert self.cart is not None
        renewal = Renewal()
        try:
            handoff = await self.client.call(Api.handoff(self.cart.id))
        except Conflict as error:
            if error.code != KEPT:
                raise
            renewal = await self._renew(self._lines())
            if self.cart is None or not self.cart.lines:
                raise
            handoff = await self.client.call(Api.handoff(self.cart.id))
        self.cart = None
        return handoff, renewal

    async def abandon(self) -> None:
        """Give the basket's stock back now (best effort: it expires anyway)."""
        cart, self.cart = self.cart, None
        if cart is not None and cart.lines:
            with suppress(CommerceError):
                await self.client.call(Api.abandon_cart(cart.id))

    def _lines(self) -> dict[str, int]:
        return {line.sku: line.qty for line in self.cart.lines} if self.cart else {}

    async def _renew(self, wanted: dict[str, int]) -> Renewal:
        names = {line.sku: line.name for line in self.cart.lines} if self.cart else {}
        self.cart = await self.client.call(Api.create_cart())
        renewal = Renewal(renewed=True)
        for sku, qty in wanted.items():
            if qty <= 0:
                continue
            try:
                self.cart = await self.client.call(
                    Api.set_cart_line(self.cart.id, CartLineSet(sku=sku, qty=qty)))
            except OutOfStock:
                renewal.dropped.append(names.get(sku, sku))
        return renewal
