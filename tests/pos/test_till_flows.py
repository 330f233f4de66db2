"""A cashier at the MI01 till, driven key by key against the real core."""

from __future__ import annotations

import io
import re

import zxingcpp
from PIL import Image
from textual.widgets import DataTable, Label

from core.payments.gateway import GatewayResult, SimulatedTerminal
from pos.dialogs.receipt import ReceiptDialog
from pos.dialogs.receipt_choice import ReceiptChoiceDialog
from pos.screens.login import LoginScreen
from pos.screens.pickups import PickupsScreen
from pos.screens.sell import SellScreen
from shared.client import Api
from shared.schemas.orders import CartLineSet, Contact, LineIn, OrderCreate, PaymentIn
from tests.api.helpers import key, set_stock
from tests.pos.pilot import settle as _settle
from tests.pos.pilot import sign_in as _sign_in
from tests.pos.pilot import status as _status


def _qr_from_escpos(data: bytes) -> list[str]:
    """Decode the raster image python-escpos wrote (GS v 0) with zxing-cpp."""
    start = data.index(b"\x1dv0")
    width_bytes = data[start + 4] + 256 * data[start + 5]
    height = data[start + 6] + 256 * data[start + 7]
    raster = data[start + 8:start + 8 + width_bytes * height]
    image = Image.frombytes("1", (width_bytes * 8, height), raster)
    image = Image.eval(image.convert("L"), lambda v: 255 - v)
    framed = Image.new("L", (image.width + 80, image.height + 80), 255)
    framed.paste(image, (40, 40))
    buffer = io.BytesIO()
    framed.save(buffer, format="PNG")
    return [r.text for r in zxingcpp.read_barcodes(Image.open(buffer))]


async def test_wrong_pin_then_right_pin(till_factory) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot, "0000")
        assert isinstance(app.screen, LoginScreen)
        assert "PIN is not right" in str(app.screen.query_one("#login-error", Label).render())
        await _sign_in(app, pilot, "1111")
        assert isinstance(app.screen, SellScreen)
        assert "Marco Bianchi" in str(app.screen.query_one("#who", Label).render())


async def test_cash_sale_shows_change_and_prints_a_receipt_the_core_accepts(  # type: ignore[no-untyped-def]
    till_factory, printed, seeded_sqlite
) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        product = (await app.client.call(Api.products(q="moka"))).items[0]
        assert product.gtin
        await pilot.press(*product.gtin, "enter")
        await _settle(app, pilot)
        await pilot.press(*product.gtin, "enter")
        await _settle(app, pilot)
        table = app.screen.query_one("#lines", DataTable)
        assert table.row_count == 1 and table.get_row_at(0)[2] == "2"
        await pilot.press("f2")
        await pilot.press(*"100", "enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, ReceiptChoiceDialog)
        assert len(printed) == 1 and printed[0].output == b"\x1bp\x0022"  # drawer kick first
        await pilot.press("p")
        await _settle(app, pilot)
        assert isinstance(app.screen, ReceiptDialog)
        await pilot.press("escape")
        await _settle(app, pilot)
        status = _status(app)
        change = 10000 - 2 * product.price_cents
        assert "completed" in status and app.money(change) in status
        order = app.last_order
        assert order is not None and order.status == "completed"
        data = printed[-1].output
        text = data.decode("cp437", errors="replace")
        assert order.number in text and "TOTALE EUR" in text and "IVA 22%" in text
        assert b"\x1dV" in data  # cut
        assert _qr_from_escpos(data) == [order.receipt_code]
        scanned = await app.client.call(Api.scan(order.receipt_code or ""))
        assert scanned.kind == "receipt" and scanned.reference == order.number


class _DeclinesFirstCard(SimulatedTerminal):
    """The terminal at the counter: the shopper's first card is declined by its
    issuer, the second goes through."""

    def __init__(self) -> None:
        self.charges = 0

    def charge(self, *, amount_cents: int, order_number: str,
               card_token: str | None) -> GatewayResult:
        self.charges += 1
        return super().charge(amount_cents=amount_cents, order_number=order_number,
                              card_token="decline" if self.charges == 1 else "approve")


async def test_declined_card_then_approved(  # type: ignore[no-untyped-def]
    till_factory, core_app, seeded_sqlite
) -> None:
    terminal = _DeclinesFirstCard()
    core_app.state.gateway = terminal
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        sku = (await app.client.call(Api.products(q="moka"))).items[0].sku
        set_stock(seeded_sqlite.url, "MI01", sku, 5)
        await pilot.press(*sku, "enter")
        await _settle(app, pilot)
        await pilot.press("f3")  # the first card: declined
        await _settle(app, pilot)
        assert "DECLINED" in _status(app) and "Card declined" in _status(app)
        await pilot.press("f3")  # another card
        await _settle(app, pilot)
        await pilot.press("escape")
        await _settle(app, pilot)
        assert "completed" in _status(app)
        order = await app.client.call(Api.order(app.last_order.number))
        assert [p.status for p in order.payments] == ["declined", "approved"]
        assert terminal.charges == 2


async def test_printer_offline_keeps_the_sale_and_offers_reprint(till_factory) -> None:  # type: ignore[no-untyped-def]
    app = till_factory(printer_fails=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        sku = (await app.client.call(Api.products(q="moka"))).items[0].sku
        await pilot.press(*sku, "enter")
        await _settle(app, pilot)
        await pilot.press("f2", "enter")
        await _settle(app, pilot)
        await pilot.press("p")
        await _settle(app, pilot)
        assert "Printer not answering" in str(app.screen.query_one("#receipt-status",
                                                                   Label).render())
        await pilot.press("escape")
        await _settle(app, pilot)
        order = await app.client.call(Api.order(app.last_order.number))
        assert order.status == "completed"
        assert "F8 reprints" in _status(app)


async def test_load_a_kiosk_basket_by_its_code(till_factory, core_client, seeded_sqlite  # type: ignore[no-untyped-def]
                                               ) -> None:
    kiosk = core_client("MI01", "kiosk")
    sku = (await kiosk.call(Api.products(q="moka"))).items[0].sku
    set_stock(seeded_sqlite.url, "MI01", sku, 5)
    cart = await kiosk.call(Api.create_cart())
    await kiosk.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=2)))
    handoff = await kiosk.call(Api.handoff(cart.id))
    await kiosk.aclose()
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await pilot.press(*handoff.code.join(["OT1:C:", ""]), "enter")
        await _settle(app, pilot)
        assert "Kiosk basket loaded: 2 items" in _status(app)
        await pilot.press("f3")
        await _settle(app, pilot)
        await pilot.press("escape")
        await _settle(app, pilot)
        assert "completed" in _status(app)


async def test_pickup_from_web_order_to_collected(till_factory, core_client, seeded_sqlite  # type: ignore[no-untyped-def]
                                                  ) -> None:
    web = core_client("WEB", "web")
    sku = (await web.call(Api.products(q="moka"))).items[0].sku
    set_stock(seeded_sqlite.url, "MI01", sku, 5)
    order = await web.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)], fulfilment="pickup", pickup_store="MI01",
        contact=Contact(name="Giulia Rossi", email="g@example.it")), key()))
    await web.aclose()
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await pilot.press("f6")
        await _settle(app, pilot)
        assert isinstance(app.screen, PickupsScreen)
        queue = app.screen.query_one("#queue", DataTable)
        assert queue.get_row_at(0)[0] == order.number
        assert queue.get_row_at(0)[4] != "paid"
        await pilot.press("f2")
        await _settle(app, pilot)
        await pilot.press("f3")
        await _settle(app, pilot)
        assert "ready for pickup" in str(queue.get_row_at(0)[1])
        code = order.pickup_code or ""
        await pilot.press(*code, "enter")
        await _settle(app, pilot)
        assert re.search("still due", _status(app))
        await pilot.press("f4", "enter")  # cash, Enter = the exact amount due
        await _settle(app, pilot)
        await pilot.press("n")  # no receipt
        await _settle(app, pilot)
        await pilot.press(*code, "enter")
        await _settle(app, pilot)
        assert f"{order.number} handed over to Giulia Rossi" in _status(app)
        final = await app.client.call(Api.order(order.number))
        assert final.status == "collected"


async def test_customer_panel_shows_cross_channel_history_and_the_sale_earns_points(  # type: ignore[no-untyped-def]
    till_factory, core_client, seeded_sqlite, printed
) -> None:
    from pos.screens.customer import CustomerScreen

    web = core_client("WEB", "web")
    await web.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku="BK-NOV-02", qty=1)], fulfilment="pickup", pickup_store="RM01",
        contact=Contact(email="giulia.rossi@example.com")), key()))
    await web.aclose()
    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await _sign_in(app, pilot)
        await pilot.press("f9")
        await _settle(app, pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press(*"rossi", "enter")
        await _settle(app, pilot)
        profile = str(app.screen.query_one("#profile").render())
        assert "Giulia Rossi" in profile and "points" in profile and "Bronze" in profile
        history = app.screen.query_one("#history", DataTable)
        assert "WEB" in [history.get_row_at(i)[2] for i in range(history.row_count)]
        customer_id = app.screen.customer.id
        before = (await app.client.call(Api.customer_loyalty(customer_id))).balance
        await pilot.press("f2")
        await _settle(app, pilot)
        await pilot.press(*"HO-MOK-05", "enter")
        await _settle(app, pilot)
        assert "Giulia Rossi" in str(app.screen.query_one("#total", Label).render())
        await pilot.press("f3")
        await _settle(app, pilot)
        await pilot.press("p")  # a printed receipt
        await _settle(app, pilot)
        await pilot.press("escape")
        await _settle(app, pilot)
        after = (await app.client.call(Api.customer_loyalty(customer_id))).balance
        assert after > before
        receipt = printed[-1].output.decode("cp437", errors="replace")
        assert "Punti guadagnati" in receipt and str(after - before) in receipt
        assert "Saldo punti" in receipt and str(after) in receipt


async def test_returns_desk_refunds_a_receipt_and_restocks_this_store(  # type: ignore[no-untyped-def]
    till_factory, printed, seeded_sqlite
) -> None:
    from pos.screens.returns import ReturnsScreen
    from tests.api.helpers import level

    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await _sign_in(app, pilot)
        order = await app.client.call(Api.place_order(
            OrderCreate(lines=[LineIn(sku="HO-MOK-05", qty=2)]), key()))
        order = await app.client.call(Api.pay(order.number, PaymentIn(
            tender="card", amount_cents=order.total_cents)))
        stock_before = level(seeded_sqlite.url, "MI01", "HO-MOK-05")
        await pilot.press(*(order.receipt_code or ""), "enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, ReturnsScreen)
        await pilot.press("f2")
        await pilot.press("f5")
        await _settle(app, pilot)
        status = _status(app)
        assert "refunded" in status and app.money(order.total_cents // 2) in status
        assert level(seeded_sqlite.url, "MI01", "HO-MOK-05")[0] == stock_before[0] + 1
        text = printed[-1].output.decode("cp437", errors="replace")
        assert "RIMBORSO" in text and order.number in text
        final = await app.client.call(Api.order(order.number))
        assert final.payments[0].refunded_cents == order.total_cents // 2


async def test_a_big_return_asks_a_supervisor_at_the_desk(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    from pos.dialogs.supervisor import SupervisorDialog
    from pos.screens.returns import ReturnsScreen

    set_stock(seeded_sqlite.url, "MI01", "HO-MOK-05", 10)
    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await _sign_in(app, pilot)
        order = await app.client.call(Api.place_order(
            OrderCreate(lines=[LineIn(sku="HO-MOK-05", qty=4)]), key()))
        assert order.total_cents > 10_000  # over what a cashier approves alone
        order = await app.client.call(Api.pay(order.number, PaymentIn(
            tender="card", amount_cents=order.total_cents, card_token="approve")))
        await pilot.press(*(order.receipt_code or ""), "enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, ReturnsScreen)
        await pilot.press("f2", "f2", "f2", "f2", "f5")
        await _settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog)
        await pilot.press(*"2222", "enter")
        await _settle(app, pilot)
        assert "refunded" in _status(app) and app.money(order.total_cents) in _status(app)
        ret = (await app.client.call(Api.order(order.number))).payments[0]
        assert ret.refunded_cents == order.total_cents
