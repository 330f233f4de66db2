"""Our QR codes decode, with an independent decoder, to exactly their payload."""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PIL import Image

from shared.qr import qr_png, qr_text, qr_version


def _decode(path: Path) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(path))]


def test_signed_codes_stay_small_and_decode(tmp_path: Path) -> None:
    payload = "OT1:O:MI01-000123:ABCDEFGHIJ"
    assert qr_version(payload) <= 4
    assert _decode(qr_png(payload, tmp_path / "code.png")) == [payload]


def test_terminal_rendering_decodes_too(tmp_path: Path) -> None:
    """Render the half-block text back into pixels and decode it."""
    payload = "OT1:C:K7M2QX"
    rows = qr_text(payload).splitlines()
    scale = 6
    image = Image.new("L", (len(rows[0]) * scale, len(rows) * 2 * scale), 255)
    for y, row in enumerate(rows):
        for x, glyph in enumerate(row):
            top_dark = glyph in (" ", "▄")
            bottom_dark = glyph in (" ", "▀")
            for half, dark in ((0, top_dark), (1, bottom_dark)):
                if dark:
                    for dy in range(scale):
                        for dx in range(scale):
                            image.putpixel((x * scale + dx, (2 * y + half) * scale + dy), 0)
    bordered = Image.new("L", (image.width + 8 * scale, image.height + 8 * scale), 255)
    bordered.paste(image, (4 * scale, 4 * scale))
    path = tmp_path / "text.png"
    bordered.save(path)
    assert _decode(path) == [payload]
