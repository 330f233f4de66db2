"""Drive headless Chromium over the DevTools protocol: open a page and take
screenshots in real time (a Textual app over a websocket needs real seconds,
which ``--virtual-time-budget`` does not give) until the page is there."""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from PIL import Image
from websockets.sync.client import connect

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot_when(url: str, png: Path, *, ready: Callable[[Image.Image], bool],
                    timeout: float = 30.0, size: tuple[int, int] = (1280, 860)) -> bool:
    """Open ``url`` and take screenshots until ``ready`` says the page is there
    (or the time is up); the last one is saved. Returns whether it got ready."""
    binary = chromium()
    assert binary, "chromium is not installed"
    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             f"--window-size={size[0]},{size[1]}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
                ids = itertools.count(1)

                def call(method: str, **params: object) -> dict[str, object]:
                    message_id = next(ids)
                    ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
                    while True:
                        reply = json.loads(ws.recv(timeout=30))
                        if reply.get("id") == message_id:
                            return reply.get("result", {})  # type: ignore[no-any-return]

                call("Page.enable")
                call("Page.navigate", url=url)
                end = time.monotonic() + timeout
                while True:
                    time.sleep(0.5)
                    shot = call("Page.captureScreenshot", format="png")
                    png.write_bytes(base64.b64decode(str(shot["data"])))
                    with Image.open(png) as image:
                        if ready(image.convert("RGB")):
                            return True
                    if time.monotonic() > end:
                        return False
        finally:
            process.terminate()
            process.wait(timeout=10)
