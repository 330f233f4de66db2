"""``omnitill kiosk --web`` serves the kiosk to a touch-screen browser: headless
Chromium opens it, sees the attract screen, taps Start, searches, opens a product
and sees its name and price, and no request leaves the machine (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from PIL import Image

from shared.client import Api, CommerceClient
from shared.money import format_money
from tests.browser.cdp import browser, chromium
from tests.e2e.server import free_port, running_core
from tests.support import SECRET, Seeded, wait_for

MOKA = "HO-MOK-05"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(chromium() is None, reason="chromium is not installed (make test "
                       "installs it)"),
]


def _count(image: Image.Image, test) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for pixel in image.get_flattened_data() if test(*pixel))


def attract_screen_shown(image: Image.Image) -> bool:
    """The green "Inizia" button and the orange title of the attract screen are
    drawn; textual-serve's splash has neither."""
    green = _count(image, lambda r, g, b: g > 150 and g > r + 50 and g > b + 30)
    orange = _count(image, lambda r, g, b: r > 200 and 120 < g < 200 and b < 90)
    return green > 2000 and orange > 50


def _green(r: int, g: int, b: int) -> bool:
    return g > 150 and g > r + 50 and g > b + 30


def start_button(image: Image.Image) -> tuple[float, float]:
    """Where the green Start button is drawn (the attract screen's only green)."""
    pixels = image.load()
    assert pixels is not None
    found = [(x, y) for y in range(0, image.height, 2) for x in range(0, image.width, 2)
             if _green(*pixels[x, y])]
    assert found, "no Start button on the screenshot"
    return (sum(x for x, _ in found) / len(found), sum(y for _, y in found) / len(found))


def _serves(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_the_kiosk_runs_in_a_browser(seeded_sqlite: Seeded, tmp_path: Path) -> None:
    with running_core(seeded_sqlite.url, tmp_path, secret=SECRET) as core:
        port = free_port()
        env = os.environ | {"OMNITILL_CORE_URL": core,
                            "OMNITILL_DEVICE_TOKEN": seeded_sqlite.tokens["MI01"]["kiosk"]}
        server = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "kiosk", "--web", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for(lambda: _serves(url), "the kiosk's web server to answer", 60)
            with CommerceClient(core, seeded_sqlite.tokens["MI01"]["kiosk"]) as client:
                moka = client.call(Api.product(MOKA))
            with browser(url) as page:
                png = tmp_path / "kiosk.png"
                attract = page.wait_for(png, attract_screen_shown, timeout=40)
                assert attract is not None, f"no attract screen in {png}"
                page.forget_screen()
                page.tap(*start_button(attract))
                assert page.wait_for_text("Reparti"), "Start did not open the departments"
                page.type("moka")
                assert page.wait_for_text("Moka 6 tazze"), "the search found no moka pot"
                page.press("Enter")  # into the list, on its first row
                page.forget_screen()
                page.press("Enter")  # open it
                price = format_money(moka.price_cents, locale="it_IT")
                # On a loaded machine the second Enter can reach the kiosk before the
                # list has the focus (and is then the search field's): a shopper who
                # sees the list still there presses Enter again.
                for _ in range(3):
                    if page.wait_for_text("Moka 6 tazze", price, "IVA inclusa", timeout=30):
                        break
                    page.press("Enter")
                assert page.wait_for_text("Moka 6 tazze", price, "IVA inclusa", timeout=30), (
                    f"no product screen with its name and {price}: {page.screen_text()[-400:]!r}")
                page.screenshot(tmp_path / "product.png")
                here = f"127.0.0.1:{port}"
                away = [u for u in page.requests
                        if u.split("//", 1)[-1].split("/", 1)[0] != here
                        and not u.startswith(("data:", "blob:", "about:"))]
                assert page.requests and not away, f"requests that left the machine: {away}"
        finally:
            server.terminate()
            server.wait(timeout=10)
    splash = Image.new("RGB", (320, 200), (12, 25, 33))
    assert not attract_screen_shown(splash)
