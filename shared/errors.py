"""What a client sees when the core says no.

The core answers every refusal with problem+json; the client turns it into
one of these, carrying the core's human message in ``str(error)``::

    CommerceError
    ├── InvalidRequest      400 / 422  the input was not acceptable
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

from typing import Any

__all__ = [
    "CommerceError",
    "Conflict",
    "Forbidden",
    "InvalidRequest",
    "NotFound",
    "OutOfStock",
    "PaymentFailed",
    "TooManyAttempts",
    "Unauthorized",
    "Unavailable",
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
