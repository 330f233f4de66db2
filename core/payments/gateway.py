"""Card payments go through a ``PaymentGateway``; the built-in one simulates a
terminal so every path (approve, decline, timeout) can be shown and tested.

The simulated terminal decides by the card token a test or demo passes
(``approve``, ``decline``, ``timeout``) or, without one, by the amount's last
two digits: ``..01`` cents is declined, ``..02`` cents times out, anything else
is approved. A real acquirer plugs in by implementing the protocol.

A refund carries an idempotency key, as acquirers take one: the same key asked
twice (an answer lost on the way, a retry of a pending refund) gives back the
money once and answers the second time as it did the first.
"""

from __future__ import annotations

import secrets
import threading
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

    def refund(self, *, reference: str, amount_cents: int,
               idempotency_key: str | None = None) -> GatewayResult:
        """Give back ``amount_cents`` of the charge ``reference``; ``idempotency_key``
        (the core always sends one) makes a repeat of the same refund harmless."""
        ...


class SimulatedTerminal:
    """A card terminal that needs no card: deterministic by token or amount."""

    def __init__(self) -> None:
        self._refunds: dict[str, GatewayResult] = {}
        self._lock = threading.Lock()

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

    def refund(self, *, reference: str, amount_cents: int,
               idempotency_key: str | None = None) -> GatewayResult:
        with self._lock:
            if idempotency_key is not None and idempotency_key in self._refunds:
                return self._refunds[idempotency_key]
            result = self.give_back(reference=reference, amount_cents=amount_cents)
            if idempotency_key is not None and result.status == PaymentStatus.APPROVED:
                self._refunds[idempotency_key] = result
            return result

    def give_back(self, *, reference: str, amount_cents: int) -> GatewayResult:
        """Where the money moves, once per idempotency key (a test's terminal
        overrides this to count it, or to refuse)."""
        return GatewayResult(PaymentStatus.APPROVED, "SIMR-" + secrets.token_hex(5).upper(),
                             "Refunded to the card")
