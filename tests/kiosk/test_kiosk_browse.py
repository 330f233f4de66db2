"""Browsing and searching at the kiosk as a shopper does (issue 12, items 1 and 7).

Every style of a department is reachable (the list follows the core's cursor),
one row per style, and the list is always about what the field says now.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from kiosk.screens.attract import AttractScreen
from kiosk.screens.browse import BrowseScreen
from kiosk.screens.product import ProductScreen
from tests.pos.pilot import settle, tap, wait_until

CLOTHING = ["Cashmere Cardigan", "Fleece Hoodie", "Light Down Jacket", "Linen Summer Dress",
            "Merino Crew Knit", "Organic Cotton Tee", "Oxford Shirt", "Piqué Polo",
            "Pleated Midi Skirt", "Selvedge Jeans", "Slim Chino", "Trench Coat"]
"""The demo chain's clothing styles, by name (105 SKUs in sizes and colours)."""


def rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    results = app.screen.query_one("#results", OptionList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


def products(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The rows that open a product (not "show more", not "nothing found")."""
    results = app.screen.query_one("#results", OptionList)
    found = [results.get_option_at_index(i) for i in range(results.option_count)]
    return [str(o.prompt) for o in found if o.id and o.id != "more"]


async def start(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await tap(app, pilot, "#start")
    await wait_until(app, pilot, lambda: isinstance(app.screen, BrowseScreen)
                     and bool(app.screen.query(".tile")), what="the departments")
    await settle(app, pilot)


async def test_every_style_of_a_department_is_reachable_one_row_each(  # type: ignore[no-untyped-def]
    kiosk_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages of five, so the shopper has to ask for more twice to reach the end.
    monkeypatch.setattr("kiosk.screens.browse.PAGE", 5, raising=False)
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await tap(app, pilot, "#cat-clothing")
        await wait_until(app, pilot, lambda: bool(products(app)), what="clothing")
        for _ in range(10):
            if not any("Show more" in row for row in rows(app)):
                break
            shown = len(products(app))
            app.screen.query_one("#results", OptionList).focus()
            await pilot.press("end", "enter")
            await wait_until(app, pilot, lambda n=shown: len(products(app)) > n,
                             what="the next page")
        names = [row.split("  ·  ")[0] for row in products(app)]
        assert names == CLOTHING
        polo = next(row for row in products(app) if row.startswith("Piqué Polo"))
        assert "12 options" in polo and "€" in polo


async def test_a_search_lists_a_style_once_and_opens_it(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await pilot.press(*"polo")
        await wait_until(app, pilot, lambda: bool(products(app)), what="the polo")
        await settle(app, pilot)
        assert len(products(app)) == 1 and products(app)[0].startswith("Piqué Polo")
        await pilot.press("enter", "enter")  # into the list, then open the row
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen),
                         what="the polo to open")
        assert app.screen.sku.startswith("PT-POL-10")


async def test_clearing_the_field_clears_the_list(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await pilot.press(*"tee")
        await wait_until(app, pilot, lambda: bool(products(app)), what="tees")
        await pilot.press("backspace", "backspace", "backspace")
        await settle(app, pilot)
        assert app.screen.query_one("#search", Input).value == ""
        assert rows(app) == []


async def test_a_department_tap_clears_the_old_words(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await pilot.press(*"polo")
        await wait_until(app, pilot, lambda: bool(products(app)), what="the polo")
        await tap(app, pilot, "#cat-home")
        await wait_until(app, pilot, lambda: any("Moka Pot" in r for r in products(app)),
                         what="the home department")
        assert app.screen.query_one("#search", Input).value == ""
        assert not any("Polo" in r for r in products(app))


async def test_words_in_the_scan_field_search_instead_of_doing_nothing(  # type: ignore[no-untyped-def]
    kiosk_factory
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await pilot.click("#scan")
        await pilot.press(*"hello world", "enter")
        await wait_until(app, pilot, lambda: any("hello world" in r for r in rows(app)),
                         what="the search for the typed words")
        assert "Nothing found" in rows(app)[0]
        assert app.screen.query_one("#search", Input).value == "hello world"


async def test_a_very_long_search_is_cut_not_answered_with_errors(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await pilot.press(*("linen " * 20))
        await settle(app, pilot)
        assert len(app.screen.query_one("#search", Input).value) <= 100
        assert not app._notifications
        assert any("Linen" in r for r in products(app))


async def test_a_touch_anywhere_on_the_attract_screen_starts(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, AttractScreen)
        await pilot.click("#attract-title")
        await wait_until(app, pilot, lambda: isinstance(app.screen, BrowseScreen),
                         what="the kiosk to start")
