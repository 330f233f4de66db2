"""``omnitill import catalog|prices|stock|customers FILE``: an ERP's file into the core.

Run at the server, on the core's database (``OMNITILL_DATABASE_URL``), by an
administrator: the audit trail names the operating-system user. Every row is
checked first; a file with any bad row imports nothing, prints each problem in
a table and exits 1. ``--dry-run`` prints what would change and writes nothing.
The formats are in the README ("Importing from an ERP") and ``assets/import/``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from shared.schemas.imports import ImportKind, ImportResult

if TYPE_CHECKING:
    from core.imports.reading import RowsRefused

app = typer.Typer(help="Catalog, prices, stock or customers from an ERP (CSV or JSON).",
                  no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(
    exists=True, dir_okay=False, readable=True,
    help="CSV with a header row, or a JSON array of objects (told by its name or content)")]
DryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help="Check every row and show what would change; write nothing")]
StoreOption = Annotated[str | None, typer.Option(help="Store code (see each command)")]
ShowOption = Annotated[int, typer.Option(min=0, help="Changed rows to list")]


LISTED_ERRORS = 50
"""Problems printed; a file wrong on more rows is usually wrong in one way."""


def _run(kind: ImportKind, file: Path, dry_run: bool, store: str | None, show: int) -> None:
    from core.audit.service import command_line_actor
    from core.db import Database
    from core.imports.reading import RowsRefused
    from core.imports.service import run_import
    from core.problems import CommerceProblem
    from core.settings import CoreSettings

    out, err = Console(), Console(stderr=True)
    data = file.read_bytes()
    db = Database(CoreSettings().resolved_database_url)
    columns = (TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    try:
        with Progress(*columns, console=err, transient=True,
                      disable=not err.is_terminal) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            with db.read() if dry_run else db.write() as session:
                result = run_import(session, kind=kind, data=data, source=file.name,
                                    dry_run=dry_run, store=store, actor=command_line_actor(),
                                    progress=progress)
    except RowsRefused as exc:
        _print_refusal(err, exc)
        raise typer.Exit(code=1) from exc
    except CommerceProblem as exc:
        err.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(code=1) from exc
    finally:
        db.dispose()
    _print_result(out, result, show)


def _print_refusal(console: Console, exc: RowsRefused) -> None:
    table = Table(title=f"{exc.total} problem{'s' if exc.total != 1 else ''}; "
                        "nothing was imported", title_justify="left")
    table.add_column("row", justify="right", no_wrap=True)
    table.add_column("column", no_wrap=True)
    table.add_column("problem", overflow="fold")
    for error in exc.errors[:LISTED_ERRORS]:
        table.add_row(str(error.row), error.column or "-", error.msg)
    console.print(table)
    if exc.total > LISTED_ERRORS:
        console.print(f"... and {exc.total - LISTED_ERRORS} more")


def _print_result(console: Console, result: ImportResult, show: int) -> None:
    console.print(f"{result.kind.value}: {result.rows} rows; created {result.created}, "
                  f"updated {result.updated}, unchanged {result.unchanged}"
                  + (" (dry run: nothing was written)" if result.dry_run else ""),
                  highlight=False)
    listed = result.changes[:show]
    if not listed:
        return
    table = Table(title_justify="left")
    table.add_column("row", justify="right", no_wrap=True)
    table.add_column("record", no_wrap=True)
    table.add_column("action", no_wrap=True)
    table.add_column("changes", overflow="fold")
    for change in listed:
        table.add_row(str(change.row), change.key, change.action, ", ".join(
            f"{field}: {before} → {after}" if change.action == "update" else f"{field}={after}"
            for field, (before, after) in change.changes.items()
            if change.action == "update" or after not in (None, "")))
    console.print(table)
    more = len(result.changes) - len(listed) + result.more_changes
    if more:
        console.print(f"... and {more} more changed rows (--show N lists more)")


@app.command("catalog")
def import_catalog(file: FileArgument, dry_run: DryRunOption = False, show: ShowOption = 20
                   ) -> None:
    """Products by SKU: sku, name, category_code, price_cents, vat_rate_bp, and any of
    gtin, description, brand, style, size, colour, active. Creates and updates."""
    _run(ImportKind.CATALOG, file, dry_run, None, show)


@app.command("prices")
def import_prices(file: FileArgument, dry_run: DryRunOption = False, show: ShowOption = 20
                  ) -> None:
    """A price list: sku, price_cents (integer cents) of existing products."""
    _run(ImportKind.PRICES, file, dry_run, None, show)


@app.command("stock")
def import_stock(file: FileArgument, dry_run: DryRunOption = False, store: StoreOption = None,
                 show: ShowOption = 20) -> None:
    """Units on hand: location, sku, on_hand (the stock export imports back as it is).
    --store: the location of rows without one, and the only one allowed."""
    _run(ImportKind.STOCK, file, dry_run, store, show)


@app.command("customers")
def import_customers(file: FileArgument, dry_run: DryRunOption = False,
                     store: StoreOption = None, show: ShowOption = 20) -> None:
    """Customers: first_name, last_name and any of id, email, phone, loyalty_card, city,
    home_store, consent_marketing, consent_email_receipts. --store: the home store of
    rows without one."""
    _run(ImportKind.CUSTOMERS, file, dry_run, store, show)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
