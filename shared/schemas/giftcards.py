"""Gift-card balance checks."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from shared.schemas.common import Request

__all__ = ["GiftCardCheck"]


class GiftCardCheck(Request):
    card_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=24)] = Field(
        description="The 16 digits printed on the card (spaces allowed).")
    pin: Annotated[str, StringConstraints(pattern=r"^[0-9]{4,8}$")] | None = Field(
        default=None, description="The PIN under the scratch panel; required from the "
        "web shop, optional at a till (the card is in hand).")
