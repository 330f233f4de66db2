"""How the variants of one style are told apart and put in order.

A shopper reads sizes in size order (XS, S, M, L, XL) and numbers as numbers
(38 before 100), never alphabetically (L, M, S, XL): every client shows the
variants in the order the core sends, so the core sorts them once here. A
style's own name is its variants' name without the colour and size the seed
and imports append ("Piqué Polo, Navy, M" → "Piqué Polo").
"""

from __future__ import annotations

import re

LETTER_SIZES = ("XXXS", "XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "4XL", "5XL")
"""Letter sizes, smallest first."""

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def size_key(size: str | None) -> tuple[int, float, str]:
    """Sort key of a size: no size first, then letter sizes in size order, then
    sizes that start with a number ("36-39", "4A", "100") by that number, then
    anything else alphabetically."""
    if not size:
        return (0, 0.0, "")
    text = size.strip().upper()
    if text in LETTER_SIZES:
        return (1, float(LETTER_SIZES.index(text)), text)
    number = _NUMBER.match(text)
    if number:
        return (2, float(number.group().replace(",", ".")), text)
    return (3, 0.0, text)


def style_name(name: str, colour: str | None, size: str | None) -> str:
    """The product's name without the variant the catalog appended to it."""
    for suffix in (", ".join(p for p in (colour, size) if p), colour, size):
        if suffix and name.endswith(f", {suffix}"):
            return name[: -len(suffix) - 2]
    return name
