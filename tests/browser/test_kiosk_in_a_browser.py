"""``omnitill kiosk --web`` serves the kiosk to a touch-screen browser: headless
Chromium opens it and the screenshot shows the attract screen."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.browser.cdp import chromium, screenshot_when
from tests.e2e.server import free_port, running_core
from tests.support import SECRET, Seeded

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
            for _ in range(100):
                try:
                    if httpx.get(url, timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            png = tmp_path / "kiosk.png"
            assert screenshot_when(url, png, ready=attract_screen_shown, timeout=40), \
                f"no attract screen in {png}"
        finally:
            server.terminate()
            server.wait(timeout=10)
    splash = Image.new("RGB", (320, 200), (12, 25, 33))
    assert not attract_screen_shown(splash)
