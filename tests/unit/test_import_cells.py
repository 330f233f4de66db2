"""An ERP file's cells and layout: what is read, and what is refused with a message a
person can act on (the import's checks before any row reaches the database)."""

from __future__ import annotations

import pytest

from core.imports import cells
from core.imports.reading import (
    Columns,
    Format,
    RowsRefused,
    checked_rows,
    detect_format,
    read_rows,
)


@pytest.mark.parametrize(("raw", "expected"), [("1990", 1990), (1990, 1990), (" 0 ", 0)])
def test_cents_are_whole_numbers(raw: object, expected: int) -> None:
    assert cells.integer(raw, cents=True) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("19.90", "write 1990 for 19.90"), ("18.00", "write 1800 for 18.00"),
    ("19,90", "write 1990 for 19,90"), (19.9, "write 1990 for 19.9"),
    ("-5", "cannot be negative"), ("", "e.g. 1990 for 19.90"), (True, "e.g. 1990"),
    ("abc", "'abc' is not a number"), ("99999999999", "out of range"),
])
def test_a_price_that_is_not_cents_says_what_to_write(raw: object, message: str) -> None:
    with pytest.raises(cells.CellError, match=message):
        cells.integer(raw, cents=True)


def test_an_id_starts_at_one() -> None:
    with pytest.raises(cells.CellError, match="out of range"):
        cells.integer("0", low=1)


@pytest.mark.parametrize(("raw", "expected"), [
    ("yes", True), ("No", False), ("1", True), ("0", False), (False, False), ("", True)])
def test_booleans(raw: object, expected: bool) -> None:
    assert cells.boolean(raw, default=True) is expected


def test_skus_fit_a_shelf_label() -> None:
    assert cells.sku(" ac-bea-06-gre ") == "AC-BEA-06-GRE"
    with pytest.raises(cells.CellError, match="letters, digits and '-'"):
        cells.sku("AC BEA")


def test_csv_and_json_read_alike_with_rows_numbered_as_a_person_sees_them() -> None:
    header, rows = read_rows(b"\xef\xbb\xbfSKU;Price_Cents\nA-1;100\n\nB-2;200\n", "csv")
    assert header == ["sku", "price_cents"]
    assert [(r.number, r.cells) for r in rows] == [
        (2, {"sku": "A-1", "price_cents": "100"}), (4, {"sku": "B-2", "price_cents": "200"})]
    _, rows = read_rows(b'[{"sku": "A-1", "price_cents": 100}]', "json")
    assert [(r.number, r.cells) for r in rows] == [(1, {"sku": "A-1", "price_cents": 100})]
    assert detect_format(b' [{"a": 1}]') == "json" and detect_format(b"a,b\n") == "csv"
    assert detect_format(b"x", "prices.JSON") == "json"


def test_a_file_wrong_as_a_whole_is_refused_before_any_row() -> None:
    cases: list[tuple[bytes, Format, str]] = [
        (b"", "csv", "empty"), (b"sku\n", "csv", "no rows"), (b"{}", "json", "array of objects"),
        (b"[1]", "json", "not an object"), (b"\xff\xfe", "csv", "not UTF-8"),
        (b"sku,sku\nA,B\n", "csv", "appears twice"), (b"a,b\n1,2,3\n", "csv", "has 3 cells")]
    for data, fmt, message in cases:
        with pytest.raises(RowsRefused, match=message):
            read_rows(data, fmt)
    header, rows = read_rows(b"sku,price\nA,1\n", "csv")
    with pytest.raises(RowsRefused) as refused:
        checked_rows(header, rows, Columns(required=("sku", "price_cents")))
    assert [(e.row, e.column) for e in refused.value.errors] == [(1, "price"),
                                                                 (1, "price_cents")]
