"""What a client sees when the core says no.

The core answers every refusal with problem+json; the client turns it into
one of these, carrying the core's human message in ``str(error)``::

    CommerceError
    ├── InvalidRequest      400 / 422  the input was not acceptable
    │   └── InvalidInput    a body the app could not even build
    ├── Unauthorized        401        no / wrong device token or staff sign-in
    ├── Forbidden           403        this device or role may not do this
    ├── NotFound            404
    ├── Conflict            409        the state does not allow it now
    │   └── OutOfStock      409 out_of_stock
    ├── PaymentFailed       402        card declined or timed out
    ├── TooManyAttempts     429        device locked after wrong PINs or codes
    └── Unavailable         5xx, timeouts, connection refused: worth retrying
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "CommerceError",
    "Conflict",
    "Forbidden",
    "InvalidInput",
    "InvalidRequest",
    "NotFound",
    "OutOfStock",
    "PaymentFailed",
    "TooManyAttempts",
    "Unauthorized",
    "Unavailable",
    "describe_invalid",
    "error_from_problem",
]


class CommerceError(Exception):
    """A request the core refused or could not answer."""

    def __init__(
        self, message: str, *, status: int = 0, code: str = "",
        problem: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.problem = problem or {}

    @property
    def context(self) -> dict[str, Any]:
        return dict(self.problem.get("context") or {})


class InvalidRequest(CommerceError):
    pass


class InvalidInput(InvalidRequest, ValueError):
    """A request body an app could not build from what was typed: refused before it
    is sent, with the core's words. Also a ``ValueError``, as pydantic's own error
    was, so a dialog that checks a value by building its request keeps working."""


def describe_invalid(errors: Sequence[Mapping[str, Any]], *, most: int = 5) -> str:
    """Pydantic's errors as one line a person can act on (``qty: Input should be less
    than or equal to 999``): said the same by the core's 422 and by an app that
    could not build the request in the first place."""
    parts = []
    for error in list(errors)[:most]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "The request is not valid."


class Unauthorized(CommerceError):
    pass


class Forbidden(CommerceError):
    pass


class NotFound(CommerceError):
    pass


class Conflict(CommerceError):
    pass


class OutOfStock(Conflict):
    pass


class PaymentFailed(CommerceError):
    pass


class TooManyAttempts(CommerceError):
    pass


class Unavailable(CommerceError):
    pass


_BY_STATUS: dict[int, type[CommerceError]] = {
    400: InvalidRequest,
    401: Unauthorized,
    402: PaymentFailed,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: InvalidRequest,
    429: TooManyAttempts,
}


def error_from_problem(status: int, problem: dict[str, Any]) -> CommerceError:
    """Map a problem+json body (or any error body) to the exception tree."""
    message = str(problem.get("detail") or problem.get("title") or f"HTTP {status}")
    code = str(problem.get("code") or "")
    if code == "out_of_stock":
        cls: type[CommerceError] = OutOfStock
    elif status >= 500:
        cls = Unavailable
    else:
        cls = _BY_STATUS.get(status, InvalidRequest if status < 500 else Unavailable)
    return cls(message, status=status, code=code, problem=problem)
