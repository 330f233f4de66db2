"""A till locked by wrong PINs says how to unlock it, and a supervisor does so on the
spot with their PIN (F5 on the login screen); the core records who did."""

from __future__ import annotations

from pos.screens.login import UNLOCK_PROMPT, LoginScreen
from pos.screens.sell import SellScreen
from shared.client import Api
from tests.pos.pilot import settle
from tests.pos.pilot import text_of as _text


async def test_wrong_pins_lock_the_till_and_a_supervisor_unlocks_it(  # type: ignore[no-untyped-def]
    till_factory
) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(5):
            await pilot.press(*"0000", "enter")
            await settle(app, pilot)
        said = _text(app, "#login-error")
        assert "Too many wrong PINs" in said and "F5" in said
        await pilot.press(*"1111", "enter")  # the right PIN waits too
        await settle(app, pilot)
        assert isinstance(app.screen, LoginScreen) and "F5" in _text(app, "#login-error")

        await pilot.press("f5")
        await settle(app, pilot)
        assert _text(app, "#login-prompt") == UNLOCK_PROMPT
        await pilot.press(*"1111", "enter")  # a cashier cannot unlock
        await settle(app, pilot)
        assert "supervisor's PIN is needed" in _text(app, "#login-error")
        await pilot.press(*"2222", "enter")
        await settle(app, pilot)
        assert "Unlocked by Giulia Verdi" in _text(app, "#login-error")
        assert _text(app, "#login-prompt") != UNLOCK_PROMPT

        await pilot.press(*"1111", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen)
        unlocked = await app.client.call(Api.events(types="device.unlocked"))
        assert [(e.payload["staff"], e.payload["locks"]) for e in unlocked] == [
            ("Giulia Verdi", ["pin"])]


async def test_escape_goes_back_to_the_cashiers_sign_in(till_factory) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        assert _text(app, "#login-prompt") == UNLOCK_PROMPT
        await pilot.press("escape")
        await settle(app, pilot)
        assert _text(app, "#login-prompt") == "Type your PIN and press Enter"
        await pilot.press(*"1111", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen)
