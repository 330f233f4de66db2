"""A kiosk stays a kiosk (issue 12, item 14): no key leaves it for the shell or
opens Textual's command palette, and a wrong device token is said at start-up,
in one sentence for staff, before any shopper taps "Start"."""

from __future__ import annotations

import httpx
from textual.command import CommandPalette
from textual.widgets import Button, Label

from kiosk.app import make_kiosk
from kiosk.screens.attract import AttractScreen
from kiosk.settings import KioskSettings
from tests.pos.pilot import settle, wait_until


def problem_text(app) -> str:  # type: ignore[no-untyped-def]
    return "".join(str(x.render()) for x in app.screen.query("#setup-problem").results(Label))


async def test_no_key_quits_or_opens_a_command_palette(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.press("ctrl+q")
        await pilot.press("ctrl+c")
        await settle(app, pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert isinstance(app.screen, AttractScreen)
        assert not app._exit


async def test_a_refused_device_token_is_said_at_start_up(core_app) -> None:  # type: ignore[no-untyped-def]
    settings = KioskSettings(core_url="http://core", language="en", device_token="not-a-token")
    app = make_kiosk(settings, transport=httpx.ASGITransport(app=core_app))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(app, pilot, lambda: "OMNITILL_DEVICE_TOKEN" in problem_text(app),
                         what="the setup problem on the attract screen")
        assert app.screen.query_one("#start", Button).disabled
        await pilot.click("#attract-title")
        await settle(app, pilot)
        assert isinstance(app.screen, AttractScreen)


async def test_a_till_token_on_a_kiosk_is_said_too(core_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    settings = KioskSettings(core_url="http://core", language="en",
                             device_token=seeded_sqlite.tokens["MI01"]["pos"])
    app = make_kiosk(settings, transport=httpx.ASGITransport(app=core_app))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(app, pilot, lambda: "not a kiosk" in problem_text(app),
                         what="the setup problem on the attract screen")


async def test_a_good_kiosk_says_nothing_of_setup(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert problem_text(app) == ""
        assert not app.screen.query_one("#start", Button).disabled
