"""The till session: opening float, cash in/out, X and Z reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from shared.schemas.common import Request, Schema
from shared.schemas.orders import Cents, PositiveCents


class TillOpen(Request):
    float_cents: Cents = Field(description="Cash counted into the drawer at opening.")


class CashMovementIn(Request):
    kind: Literal["in", "out"] = Field(description="`in`: change added; `out`: a cash drop "
                                       "or a paid-out.")
    amount_cents: PositiveCents
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=80)]


class TillClose(Request):
    counted_cents: Cents = Field(description="Cash counted in the drawer at closing.")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


class TenderTotal(Schema):
    tender: str
    count: int
    amount_cents: int


class TillReport(Schema):
    """An X report (the session so far) or, once closed, its Z report."""

    kind: Literal["X", "Z"]
    session_id: int
    store: str
    till: str
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    closed_by: str | None
    approved_by: str | None
    float_cents: int
    sales: list[TenderTotal]
    refunds: list[TenderTotal]
    sales_cents: int
    refunds_cents: int
    cash_in_cents: int
    cash_out_cents: int
    expected_cash_cents: int
    counted_cents: int | None
    variance_cents: int | None
    store_credit_issued_cents: int = Field(
        default=0, description="Store credit and gift-card value this till gave out as "
        "refunds (returns refunded to store credit, refunds to those tenders); part of "
        "`refunds`, never of the drawer's cash.")
    store_credit_issued_count: int = 0
    needs_supervisor_over_cents: int = Field(
        description="A closing variance beyond this needs a supervisor.")
