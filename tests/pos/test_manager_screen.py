"""Issue 15, item 2: the back office on the till. A supervisor opens it from
the sale (Ctrl+O), reads their store's figures as the core computes them,
switches the range, saves a table as CSV; a cashier is refused. And how it
looks, plots included."""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

from textual.widgets import Input, TabbedContent

from pos.screens.manager import ManagerScreen
from pos.screens.sell import SellScreen
from shared.client import Api, CommerceClient
from shared.schemas.reports import Kpis
from tests.api.helpers import sign_in as api_sign_in
from tests.api.kpi_history import write_history
from tests.pos.pilot import settle, sign_in, status, text_of, wait_until
from tests.support import Seeded

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient


def _core_figures(core_app, seeded: Seeded) -> Kpis:  # type: ignore[no-untyped-def]
    """The same day read straight from the core, as the supervisor of MI01."""
    from datetime import date

    till = CommerceClient("http://testserver", seeded.tokens["MI01"]["pos"],
                          http=TestClient(core_app))
    api_sign_in(till, "2222", open_till=False)
    return till.call(Api.kpis(None, date(2021, 3, 10), date(2021, 3, 10)))


async def _open_on_the_day(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+o")
    await wait_until(app, pilot, lambda: isinstance(app.screen, ManagerScreen),
                     what="the back office")
    await settle(app, pilot)
    await pilot.press("f4", *"2021-03-10", "enter", *"2021-03-10", "enter")
    await settle(app, pilot)
    await wait_until(app, pilot, lambda: "10/03/2021" in text_of(app, "#figures"),
                     what="the figures of 10 March 2021")


async def test_a_supervisor_reads_the_stores_figures_and_saves_a_table(  # type: ignore[no-untyped-def]
    till_factory, core_app, seeded_sqlite: Seeded, tmp_path: Path, monkeypatch
) -> None:
    skus = write_history(seeded_sqlite.url)
    monkeypatch.chdir(tmp_path)  # the till's default data folder is var/pos-<device>/
    app = till_factory()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await sign_in(app, pilot, "2222")
        await _open_on_the_day(app, pilot)
        core = _core_figures(core_app, seeded_sqlite)
        figures = text_of(app, "#figures")
        assert figures.startswith("MI01 · 10/03/2021")
        assert f"Net sales {app.money(core.net_sales_cents)} · 4 orders" in figures
        assert f"basket {app.money(6_250)}" in figures
        assert "no-shows 1 (33%)" in figures
        assert "to ready median 1h00 p90 2h00" in figures
        assert "to collected median 1h30 p90 6h00" in figures
        # the week: seven days ending on the store's today
        await pilot.press("f3")
        await settle(app, pilot)
        await wait_until(app, pilot, lambda: " – " in text_of(app, "#figures"),
                         what="a seven-day range")
        await pilot.press("f4", *"2021-03-10", "enter", *"2021-03-10", "enter")
        await settle(app, pilot)
        await wait_until(app, pilot, lambda: "· 10/03/2021" in text_of(app, "#figures"),
                         what="the day again")
        await pilot.click("#--content-tab-discrepancies")
        await settle(app, pilot)
        assert app.screen.query_one(TabbedContent).active == "discrepancies"
        await pilot.press("f5")
        await settle(app, pilot)
        saved = tmp_path / "var"
        files = list(saved.rglob("discrepancies-MI01-2021-03-10.csv"))
        assert len(files) == 1, list(saved.rglob("*"))
        assert str(files[0].resolve()) in status(app)
        assert status(app).startswith("Saved 1 rows to ")
        with files[0].open(encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert rows[0] == ["When", "Store", "SKU", "Item", "Units", "Why", "Reference"]
        assert rows[1][1:3] == ["MI01", skus[1]] and rows[1][4:6] == ["-2", "count"]


async def test_a_cashier_is_refused_the_back_office(till_factory) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await sign_in(app, pilot, "1111")
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen)
        assert "back office is for a supervisor or a manager" in status(app)


def test_the_back_office_with_its_plots(snap_compare, till_factory, seeded_sqlite: Seeded,  # type: ignore[no-untyped-def]
                                        ) -> None:
    write_history(seeded_sqlite.url)

    async def open_it(pilot) -> None:  # type: ignore[no-untyped-def]
        app = pilot.app
        await settle(app, pilot)
        await sign_in(app, pilot, "2222")
        await _open_on_the_day(app, pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False
        app.screen.query_one("#low-stock-table").focus()  # not a blinking field
        await settle(app, pilot)

    assert snap_compare(till_factory(), terminal_size=(140, 45), run_before=open_it)



async def test_a_manager_picks_the_whole_chain(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite: Seeded
) -> None:
    write_history(seeded_sqlite.url)
    app = till_factory()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await sign_in(app, pilot, "3333")
        await _open_on_the_day(app, pilot)
        assert text_of(app, "#figures").startswith("MI01 · 10/03/2021")
        await pilot.click("#store")
        await settle(app, pilot)
        await pilot.press("home", "enter")
        await settle(app, pilot)
        await wait_until(app, pilot, lambda: text_of(app, "#figures").startswith("Whole chain"),
                         what="the chain's figures")
        figures = text_of(app, "#figures")
        assert f"Net sales {app.money(31_500)} · 6 orders" in figures
        assert f"franchise {app.money(4_000)}" in figures
        assert f"partner {app.money(6_000)}" in figures


async def test_a_manager_answers_a_customers_data_request(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite: Seeded, tmp_path: Path, monkeypatch
) -> None:
    from tests.api.test_privacy_api import _after_erasure, _with_history

    person = _with_history(seeded_sqlite.url)
    monkeypatch.chdir(tmp_path)
    app = till_factory()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await sign_in(app, pilot, "3333")
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        for key in ("f6", "f7"):
            await pilot.press(key)
            await settle(app, pilot)
            await pilot.press(*person["email"], "enter")
            await settle(app, pilot)
            await pilot.press("f2")
            await settle(app, pilot)
            if key == "f7":
                await pilot.press("y")
                await settle(app, pilot)
            assert isinstance(app.screen, ManagerScreen)
        assert status(app) == (f"Erased customer {person['id']}: {person['orders']} orders kept, "
                               f"{person['balance']} points zeroed.")
    saved = list((tmp_path / "var").rglob(f"customer-{person['id']}.json"))
    assert len(saved) == 1
    assert json.loads(saved[0].read_text(encoding="utf-8"))["profile"]["email"] == person["email"]
    assert _after_erasure(seeded_sqlite.url, person["id"])["customer"][2] is None
