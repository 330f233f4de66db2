"""What an ERP import answers (``POST /v1/imports/{kind}``, ``omnitill import``):
how many rows it created, updated or left as they were, and what each changed
row changes, so a dry run can be read before the real one is run."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

__all__ = ["ImportKind", "ImportResult", "RowChange", "RowError"]


class ImportKind(StrEnum):
    CATALOG = "catalog"
    PRICES = "prices"
    STOCK = "stock"
    CUSTOMERS = "customers"


class RowChange(BaseModel):
    row: int = Field(description="The row as a spreadsheet numbers it (the header is row 1); "
                                 "in a JSON array, the object's position from 1.")
    key: str = Field(description="What the row names: a SKU, `location/SKU`, a customer.")
    action: str = Field(description="`create` or `update`.")
    changes: dict[str, list[Any]] = Field(
        description="Each field that changes: `[before, after]` (`before` is null for a "
                    "new record).")


class RowError(BaseModel):
    row: int = Field(description="As in `RowChange.row`; 1 is the header of a CSV file.")
    column: str = Field(description="The column (or JSON key) at fault; empty for the row.")
    msg: str = Field(description="What is wrong, in words a person can act on.")


class ImportResult(BaseModel):
    kind: ImportKind
    dry_run: bool = Field(description="True: nothing was written; this is what would change.")
    rows: int
    created: int
    updated: int
    unchanged: int
    changes: list[RowChange] = Field(
        description="The rows that create or change something, in file order (at most "
                    "`listed`; `more_changes` says how many were left out).")
    more_changes: int = 0
