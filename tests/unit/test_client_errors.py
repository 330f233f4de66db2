"""The client maps every refusal of the core to the documented exception tree."""

from __future__ import annotations

import httpx
import pytest

from shared import errors
from shared.client import Api, AsyncCommerceClient, CommerceClient


def _client(status: int, body: object, content_type: str = "application/problem+json"
            ) -> CommerceClient:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer tok"
        return httpx.Response(status, json=body, headers={"content-type": content_type})

    return CommerceClient("http://core", "tok", transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (401, "invalid_device_token", errors.Unauthorized),
        (403, "till_only", errors.Forbidden),
        (404, "product_not_found", errors.NotFound),
        (409, "out_of_stock", errors.OutOfStock),
        (409, "illegal_transition", errors.Conflict),
        (402, "card_declined", errors.PaymentFailed),
        (422, "invalid_input", errors.InvalidRequest),
        (429, "device_locked", errors.TooManyAttempts),
        (503, "database_unavailable", errors.Unavailable),
    ],
)
def test_problem_becomes_typed_error_with_the_core_message(
    status: int, code: str, error: type[errors.CommerceError]
) -> None:
    client = _client(status, {"title": "x", "status": status, "detail": "Said plainly.",
                              "code": code})
    with pytest.raises(error) as caught:
        client.call(Api.product("SKU"))
    assert str(caught.value) == "Said plainly."
    assert caught.value.code == code
    assert caught.value.status == status


def test_a_body_that_is_not_json_still_gives_an_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>bad gateway</html>")

    client = CommerceClient("http://core", "tok", transport=httpx.MockTransport(handler))
    with pytest.raises(errors.Unavailable, match="HTTP 502"):
        client.call(Api.health())


def test_connection_refused_is_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    client = CommerceClient("http://core", "tok", transport=httpx.MockTransport(handler))
    with pytest.raises(errors.Unavailable, match="cannot be reached"):
        client.call(Api.health())


async def test_async_client_times_out_as_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow")

    async with AsyncCommerceClient("http://core", "tok",
                                   transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(errors.Unavailable, match="in time"):
            await client.call(Api.health())


def test_staff_token_travels_in_its_header() -> None:
    seen: dict[str, str] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.headers)
        return httpx.Response(200, json={"status": "ok", "database": "ok", "version": "1"})

    client = CommerceClient("http://core", "tok", transport=httpx.MockTransport(handler))
    client.staff_token = "staff-jwt"
    client.call(Api.health())
    assert seen["x-staff-token"] == "staff-jwt"
