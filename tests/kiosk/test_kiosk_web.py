"""The kiosk in a browser on a store network (issue 12, item 16): it listens on
the address it is given and its page loads nothing from the internet."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import textual_serve

from kiosk.web import local_page, local_templates
from tests.e2e.server import free_port

REMOTE = re.compile(r"""(?:href|src)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)
"""A stylesheet, script, font or image fetched from another machine."""


def test_the_page_has_nothing_from_elsewhere(tmp_path: Path) -> None:
    page = (local_templates(tmp_path) / "app_index.html").read_text(encoding="utf-8")
    assert not REMOTE.search(page), REMOTE.search(page)
    assert "fonts/RobotoMono" in page
    original = Path(textual_serve.__file__).with_name("templates") / "app_index.html"
    assert "fonts.googleapis" in original.read_text(encoding="utf-8")
    assert local_page('<link rel="stylesheet" href="https://example.com/x.css" />') != \
        '<link rel="stylesheet" href="https://example.com/x.css" />'


@pytest.mark.slow
def test_the_served_page_and_its_font_come_from_the_kiosk(tmp_path: Path) -> None:
    port = free_port()
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-c", f"from kiosk.web import serve; serve('127.0.0.1', {port})"],
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "web.log").read_text()
            try:
                page = httpx.get(base + "/", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the kiosk's web server did not start"
                time.sleep(0.1)
        assert page.status_code == 200
        # Every address in the page is the kiosk's own (the one the browser used).
        addresses = re.findall(r"""(?:https?|wss?)://[^\s"'()<>]+""", page.text)
        assert addresses and all(a.split("//", 1)[1].startswith(f"127.0.0.1:{port}/")
                                 for a in addresses if "www.w3.org" not in a), addresses
        via_localhost = httpx.get(f"http://localhost:{port}/", timeout=5).text
        assert f"localhost:{port}/static" in via_localhost
        for asset in re.findall(r"""(?:href|src)="([^"]+\.(?:css|js|ttf))""", page.text):
            assert httpx.get(httpx.URL(base).join(asset), timeout=5).status_code == 200, asset
        font = re.search(r'url\("([^"]+\.ttf)"\)', page.text)
        assert font and httpx.get(httpx.URL(base).join(font.group(1)),
                                  timeout=5).status_code == 200
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
