"""QR codes for screens and tests, drawn by the ``qrcode`` library.

On a terminal two module rows share one character cell (upper/lower half
blocks), dark modules on a light background with a quiet zone, so a phone
camera reads the code straight off the screen.
"""

from __future__ import annotations

from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M

__all__ = ["qr_matrix", "qr_png", "qr_text", "qr_version"]


def _make(payload: str, border: int = 2) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(payload)
    code.make(fit=True)
    return code


def qr_version(payload: str) -> int:
    return int(_make(payload).version)


def qr_matrix(payload: str) -> list[list[bool]]:
    return [list(row) for row in _make(payload).get_matrix()]


def qr_text(payload: str) -> str:
    matrix = qr_matrix(payload)
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    glyphs = {(False, False): "█", (True, False): "▄", (False, True): "▀", (True, True): " "}
    return "\n".join(
        "".join(glyphs[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(matrix[::2], matrix[1::2], strict=True)
    )


def qr_png(payload: str, path: Path, scale: int = 8) -> Path:
    image = _make(payload, border=4)
    image.box_size = scale
    image.make_image().save(str(path))
    return path
