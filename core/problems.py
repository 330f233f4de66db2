"""Domain errors and their problem+json rendering.

Services raise these; the app turns them into ``application/problem+json``
with a sentence a cashier or shopper can read. Anything else that escapes is a
bug: it is logged and answered with a generic 500 problem, never a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import describe_invalid

log = logging.getLogger("omnitill.core")

PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    """Every refusal, as served (RFC 9457 problem details plus our ``code``)."""

    type: str = "about:blank"
    title: str
    status: int = Field(ge=400, le=599)
    detail: str = Field(description="A sentence a cashier or shopper can read.")
    code: str = Field(description="Stable machine-readable reason, e.g. `out_of_stock`.")
    instance: str
    context: dict[str, Any] | None = None
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Invalid input: each field and what is wrong with it.")


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "model": Problem,
             "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for status, description in {
        400: "Bad request", 401: "No or wrong device token or staff sign-in",
        403: "This device or role may not do this", 404: "Not found",
        409: "The state does not allow it now", 413: "Request body too large",
        422: "Invalid input", 429: "Locked after too many wrong PINs or codes",
        503: "The database is busy or unreachable; retry",
    }.items()
}
"""Declared on every route, so the OpenAPI document says what a client may get."""


class CommerceProblem(Exception):
    """A request the core refuses, with the reason said plainly."""

    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str, *, code: str | None = None, **context: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.context = context or None


class InvalidInput(CommerceProblem):
    status, code, title = 422, "invalid_input", "Invalid input"


class Unauthorized(CommerceProblem):
    status, code, title = 401, "unauthorized", "Not signed in"


class Forbidden(CommerceProblem):
    status, code, title = 403, "forbidden", "Not allowed"


class NotFound(CommerceProblem):
    status, code, title = 404, "not_found", "Not found"


class Conflict(CommerceProblem):
    status, code, title = 409, "conflict", "Conflict"


class OutOfStock(Conflict):
    code, title = "out_of_stock", "Out of stock"


class PaymentFailed(CommerceProblem):
    status, code, title = 402, "payment_failed", "Payment not completed"


class Locked(CommerceProblem):
    status, code, title = 429, "locked", "Too many attempts"


class Unavailable(CommerceProblem):
    status, code, title = 503, "unavailable", "Service unavailable"


def problem_response(
    status: int, title: str, detail: str, code: str, request: Request, *,
    headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = dict(headers or {}) | ({"Retry-After": "1"} if status == 503 else {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON,
                        headers=headers or None)


def _named(exc: DBAPIError) -> str:
    """What a database error was, without its message: PostgreSQL repeats the
    offending row's values there (``DETAIL: Key (email)=(...) already exists``)."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    parts = [type(orig).__name__ if orig is not None else type(exc).__name__]
    for attribute in ("sqlstate", "constraint_name", "table_name", "column_name"):
        value = getattr(diag, attribute, None) or (
            getattr(orig, attribute, None) if attribute == "sqlstate" else None)
        if value:
            parts.append(f"{attribute}={value}")
    if orig is not None and diag is None:
        # sqlite3 names the constraint in its message, never the values
        parts.append(str(orig))
    return " ".join(parts)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(CommerceProblem)
    async def _commerce(request: Request, exc: CommerceProblem) -> JSONResponse:
        return problem_response(
            exc.status, exc.title, exc.detail, exc.code, request, context=exc.context
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        detail = describe_invalid(exc.errors())
        return problem_response(
            422, "Invalid input", detail, "invalid_input", request, errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed", 401: "Not signed in"}
        detail = exc.detail if isinstance(exc.detail, str) else "Request refused."
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"There is nothing at {request.url.path}."
        return problem_response(
            exc.status_code,
            titles.get(exc.status_code, "Request refused"),
            detail,
            {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error"),
            request,
            # A 405 says which methods the address takes (``Allow``), as HTTP requires.
            headers=dict(exc.headers or {}),
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # A constraint caught what a service should have refused first: a
        # concurrent writer won a race. The transaction was rolled back whole.
        log.warning("integrity error on %s: %s", request.url.path, _named(exc))
        return problem_response(
            409, "Conflict", "Someone else changed this at the same moment; please try again.",
            "concurrent_change", request,
        )

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable on %s: %s", request.url.path, _named(exc))
        return problem_response(
            503, "Service unavailable", "The database is busy or unreachable; please retry.",
            "database_unavailable", request,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem_response(
            500, "Internal error", "Something went wrong on our side; nothing was saved.",
            "internal_error", request,
        )
