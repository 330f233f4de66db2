"""Choosing colour and size on the kiosk's product screen (issue 12, items 2 and 4).

Two selectors as in a shop, sizes in size order, the chosen ones lit, what this
store lacks crossed out, every variant reachable on a small screen, nothing to
choose for a product made in one form, and the endless-aisle button visible.
"""

from __future__ import annotations

import pytest
from textual.widgets import Button, Static

from kiosk.screens.product import ProductScreen
from tests.api.helpers import set_stock
from tests.pos.pilot import settle, tap, wait_until


def labels(app, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(b.label) for b in app.screen.query(f".{kind}").results(Button)]


def selected(app, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(b.label) for b in app.screen.query(f".{kind}.-selected").results(Button)]


def button(app, kind: str, label: str) -> Button:  # type: ignore[no-untyped-def]
    return next(b for b in app.screen.query(f".{kind}").results(Button) if str(b.label) == label)


async def open_product(app, pilot, sku: str) -> None:  # type: ignore[no-untyped-def]
    app.push_screen(ProductScreen(sku))
    await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                     and app.screen.availability is not None, what=f"{sku} to open")
    await settle(app, pilot)


def on_screen(app, widget) -> bool:  # type: ignore[no-untyped-def]
    """Wholly visible: inside the screen and inside what its scroller shows."""
    region = widget.region
    return bool(region) and app.screen.region.contains_region(region) and \
        widget.parent is not None and region.height >= 3


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_colour_and_size_as_two_selectors_in_size_order(  # type: ignore[no-untyped-def]
    kiosk_factory, size: tuple[int, int]
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=size) as pilot:
        await open_product(app, pilot, "PT-TEE-01-NAV-L")
        assert labels(app, "colour") == ["Black", "Navy", "Sage", "White"]
        assert labels(app, "size") == ["S", "M", "L", "XL"]
        assert selected(app, "colour") == ["Navy"] and selected(app, "size") == ["L"]
        # Every choice can be reached (scrolled to, as a finger would) and fully seen.
        for choice in app.screen.query(".colour, .size").results(Button):
            app.screen.query_one("#product").scroll_to_widget(choice, animate=False)
            await pilot.pause()
            assert on_screen(app, choice), choice
        await tap(app, pilot, "#size-1")  # M
        await wait_until(app, pilot, lambda: app.screen.sku == "PT-TEE-01-NAV-M"
                         and selected(app, "size") == ["M"], what="size M to be chosen")
        await settle(app, pilot)
        app.screen.query_one("#product").scroll_to_widget(
            app.screen.query_one("#colour-2"), animate=False)
        await settle(app, pilot)
        await tap(app, pilot, "#colour-2")  # Sage, same size
        await wait_until(app, pilot, lambda: app.screen.sku == "PT-TEE-01-SAG-M",
                         what="the sage tee in M")
        await settle(app, pilot)
        assert selected(app, "colour") == ["Sage"] and selected(app, "size") == ["M"]
        assert "Size: M" in str(app.screen.query_one("#size-label").render())


async def test_numeric_sizes_sort_as_numbers(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_product(app, pilot, "AC-BEL-01-BRO-85")
        assert labels(app, "size") == ["85", "90", "95", "100"]


async def test_sizes_this_store_lacks_are_crossed_out_and_stay_orderable(  # type: ignore[no-untyped-def]
    kiosk_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", "PT-TEE-01-NAV-M", 0)
    set_stock(seeded_sqlite.url, "MI01", "PT-TEE-01-NAV-S", 4)
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_product(app, pilot, "PT-TEE-01-NAV-S")
        assert button(app, "size", "M").has_class("-unavailable")
        assert not button(app, "size", "S").has_class("-unavailable")
        note = str(app.screen.query_one("#variant-note", Static).render())
        assert "none in this store" in note
        await tap(app, pilot, "#size-1")
        await wait_until(app, pilot, lambda: app.screen.sku == "PT-TEE-01-NAV-M"
                         and app.screen.availability is not None, what="size M")
        await settle(app, pilot)
        assert app.screen.query_one("#add", Button).disabled
        assert not app.screen.query_one("#order", Button).disabled


async def test_a_product_made_in_one_form_has_nothing_to_choose(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_product(app, pilot, "HO-MOK-05")
        shown = [str(b.label) for b in app.screen.query(Button).results(Button)]
        assert "HO-MOK-05" not in shown
        assert not app.screen.query(".size, .colour, .variant")
        assert "Moka Pot 6 Cups" in str(app.screen.query_one("#product-name").render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_order_for_pickup_button_is_a_button_not_a_blank_column(  # type: ignore[no-untyped-def]
    kiosk_factory, size: tuple[int, int]
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=size) as pilot:
        await open_product(app, pilot, "HO-MOK-05")
        for name in ("#add", "#order"):
            widget = app.screen.query_one(name, Button)
            assert widget.region.height == 3 and on_screen(app, widget), widget.region
        assert "Order for pickup" in str(app.screen.query_one("#order", Button).label)


async def test_leaving_a_product_while_it_draws_does_not_stop_the_kiosk(  # type: ignore[no-untyped-def]
    kiosk_factory
) -> None:
    """The stock line of a product the shopper has just left (its choices still
    being drawn, or a stock event arriving late) has nowhere to go: nothing is
    shown and the kiosk keeps running, instead of exiting on a missing widget."""
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_product(app, pilot, "PT-TEE-01-NAV-L")
        product = app.screen
        assert isinstance(product, ProductScreen)
        app.pop_screen()
        await wait_until(app, pilot, lambda: not isinstance(app.screen, ProductScreen),
                         what="the product screen to close")
        await settle(app, pilot)
        product.render_stock()
        await product.render_detail()
        await settle(app, pilot)
        assert app.is_running and not isinstance(app.screen, ProductScreen)
