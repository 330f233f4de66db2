"""Reading an ERP file into rows: CSV with a header row, or a JSON array of objects.

Both become the same thing, a list of :class:`SourceRow` (the row's number as a
person finds it in the file, and its cells by column name), so the checks after
this know nothing of the format. A CSV row is numbered as a spreadsheet shows
it (the header is row 1, the first data row is row 2); a JSON object by its
position in the array, from 1.

Everything wrong with the file as a whole (not CSV or JSON, no rows, a column
nobody knows, a required column missing) is a :class:`RowsRefused` here, before
any row is looked at.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from core.problems import InvalidInput
from shared.schemas.imports import RowError

Format = Literal["csv", "json"]

MAX_LISTED_ERRORS = 200
"""Row errors listed in full; past these a file is wrong in a way a person sees from
the first few, and the rest are counted."""


@dataclass(frozen=True, slots=True)
class SourceRow:
    number: int
    cells: dict[str, Any]


class RowsRefused(InvalidInput):
    """Rows the import cannot take; nothing was written. ``errors`` lists them (at most
    :data:`MAX_LISTED_ERRORS`), ``total`` counts them all."""

    code = "import_rows_invalid"
    title = "Rows refused"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors[:MAX_LISTED_ERRORS]
        self.total = len(errors)
        rows = len({e.row for e in errors})
        first = errors[0]
        where = f"row {first.row}" + (f", {first.column}" if first.column else "")
        super().__init__(
            f"{self.total} problem{'s' if self.total != 1 else ''} in {rows} "
            f"row{'s' if rows != 1 else ''}; nothing was imported. First: {where}: "
            f"{first.msg}", code=self.code, problems=self.total)


def refuse(row: int, column: str, msg: str) -> RowsRefused:
    return RowsRefused([RowError(row=row, column=column, msg=msg)])


def detect_format(data: bytes, declared: str | None = None) -> Format:
    """``declared``: a content type or a file name; otherwise the first character says
    (``[`` is JSON)."""
    hint = (declared or "").lower()
    if "json" in hint:
        return "json"
    if "csv" in hint:
        return "csv"
    return "json" if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[" else "csv"


def read_rows(data: bytes, fmt: Format) -> tuple[list[str] | None, list[SourceRow]]:
    """The CSV header (``None`` for JSON, whose objects each name their own keys) and
    the rows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(1, "", "The file is not UTF-8 text (save it as CSV UTF-8 or JSON).") \
            from exc
    header, rows = _json_rows(text) if fmt == "json" else _csv_rows(text)
    if not rows:
        raise refuse(1, "", "The file has no rows to import.")
    return header, rows


def _csv_rows(text: str) -> tuple[list[str], list[SourceRow]]:
    first = text.split("\n", 1)[0]
    # A spreadsheet set to Italian (or most of Europe) saves CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise refuse(1, "", "The file is empty: the first row names the columns.") from None
    except csv.Error as exc:
        raise refuse(1, "", f"The header row is not valid CSV ({exc}).") from exc
    if "" in header:
        raise refuse(1, "", f"Column {header.index('') + 1} of the header has no name.")
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise refuse(1, twice[0], "This column appears twice in the header.")
    rows: list[SourceRow] = []
    errors: list[RowError] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not "".join(cells).strip():
                continue  # a blank line (a spreadsheet's last row)
            if len(cells) != len(header):
                errors.append(RowError(row=number, column="", msg=(
                    f"The row has {len(cells)} cells, the header {len(header)} columns "
                    f"(a {delimiter!r} inside a value needs the value in double quotes).")))
                continue
            rows.append(SourceRow(number, dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        errors.append(RowError(row=reader.line_num, column="",
                               msg=f"This is not valid CSV ({exc})."))
    if errors:
        raise RowsRefused(errors)
    return header, rows


def _json_rows(text: str) -> tuple[None, list[SourceRow]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise refuse(1, "", f"The file is not valid JSON ({exc}).") from exc
    if not isinstance(data, list):
        raise refuse(1, "", "The JSON must be an array of objects, one per row.")
    rows: list[SourceRow] = []
    errors: list[RowError] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(row=number, column="", msg="This item is not an object."))
            continue
        rows.append(SourceRow(number, {str(k).strip().lower(): v for k, v in item.items()}))
    if errors:
        raise RowsRefused(errors)
    return None, rows


@dataclass(frozen=True, slots=True)
class Columns:
    """What a kind reads: the columns it requires, those it may take, and those it
    accepts and ignores (the export's derived columns, so an export imports back)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict)
    """Cells filled in for a row that lacks them (``--store``)."""

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional + self.ignored

    def check(self, names: Iterable[str], row: int) -> list[RowError]:
        """Unknown and missing columns of one header (CSV) or object (JSON)."""
        present = set(names)
        errors = [RowError(row=row, column=name, msg=(
            f"There is no column {name!r} in this import; the columns are "
            f"{', '.join(self.known)}.")) for name in sorted(present - set(self.known))]
        errors += [RowError(row=row, column=name, msg="This column is required.")
                   for name in self.required if name not in present and name not in
                   self.defaults]
        return errors


def checked_rows(header: list[str] | None, rows: list[SourceRow], columns: Columns
                 ) -> list[SourceRow]:
    """Rows whose columns are all known and complete, with the defaults filled in."""
    errors = columns.check(header, 1) if header is not None else [
        e for r in rows for e in columns.check(r.cells, r.number)]
    if errors:
        raise RowsRefused(errors)
    if not columns.defaults:
        return rows
    return [SourceRow(r.number, columns.defaults | {k: v for k, v in r.cells.items()
                                                     if v not in (None, "")})
            if any(k not in r.cells or r.cells[k] in (None, "") for k in columns.defaults)
            else r for r in rows]
