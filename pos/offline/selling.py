"""The sale screen's offline half: what a scan, a quantity key and a payment do
when the core does not answer.

Mixed into :class:`pos.screens.sell.SellScreen`, which keeps the sale in
``self.cart`` and prints with ``self.finish``: an offline sale is a local
``CartOut`` (see :mod:`pos.offline.sale`), so drawing it needs no offline
variant. The screen calls in at three seams: a scan (``offline_lookup``), a
line change (``offline_add``) and a payment (``pay_offline``); and
``go_offline`` when a call raises ``Unavailable``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pos.offline.sale import (
    DISCOUNT_LIMIT_PERCENT,
    is_local,
    local_cart,
    order_body,
    over_limit,
    receipt_order,
    set_discount,
    set_qty,
)
from shared.i18n import N_
from shared.schemas.enums import Role
from shared.schemas.orders import CartOut, OrderOut, PaymentIn

if TYPE_CHECKING:
    from pos.app import PosApp
    from pos.offline.link import OfflineTill

CODE_WAITS = N_("That code (basket, pickup, receipt or card) waits for the store system: "
                "the till is offline. It keeps selling for cash.")
TENDER_WAITS = N_("Gift cards, store credit and points wait for the store system: the till "
                  "is offline. It keeps selling for cash.")
"""What an offline till cannot do, said in the till's language."""

SIGNED_CODE = re.compile(r"^OT1:", re.IGNORECASE)


class OfflineSelling:
    """Offline behaviour of the sale screen (a mixin: it uses the screen's ``cart``,
    ``order``, ``key``, ``say``, ``render_sale``, ``kick_drawer`` and ``finish``)."""

    replaces_cart: str | None = None
    """The core's basket this offline sale carries on from (closed by the replay)."""
    offline_approver: str | None = None
    """The supervisor's sign-in that approved a discount of this offline sale: it goes
    with the sale, and the core checks it was valid when the sale was made."""

    cart: CartOut | None
    order: OrderOut | None
    key: str

    if TYPE_CHECKING:
        app: PosApp

        def say(self, text: str, error: bool = False) -> None: ...
        async def kick_drawer(self) -> None: ...
        async def finish(self, order: OrderOut) -> None: ...

    @property
    def offline_till(self) -> OfflineTill | None:
        return getattr(self.app, "offline", None)

    def offline_now(self) -> bool:
        """This sale is rung up on the till alone: it started offline or went so;
        a new sale starts offline while the till is."""
        offline = self.offline_till
        if offline is None:
            return False
        return is_local(self.cart) or (offline.active and self.order is None and
                                       not (self.cart and self.cart.lines))

    def go_offline(self) -> bool:
        """The core stopped answering: carry on this sale locally, if the till can
        (a catalog, a known till, a cashier signed in, no payment taken online)."""
        offline = self.offline_till
        if offline is None:
            return False
        offline.went_offline()
        if self.order is not None:
            self.say(self.app.t("Payment started with the store system: this sale waits for "
                                "it. Void it or wait; the till sells offline from the next "
                                "sale."), error=True)
            return False
        return self._local_sale()

    def _local_sale(self) -> bool:
        """Make the sale on the screen a local one (carrying on from the core's basket
        that was on it), if this till can sell offline."""
        if is_local(self.cart):
            return True
        offline = self.offline_till
        assert offline is not None
        reason = offline.can_sell() or self._no_cashier()
        if reason:
            self.say(reason, error=True)
            return False
        taken = self.cart if self.cart and self.cart.lines else None
        self.replaces_cart = taken.id if taken else None
        self.offline_approver = None
        self.cart = local_cart(self.app.store.code if self.app.store else "", taken)
        return True

    def _no_cashier(self) -> str | None:
        if not self.app.client.staff_token:
            return self.app.t(
                "Offline sales need a cashier who signed in while the till was online.")
        return None

    async def offline_lookup(self, text: str) -> str | None:
        """A scan or typed text, resolved from the till's copy of the catalog."""
        from pos.dialogs.pick_product import PickProductDialog

        if not (self.offline_now() or self.go_offline()) or not self._local_sale():
            return None
        offline = self.offline_till
        assert offline is not None and self.cart is not None
        if SIGNED_CODE.match(text):
            self.say(self.app.t(CODE_WAITS), error=True)
            return None
        product = offline.store.product(text)
        if product is None and not text.isdigit():
            found = offline.store.search(text)
            if len(found) == 1:
                product = found[0]
            elif found:
                sku = await self.app.push_screen_wait(PickProductDialog(
                    text, found, self.app.money))
                product = offline.store.product(sku) if sku else None
                if product is None:
                    return None
        if product is None:
            self.say(self.app.t("Nothing matches {text} in this till's catalog.",
                                text=repr(text)), error=True)
            return None
        return self.offline_add(product.sku, +1, product)

    def offline_add(self, sku: str, delta: int, product: Any = None) -> str | None:
        assert self.cart is not None
        line = next((x for x in self.cart.lines if x.sku == sku), None)
        if line is None and product is None:
            offline = self.offline_till
            product = offline.store.product(sku) if offline else None
            if product is None:
                return None
        self.cart = set_qty(self.cart, sku, max(0, (line.qty if line else 0) + delta),
                            product)
        self.say("")
        return sku

    def discount_here(self) -> bool:
        """A discount is given on the till alone: the sale is local, or the till is
        offline and this sale can carry on locally."""
        offline = self.offline_till
        if offline is None:
            return False
        if self.offline_now():
            return self._local_sale()
        return offline.active and self.order is None and self._local_sale()

    async def offline_discount(self, wanted: dict[str, tuple[int, int]]) -> None:
        """Line or basket discounts on a local sale: within the cashier's limit at
        once; over it, a supervisor's PIN checked on this till (their sign-in sealed
        under it, see :mod:`pos.offline.approvals`), one approval for the basket."""
        assert self.cart is not None
        lines = {line.sku: line for line in self.cart.lines}
        over = any(over_limit(lines[sku], *wanted[sku]) for sku in wanted if sku in lines)
        if over and not await self._approved():
            self.say(self.app.t("Discount not given: it needs a supervisor."), error=True)
            return
        cart = self.cart
        for sku, (percent, amount) in wanted.items():
            if sku in lines:
                cart = set_discount(cart, sku, percent, amount)
        self.cart = cart
        self.say(self.app.t("Discount given.") if any(p or a for p, a in wanted.values())
                 else self.app.t("Discount removed."))

    async def _approved(self) -> bool:
        """A supervisor answers for this sale's discounts: the one signed in, or one
        who approves with their PIN on this till (asked once per sale)."""
        from pos.dialogs.supervisor import SupervisorDialog

        staff = self.app.staff
        if staff is not None and Role(staff.role).at_least(Role.SUPERVISOR):
            return True
        if self.offline_approver is None:
            self.offline_approver = await self.app.push_screen_wait(SupervisorDialog(
                self.app.t("More than {percent} % off needs a supervisor.",
                           percent=DISCOUNT_LIMIT_PERCENT)))
        return self.offline_approver is not None

    async def pay_offline(self, payment: PaymentIn) -> None:
        """Cash (or card within the store-and-forward limits) for the whole sale:
        kept in the outbox first, then the drawer, then the receipt."""
        offline = self.offline_till
        assert offline is not None
        if not self._local_sale():
            return
        assert self.cart is not None
        due = self.cart.total_cents
        if not self.cart.lines:
            self.say(self.app.t("Scan something first."), error=True)
            return
        if payment.tender not in ("cash", "card"):
            self.say(self.app.t(TENDER_WAITS), error=True)
            return
        if payment.tender == "card" and not offline.card_allowed(due):
            self.say(self.app.t("Card needs the store system while the till is offline: "
                                "take cash."), error=True)
            return
        if payment.amount_cents < due:
            self.say(self.app.t("Offline, one payment covers the whole sale: take the full "
                                "amount."), error=True)
            return
        reason = self._no_cashier()
        if reason:
            self.say(reason, error=True)
            return
        # A discount a supervisor gave online, on the basket this sale carries on
        # from, needs their approval on the sale itself (the replay has no basket).
        if any(over_limit(line, line.discount_percent, line.discount_amount_cents)
               for line in self.cart.lines) and not await self._approved():
            self.say(self.app.t("A discount on this sale needs a supervisor: approve it or "
                                "take it off (Ctrl+T)."), error=True)
            return
        cart, sold_at, replaces = self.cart, datetime.now(UTC), self.replaces_cart
        staff_token = self.app.client.staff_token
        assert staff_token is not None  # _no_cashier() said there is one
        entry = offline.keep(key=self.key, staff_token=staff_token,
                             build=lambda number: order_body(
                                 cart, payment, number=number, sold_at=sold_at,
                                 replaces_cart=replaces),
                             approver_token=self.offline_approver)
        self.replaces_cart = self.offline_approver = None
        order = receipt_order(cart, payment, number=entry.offline_number, sold_at=sold_at,
                              currency=self.app.store.currency if self.app.store else "EUR")
        if payment.tender == "cash":
            await self.kick_drawer()
        await self.finish(order)
