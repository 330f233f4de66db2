"""What a PIN looks like (4 to 8 digits, as ``shared.schemas.auth.Pin``), checked
before a request is built: the request's own model refuses anything else by
raising, which no screen expects from a PIN a person typed."""

from __future__ import annotations

import re

from shared.i18n import N_

PIN_SHAPE = re.compile(r"[0-9]{4,8}")

NOT_A_PIN = N_("A PIN has 4 to 8 digits.")
"""Said in the till's language where it is shown."""


def is_pin_shaped(pin: str) -> bool:
    return PIN_SHAPE.fullmatch(pin) is not None
