"""One question for every signed code: is it ours, of this kind, and what does it name."""

from __future__ import annotations

from core import signing
from shared.codes import CodeKind, parse_code

SECRET = b"s" * 32


def test_a_genuine_code_names_its_value() -> None:
    code = parse_code(signing.signed_code(SECRET, CodeKind.ORDER_PICKUP, "MI01-000123"))
    assert signing.genuine_value(SECRET, code, CodeKind.ORDER_PICKUP) == "MI01-000123"


def test_another_kind_another_secret_or_an_altered_code_names_nothing() -> None:
    raw = signing.signed_code(SECRET, CodeKind.ORDER_PICKUP, "MI01-000123")
    code = parse_code(raw)
    assert code is not None
    assert signing.genuine_value(SECRET, code, CodeKind.RECEIPT) is None
    assert signing.genuine_value(b"t" * 32, code, CodeKind.ORDER_PICKUP) is None
    altered = parse_code(raw.replace("000123", "000124"))
    assert signing.genuine_value(SECRET, altered, CodeKind.ORDER_PICKUP) is None
    assert signing.genuine_value(SECRET, None, CodeKind.ORDER_PICKUP) is None
