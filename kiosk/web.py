"""The kiosk in a browser (``omnitill kiosk --web``), through textual-serve.

A touch screen is often another machine on the store network, so the server
listens where it is told (``host``, ``0.0.0.0`` for every interface) and the
page points the browser back at the address the browser itself used (not at
``0.0.0.0``, which textual-serve would write into it). A store network may
have no way out to the internet, so the page loads nothing from it:
textual-serve's page asks Google Fonts for Roboto Mono, which textual-serve
itself ships; the kiosk serves that page with the font from its own folder.
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from pathlib import Path

import textual_serve

FONT_FACE = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf");
      }
    </style>"""
"""Roboto Mono from the server itself (textual-serve ships the font file)."""

_REMOTE_STYLESHEET = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*/?>", re.DOTALL)


def local_page(template: str) -> str:
    """textual-serve's page with every stylesheet from elsewhere served locally."""
    return _REMOTE_STYLESHEET.sub(FONT_FACE, template)


def local_templates(folder: Path | None = None) -> Path:
    """A templates folder holding the local page (written once per start)."""
    source = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    target = folder or Path(tempfile.mkdtemp(prefix="omnitill-kiosk-web-"))
    (target / "app_index.html").write_text(local_page(source.read_text(encoding="utf-8")),
                                           encoding="utf-8")
    return target


def serve(host: str, port: int) -> None:
    """Serve the kiosk (a new kiosk process per browser tab) on ``host:port``."""
    from aiohttp import web
    from textual_serve.server import Server

    class KioskServer(Server):
        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            """The page's links lead back where this browser came from."""
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

    command = shlex.join([sys.executable, "-m", "cli.main", "kiosk"])
    KioskServer(command, host=host, port=port, title="Portico kiosk",
                templates_path=local_templates()).serve()
