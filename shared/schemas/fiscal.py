"""What a till's fiscal printer (an Italian RT) reports back about a sale.

The RT numbers its documents itself; the core only records what the till says
the RT printed, so that a refund months later can name the original document
(closure, number, date and the RT's serial) as the law asks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AwareDatetime, Field, StringConstraints, field_validator

from shared.schemas.common import Request

__all__ = ["FiscalDocument"]

RtSerial = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True,
                                            pattern=r"^[A-Z0-9]{6,16}$")]


class FiscalDocument(Request):
    document_number: int = Field(ge=1, le=9999, description="The RT's number of the "
                                 "document commerciale, counted within its closure.")
    closure_number: int = Field(ge=1, le=9999, description="The daily closure (Z report) "
                                "number it belongs to.")
    serial: RtSerial = Field(description="The RT's serial number (matricola), e.g. "
                             "`99MEY012345`.")
    printed_at: AwareDatetime = Field(description="When the RT printed it (its own clock), "
                                      "with its UTC offset.")

    @field_validator("printed_at")
    @classmethod
    def _plausible(cls, value: datetime) -> datetime:
        """RTs exist since 2019; a date far off is a wrong clock or a wrong field."""
        if not datetime(2019, 1, 1, tzinfo=UTC) <= value <= datetime(2100, 1, 1, tzinfo=UTC):
            raise ValueError("printed_at must be a date the RT could have printed on")
        return value
