"""Card payments go through a ``PaymentGateway``; the built-in one simulates a
terminal so every path (approve, decline, timeout) can be shown and tested.

The simulated terminal decides by the card token a test or demo passes
(``approve``, ``decline``, ``timeout``) or, without one, by the amount's last
two digits: ``..01`` cents is declined, ``..02`` cents times out, anything else
is approved. A real acquirer plugs in by implementing the protocol.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

from shared.schemas.enums import PaymentStatus


@dataclass(frozen=True, slots=True)
class GatewayResult:
    status: PaymentStatus
    reference: str
    message: str


class PaymentGateway(Protocol):
    def charge(self, *, amount_cents: int, order_number: str,
               card_token: str | None) -> GatewayResult: ...

    def refund(self, *, reference: str, amount_cents: int) -> GatewayResult: ...


class SimulatedTerminal:
    """A card terminal that needs no card: deterministic by token or amount."""

    def charge(self, *, amount_cents: int, order_number: str,
               card_token: str | None) -> GatewayResult:
        decision = (card_token or "").lower()
        if not decision:
            decision = {1: "decline", 2: "timeout"}.get(amount_cents % 100, "approve")
        reference = "SIM-" + secrets.token_hex(5).upper()
        if decision == "decline":
            return GatewayResult(PaymentStatus.DECLINED, reference,
                                 "Card declined by the issuer. Ask for another card or tender.")
        if decision == "timeout":
            return GatewayResult(PaymentStatus.TIMEOUT, reference,
                                 "The card terminal did not answer. Nothing was charged; "
                                 "try again.")
        return GatewayResult(PaymentStatus.APPROVED, reference, "Approved")

    def refund(self, *, reference: str, amount_cents: int) -> GatewayResult:
        return GatewayResult(PaymentStatus.APPROVED, "SIMR-" + secrets.token_hex(5).upper(),
                             "Refunded to the card")
