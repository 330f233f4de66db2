"""Receipt printers from one configuration string (``OMNITILL_PRINTER``).

``network:HOST[:PORT]``, ``usb:VID:PID`` (hex), ``serial:/dev/ttyUSB0``,
``file:/path`` or ``none``. Every kind is python-escpos's own printer class;
the profile gives the paper width so centring works (TM-T88V class, 80 mm).
"""

from __future__ import annotations

from escpos.escpos import Escpos
from escpos.printer import File, Network, Serial, Usb

__all__ = ["PROFILE", "PrinterConfigError", "printer_from_config"]

PROFILE = "TM-T88V"


class PrinterConfigError(ValueError):
    pass


def printer_from_config(config: str) -> Escpos | None:
    """Build the printer (without connecting: that happens when printing)."""
    kind, _, rest = config.strip().partition(":")
    kind = kind.lower()
    if kind in ("", "none"):
        return None
    if kind == "network":
        host, _, port = rest.partition(":")
        if not host:
            raise PrinterConfigError("network printers need a host: network:HOST[:PORT]")
        return Network(host, port=int(port or 9100), timeout=5, profile=PROFILE)
    if kind == "usb":
        vendor, _, product = rest.partition(":")
        try:
            return Usb(int(vendor, 16), int(product, 16), profile=PROFILE)
        except ValueError as exc:
            raise PrinterConfigError("usb printers are usb:VID:PID in hex, e.g. "
                                     "usb:04b8:0202") from exc
    if kind == "serial":
        return Serial(rest or "/dev/ttyUSB0", profile=PROFILE)
    if kind == "file":
        if not rest:
            raise PrinterConfigError("file printers need a path: file:/path")
        return File(rest, profile=PROFILE)
    raise PrinterConfigError(f"unknown printer kind {kind!r}: use network, usb, serial, file "
                             "or none")
