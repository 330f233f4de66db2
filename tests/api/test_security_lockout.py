"""Issue 11, PIN guessing against the per-capability lock (core/auth/lockout.py):
a right PIN does not forgive someone else's wrong ones, parallel guesses are
never checked beyond the limit, and counts decay after a quiet window."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from core.auth import service as auth_service
from core.timeutil import set_clock
from shared import errors
from shared.client import Api, CommerceClient

LIMIT = 5  # CoreSettings.lockout_attempts


def _wrong(till: CommerceClient, pin: str = "0000") -> type[errors.CommerceError]:
    try:
        till.call(Api.staff_sign_in(pin))
    except errors.CommerceError as exc:
        return type(exc)
    raise AssertionError("a wrong PIN was accepted")


def test_a_right_pin_between_guesses_does_not_reset_the_count(as_device) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    for guess in ("0001", "0002", "0003", "0004"):
        assert _wrong(till, guess) is errors.Unauthorized
    till.call(Api.staff_sign_in("1111"))  # the cashier's own PIN
    assert _wrong(till, "0005") is errors.TooManyAttempts
    with pytest.raises(errors.TooManyAttempts):
        till.call(Api.staff_sign_in("2222"))


def test_parallel_wrong_pins_are_never_checked_beyond_the_limit(  # type: ignore[no-untyped-def]
    as_device, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = auth_service.find_staff_by_pin

    def counting(session, *, store_code: str, pin: str):  # type: ignore[no-untyped-def]
        checked.append(pin)
        return real(session, store_code=store_code, pin=pin)

    monkeypatch.setattr(auth_service, "find_staff_by_pin", counting)
    till: CommerceClient = as_device("MI01", "pos")
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda i: _wrong(till, f"{i:04d}"), range(30)))
    assert len(checked) <= LIMIT
    assert answers.count(errors.Unauthorized) <= LIMIT - 1
    assert errors.TooManyAttempts in answers


def test_a_count_decays_after_a_quiet_window(as_device) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    for _ in range(LIMIT - 1):
        assert _wrong(till) is errors.Unauthorized
    later = datetime.now(UTC) + timedelta(minutes=16)
    set_clock(lambda: later)
    try:
        for _ in range(LIMIT - 1):
            assert _wrong(till) is errors.Unauthorized
        assert _wrong(till) is errors.TooManyAttempts
    finally:
        set_clock(None)


def test_a_supervisor_still_unlocks_and_signs_in(as_device) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    for _ in range(LIMIT - 1):
        _wrong(till)
    assert _wrong(till) is errors.TooManyAttempts
    assert till.call(Api.unlock("2222")).unlocked == ["pin"]
    assert till.call(Api.staff_sign_in("1111")).staff.name


def test_a_deactivated_cashier_stops_on_the_next_request(as_device, seeded) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from core.auth.models import Staff
    from core.db import Database

    till: CommerceClient = as_device("MI01", "pos")
    session = till.call(Api.staff_sign_in("1111"))
    till.staff_token = session.token
    assert till.call(Api.whoami()).staff is not None
    db = Database(seeded.url)
    try:
        with db.write() as s:
            s.execute(update(Staff).where(Staff.id == session.staff.id).values(active=False))
    finally:
        db.dispose()
    with pytest.raises(errors.Unauthorized) as caught:
        till.call(Api.open_till(10_000))
    assert caught.value.code == "staff_inactive"
