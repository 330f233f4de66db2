"""Issue 15, item 6 at the counter: the shopper says "write to me in Spanish" or
"no more mail, please"; the cashier finds them (F9), presses F3 and records it.
The core then has it; a refusal shows on the dialog, never as a traceback."""

from __future__ import annotations

from core.customers import privacy
from core.db import Database
from pos.dialogs.customer_mail import CustomerMailDialog
from pos.screens.customer import CustomerScreen
from shared.client import Api
from tests.pos.pilot import settle, sign_in, text_of


async def _find_rossi(app, pilot) -> int:  # type: ignore[no-untyped-def]
    await sign_in(app, pilot)
    await pilot.press("f9")
    await settle(app, pilot)
    await pilot.press(*"rossi", "enter")
    await settle(app, pilot)
    assert isinstance(app.screen, CustomerScreen) and app.screen.customer is not None
    return app.screen.customer.id


async def test_the_cashier_records_a_language_and_no_mail_from_the_customer_panel(  # type: ignore[no-untyped-def]
    till_factory
) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        customer_id = await _find_rossi(app, pilot)
        assert "Mails in the store's default language" in text_of(app, "#profile")
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerMailDialog)
        assert "Giulia Rossi" in text_of(app, "#mail-title")
        await pilot.press("3", "n", "f2")  # Español, no mail at all, save
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerScreen)
        profile = text_of(app, "#profile")
        assert "No mail at all: they asked" in profile and "Español" in profile
        saved = await app.client.call(Api.customer(customer_id))
        assert (saved.language, saved.no_mail) == ("es", True)
        # Mail again, in English: the dialog opens on what is recorded.
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("2", "n", "f2")
        await settle(app, pilot)
        saved = await app.client.call(Api.customer(customer_id))
        assert (saved.language, saved.no_mail) == ("en", False)
        assert "Mails in English" in text_of(app, "#profile")


async def test_a_refusal_shows_on_the_dialog_and_nothing_breaks(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        customer_id = await _find_rossi(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        db = Database(seeded_sqlite.url)  # a manager erases her meanwhile, elsewhere
        try:
            with db.write() as session:
                privacy.erase(session, customer_id=customer_id, actor="test")
        finally:
            db.dispose()
        await pilot.press("n", "f2")
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerMailDialog)
        said = app.screen.query_one("#mail-status")
        assert "erased at their request" in text_of(app, "#mail-status")
        assert said.has_class("-error")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerScreen) and app.is_running


async def test_f3_without_a_customer_says_to_find_one(till_factory) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert "find the customer first" in text_of(app, "#profile")
