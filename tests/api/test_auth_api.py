"""Staff sign-in, roles, lockout and the OpenAPI security declarations."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from core.auth import service as auth
from core.db import Database
from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.enums import DeviceKind


def test_staff_pin_gives_a_staff_token_on_a_till(as_device) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    session = till.call(Api.staff_sign_in("2222"))
    assert session.staff.role == "supervisor"
    till.staff_token = session.token
    assert till.call(Api.whoami()).staff is not None


def test_a_kiosk_cannot_sign_staff_in(as_device) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.Forbidden, match="till"):
        as_device("MI01", "kiosk").call(Api.staff_sign_in("1111"))


def test_a_pin_of_another_store_is_refused(as_device) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.Unauthorized, match="PIN"):
        as_device("RM01", "pos").call(Api.staff_sign_in("1111"))


def test_wrong_pins_lock_the_till(as_device) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    for _ in range(4):
        with pytest.raises(errors.Unauthorized):
            till.call(Api.staff_sign_in("0000"))
    with pytest.raises(errors.TooManyAttempts, match="Too many"):
        till.call(Api.staff_sign_in("0000"))
    with pytest.raises(errors.TooManyAttempts):
        till.call(Api.staff_sign_in("1111"))  # even the right PIN waits


def test_a_staff_token_is_bound_to_its_till(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded
) -> None:
    """A staff token copied off one till is worth nothing on another: not on a
    second till of the same store, not on that store's kiosk."""
    till: CommerceClient = as_device("MI01", "pos")
    token = till.call(Api.staff_sign_in("1111")).token
    with Database(seeded.url) as db, db.write() as session:
        second_token = auth.add_device(session, kind=DeviceKind.POS, name="MI01 till 2",
                                       store_code="MI01")
    second_till = CommerceClient("http://testserver", second_token, http=http)
    second_till.staff_token = token
    with pytest.raises(errors.Forbidden, match="another till"):
        second_till.call(Api.whoami())
    kiosk: CommerceClient = as_device("MI01", "kiosk")
    kiosk.staff_token = token
    assert kiosk.call(Api.whoami()).staff is None  # a kiosk has no staff, whatever it sends
    with pytest.raises((errors.Unauthorized, errors.Forbidden)):
        kiosk.call(Api.customers("rossi"))
    till.staff_token = token
    assert till.call(Api.whoami()).staff is not None  # where it was issued, it works


def test_openapi_declares_security_for_every_endpoint_but_health(http: TestClient) -> None:
    spec = http.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert {"DeviceToken", "StaffToken"} <= set(schemes)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if path in ("/v1/health", "/v1/health/ready"):  # load balancers have no token
                assert not operation.get("security")
                continue
            names = {name for req in operation.get("security", []) for name in req}
            assert "DeviceToken" in names, f"{method.upper()} {path} declares no device token"
