"""Waiting for the display and reading its screen the way a shopper would."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable

import httpx
import zxingcpp
from PIL import Image
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from pos.display import DisplayApp
from tests.support import wait_for_async

WAIT_SECONDS = 10.0
"""Generous: a test waits for what it expects, it never fails for being slow."""


def sale_key() -> str:
    return uuid.uuid4().hex


def watch_streams(app: DisplayApp) -> list[str]:
    """Paths of the responses the display has received, the event stream's
    included as soon as its headers arrive: from then on the core has fixed where
    the stream starts, and nothing a test does afterwards can be missed."""
    seen: list[str] = []

    async def record(response: httpx.Response) -> None:
        seen.append(response.request.url.path)

    app.client.http.event_hooks["response"].append(record)
    return seen


async def wait_until(pilot: Pilot[None], check: Callable[[], bool], what: str,
                     timeout: float = WAIT_SECONDS) -> None:
    await wait_for_async(check, what, timeout, pause=pilot.pause, step=0.05,
                         context=lambda: f"the screen shows:\n{screen_text(pilot.app)}")


async def wait_for_text(pilot: Pilot[None], *texts: str) -> str:
    await wait_until(pilot, lambda: all(t in screen_text(pilot.app) for t in texts),
                     f"{texts!r} on screen")
    return screen_text(pilot.app)


async def start_following(pilot: Pilot[None], streams: list[str]) -> None:
    await wait_until(pilot, lambda: "/v1/events" in streams, "the event stream")
    await wait_for_text(pilot, "Welcome")


def screen_lines(app: App[None]) -> list[str]:
    """What the shopper sees, as text: the screen exactly as Textual composed it
    (what ``export_screenshot`` draws as SVG)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system=None, legacy_windows=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text().splitlines()


def screen_text(app: App[None]) -> str:
    return "\n".join(line.rstrip() for line in screen_lines(app))


def decode_qr_on_screen(app: App[None], selector: str) -> list[str]:
    """Read the QR code in ``selector`` off the screen itself, half block by half
    block, and decode it with zxing-cpp, as a phone camera would."""
    region = app.screen.query_one(selector).region
    rows = [line[region.x:region.right] for line in screen_lines(app)[region.y:region.bottom]]
    # A full block is two light modules, a space two dark ones (see shared/qr.py).
    dark_top, dark_bottom = set(" ▄"), set(" ▀")
    scale, quiet = 8, 4
    width, height = region.width, region.height * 2
    image = Image.new("L", ((width + 2 * quiet) * scale, (height + 2 * quiet) * scale), 255)
    for y, row in enumerate(rows):
        for x, glyph in enumerate(row.ljust(width)):
            for half, dark in ((0, glyph in dark_top), (1, glyph in dark_bottom)):
                if dark:
                    left, top = (x + quiet) * scale, (2 * y + half + quiet) * scale
                    image.paste(0, (left, top, left + scale, top + scale))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return [r.text for r in zxingcpp.read_barcodes(Image.open(buffer))]
