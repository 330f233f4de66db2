"""Drive headless Chromium over the DevTools protocol as a shopper's touch screen:
open a page, tap, type, press keys, take screenshots in real time (a Textual app
over a websocket needs real seconds, which ``--virtual-time-budget`` does not
give), read what the terminal was sent, and list every request the page made."""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from websockets.sync.client import ClientConnection, connect

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

RECORD_SCREEN = """(() => {
  // What the kiosk sends the terminal, as text, so a test can read the screen.
  const Original = window.WebSocket;
  window.__screen = [];
  const decoder = new TextDecoder();
  function Recorded(...args) {
    const socket = new Original(...args);
    socket.addEventListener("message", (event) => {
      window.__screen.push(typeof event.data === "string" ? event.data
                           : decoder.decode(event.data, {stream: true}));
    });
    return socket;
  }
  Recorded.prototype = Original.prototype;
  Object.assign(Recorded, Original);
  window.WebSocket = Recorded;
})();"""
"""Run in the page before its own scripts: a copy of every websocket message."""

KEYS = {"Enter": (13, "\r"), "Escape": (27, ""), "Tab": (9, "")}


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    """One browser tab, driven as a person would drive it."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.requests: list[str] = []
        """Every URL the page asked for (pages, scripts, fonts, websockets)."""

    def call(self, method: str, **params: object) -> dict[str, Any]:
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv(timeout=30))
            if reply.get("id") == message_id:
                return reply.get("result", {})  # type: ignore[no-any-return]
            if reply.get("method") == "Network.requestWillBeSent":
                self.requests.append(reply["params"]["request"]["url"])
            elif reply.get("method") == "Network.webSocketCreated":
                self.requests.append(reply["params"]["url"])

    def screenshot(self, png: Path) -> Image.Image:
        shot = self.call("Page.captureScreenshot", format="png")
        png.write_bytes(base64.b64decode(str(shot["data"])))
        with Image.open(png) as image:
            return image.convert("RGB")

    def wait_for(self, png: Path, ready: Callable[[Image.Image], bool],
                 timeout: float = 30.0) -> Image.Image | None:
        """Screenshots until ``ready`` says the page is there; the last one is saved."""
        end = time.monotonic() + timeout
        while True:
            time.sleep(0.5)
            image = self.screenshot(png)
            if ready(image):
                return image
            if time.monotonic() > end:
                return None

    def tap(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                      clickCount=1)

    def type(self, text: str) -> None:
        for character in text:
            self.call("Input.dispatchKeyEvent", type="keyDown", text=character,
                      key=character, unmodifiedText=character)
            self.call("Input.dispatchKeyEvent", type="keyUp", key=character)

    def press(self, key: str) -> None:
        code, text = KEYS[key]
        self.call("Input.dispatchKeyEvent", type="keyDown", key=key, code=key,
                  windowsVirtualKeyCode=code, nativeVirtualKeyCode=code, text=text)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=key,
                  windowsVirtualKeyCode=code, nativeVirtualKeyCode=code)

    def screen_text(self) -> str:
        """Everything the terminal was sent since the last :meth:`forget_screen`."""
        result = self.call("Runtime.evaluate", expression="(window.__screen || []).join('')",
                           returnByValue=True)
        return str(result.get("result", {}).get("value", ""))

    def forget_screen(self) -> None:
        self.call("Runtime.evaluate", expression="window.__screen = []")

    def wait_for_text(self, *words: str, timeout: float = 30.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if all(word in self.screen_text() for word in words):
                return True
            time.sleep(0.3)
        return False


@contextmanager
def browser(url: str, *, size: tuple[int, int] = (1280, 860)) -> Iterator[Page]:
    """Headless Chromium on ``url``, recording its requests and what its websockets bring."""
    binary = chromium()
    assert binary, "chromium is not installed"
    # Chromium's helper processes may still write to the profile for a moment
    # after the browser is gone: their leftovers must not fail the test.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             f"--window-size={size[0]},{size[1]}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 20
            while not port_file.exists() or not port_file.read_text().strip():
                if time.monotonic() > deadline:
                    raise TimeoutError("chromium did not start")
                time.sleep(0.1)
            port = port_file.read_text().split()[0]
            target = next(t for t in httpx.get(f"http://127.0.0.1:{port}/json").json()
                          if t["type"] == "page")
            with connect(target["webSocketDebuggerUrl"], max_size=None) as ws:
                page = Page(ws)
                page.call("Network.enable")
                page.call("Page.enable")
                page.call("Page.addScriptToEvaluateOnNewDocument", source=RECORD_SCREEN)
                page.call("Page.navigate", url=url)
                yield page
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # the browser and its helpers
            process.wait(timeout=10)


def screenshot_when(url: str, png: Path, *, ready: Callable[[Image.Image], bool],
                    timeout: float = 30.0, size: tuple[int, int] = (1280, 860)) -> bool:
    """Open ``url`` and take screenshots until ``ready`` says the page is there
    (or the time is up); the last one is saved. Returns whether it got ready."""
    with browser(url, size=size) as page:
        return page.wait_for(png, ready, timeout) is not None
