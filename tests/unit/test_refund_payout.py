"""What the returns desk tells the cashier went back: a card part the terminal
did not refund is said as owed, never as done (issue 16 item 5)."""

from __future__ import annotations

from datetime import UTC, datetime

from pos.screens.returns import payout
from shared.schemas.returns import ReturnOut, ReturnRefundOut


def _refunded(pending_cents: int) -> ReturnOut:
    return ReturnOut(
        number="R-MI01-000001", order_number="MI01-000001", store="MI01", status="refunded",
        refund_to="original", refund_cents=8000, needs_supervisor=False,
        credit_card_number=None, lines=[], slip_code="OT1:S:R-MI01-000001:X",
        refunds=[ReturnRefundOut(tender="card", amount_cents=5000),
                 ReturnRefundOut(tender="cash", amount_cents=3000)],
        created_at=datetime.now(UTC), card_refund_pending_cents=pending_cents)


def euros(cents: int) -> str:
    return f"{cents / 100:.2f} €"


def test_a_card_refund_the_terminal_made_is_said_plainly() -> None:
    assert payout(_refunded(0), euros) == "Card 50.00 € · Cash to hand out 30.00 €"


def test_a_card_refund_the_terminal_did_not_make_is_said_as_owed() -> None:
    said = payout(_refunded(5000), euros)
    assert said.startswith("Card 50.00 € · Cash to hand out 30.00 €")
    assert "the card terminal has NOT refunded 50.00 € yet" in said
    assert "tell a supervisor" in said
