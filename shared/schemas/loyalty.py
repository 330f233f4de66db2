"""A loyalty card as the shopper shows it."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from shared.schemas.common import Request

__all__ = ["LoyaltyCardIn"]


class LoyaltyCardIn(Request):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=80)] = Field(
        description="The card's QR (`OT1:L:...`) or the 13-digit number printed under its "
        "barcode.")
