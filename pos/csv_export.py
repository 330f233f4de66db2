"""CSV files of the back office's tables, written to the till's data folder so a
manager finds them next to the till's own files (and a spreadsheet opens them:
comma-separated, UTF-8 with a header row, money as plain euros with a dot)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from pos.offline import default_data_dir
from pos.settings import PosSettings


def exports_folder(settings: PosSettings) -> Path:
    """``<data folder>/exports``: the till's folder (``var/pos-<device>/`` by default)."""
    return (settings.data_dir or default_data_dir(settings)) / "exports"


def write_csv(folder: Path, name: str, header: Sequence[str],
              rows: Iterable[Sequence[object]]) -> tuple[Path, int]:
    """Write (or replace) ``<name>.csv``; returns its path and how many rows."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name) + ".csv")
    count = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return path, count
