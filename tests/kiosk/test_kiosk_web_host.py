"""``omnitill kiosk --web --host ADDRESS`` listens where it is told (issue 12,
item 16), so a touch screen on another machine of the store network can reach it;
without ``--host`` it stays on this machine."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.e2e.server import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_the_browser_kiosk_listens_on_the_address_given(tmp_path: Path) -> None:
    port = free_port()
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "kiosk", "--web", "--host", "127.0.0.2",
         "--port", str(port)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env=os.environ | {"OMNITILL_DEVICE_TOKEN": "a-token"})
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "web.log").read_text()
            try:
                page = httpx.get(f"http://127.0.0.2:{port}/", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the kiosk's web server did not start"
                time.sleep(0.1)
        assert page.status_code == 200 and f"127.0.0.2:{port}/static" in page.text
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            answered_elsewhere = True
        except httpx.ConnectError:
            answered_elsewhere = False
        assert not answered_elsewhere, "it listens on 127.0.0.1 too, not only where told"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
