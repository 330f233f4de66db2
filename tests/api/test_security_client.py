"""Issue 11, the apps' side: whatever a cashier types becomes one URL-quoted path
segment, and whatever the core answers becomes a value or a ``CommerceError``,
never another exception that would crash a worker (``moka/..`` in the sale field)."""

from __future__ import annotations

import httpx
import pytest

from shared import errors
from shared.client import Api, CommerceClient


@pytest.mark.parametrize("typed", ["moka/..", "..", ".", "a?b=1", "a#b", "%2e%2e", "a b/c"])
def test_a_typed_code_stays_one_path_segment(typed: str) -> None:
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(404, json={"detail": "no such product", "code": "not_found"})

    with CommerceClient("http://core", "t", transport=httpx.MockTransport(answer)) as client, \
            pytest.raises(errors.NotFound):
        client.call(Api.product(typed))
    path = seen[0].raw_path.decode()
    assert path.startswith("/v1/products/") and path.count("/") == 3, path
    assert "?" not in path and "#" not in path


@pytest.mark.parametrize("body", [b"<html>proxy error</html>", b'{"sku": 1}', b"[]", b""])
def test_an_unreadable_answer_is_a_commerce_error(body: bytes) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with CommerceClient("http://core", "t", transport=transport) as client, \
            pytest.raises(errors.CommerceError) as caught:
        client.call(Api.product("ABC"))
    assert caught.value.code == "unreadable_answer"


def test_moka_dot_dot_typed_at_the_till_is_not_found(as_device) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    for typed in ("moka/..", "..", "moka/../../health"):
        with pytest.raises(errors.NotFound):
            till.call(Api.product(typed))
        with pytest.raises(errors.CommerceError):
            till.call(Api.availability(typed))
