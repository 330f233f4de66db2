"""OT1 payloads and EAN-13 check digits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.codes import (
    CodeKind,
    ScanCode,
    build_code,
    ean13_check_digit,
    is_valid_ean13,
    parse_code,
)

VALUES = st.from_regex(r"[A-Z0-9][A-Z0-9\-]{0,30}", fullmatch=True)
MACS = st.from_regex(r"[A-Z2-7]{10}", fullmatch=True)


def test_unsigned_codes_round_trip() -> None:
    text = build_code(CodeKind.PRODUCT, "pt-tee-01-nav-m")
    assert text == "OT1:P:PT-TEE-01-NAV-M"
    assert parse_code(text) == ScanCode(CodeKind.PRODUCT, "PT-TEE-01-NAV-M", None)


@given(value=VALUES, mac=MACS)
def test_signed_codes_round_trip(value: str, mac: str) -> None:
    text = build_code(CodeKind.ORDER_PICKUP, value, mac)
    assert parse_code(text) == ScanCode(CodeKind.ORDER_PICKUP, value, mac)


def test_signed_kinds_need_a_signature_and_unsigned_refuse_one() -> None:
    with pytest.raises(ValueError, match="signature"):
        build_code(CodeKind.RECEIPT, "MI01-000001")
    with pytest.raises(ValueError, match="not signed"):
        build_code(CodeKind.PRODUCT, "SKU1", "ABCDEFGHIJ")


@pytest.mark.parametrize(
    "text",
    ["", "hello", "OT1", "OT1:P", "OT2:P:SKU", "OT1:X:SKU", "OT1:O:MI01-1", "OT1:P:SKU:MAC",
     "OT1:O:MI01-1:bad mac!", "OT1:P:" + "A" * 41, "8001234567890"],
)
def test_anything_else_is_not_an_ot1_code(text: str) -> None:
    assert parse_code(text) is None


def test_scanner_case_and_whitespace_are_forgiven() -> None:
    assert parse_code("  ot1:p:pt-tee-01 \n") == ScanCode(CodeKind.PRODUCT, "PT-TEE-01", None)


def test_ean13_check_digit() -> None:
    assert ean13_check_digit("400638133393") == 1  # a real GTIN: 4006381333931
    assert is_valid_ean13("4006381333931")
    assert not is_valid_ean13("4006381333932")
    assert not is_valid_ean13("400638133393")
    assert not is_valid_ean13("40063813339a1")
