"""``omnitill import catalog|prices|stock|customers FILE``: the ERP import at the
server, on the core's database; bad rows print a table and exit 1, a dry run
writes nothing, and the stock export imports back unchanged."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select, func, select
from typer.testing import CliRunner

from cli.main import app as cli
from core.audit.models import AuditEntry
from core.catalog.models import Product
from core.catalog.search import search_skus
from core.db import Database
from core.stock.models import StockLevel
from tests.support import Seeded

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "import"


@pytest.fixture
def env(seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    monkeypatch.setenv("OMNITILL_DATABASE_URL", seeded.url)
    monkeypatch.setenv("OMNITILL_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "160")  # rich tables at a width that keeps rows whole
    return seeded


def _scalar(url: str, query: Select[Any]) -> Any:
    db = Database(url)
    try:
        with db.read() as session:
            return session.scalar(query)
    finally:
        db.dispose()


def _price(url: str, sku: str) -> object:
    return _scalar(url, select(Product.price_cents).where(Product.sku == sku))


def test_every_example_file_imports(env: Seeded) -> None:
    runner = CliRunner()
    for kind, name in (("catalog", "catalog.csv"), ("prices", "prices.csv"),
                       ("stock", "stock.csv"), ("customers", "customers.json")):
        result = runner.invoke(cli, ["import", kind, str(EXAMPLES / name)])
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"{kind}: ")
    assert _price(env.url, "AC-GLO-09-BLA-S") == 4900
    assert _price(env.url, "AC-BEA-06-MUS") == 2200
    entries = _scalar(env.url, select(func.count()).select_from(AuditEntry).where(
        AuditEntry.kind == "import.applied", AuditEntry.actor.startswith("command line")))
    assert entries == 4


def test_bad_rows_print_a_table_exit_1_and_import_nothing(env: Seeded, tmp_path: Path) -> None:
    bad = tmp_path / "prices.csv"
    bad.write_text("sku,price_cents\nAC-BEA-06-GRE,1800\nNO-SUCH-SKU,100\n"
                   "AC-BEA-06-MUS,18.00\n", encoding="utf-8")

    result = CliRunner().invoke(cli, ["import", "prices", str(bad)])

    assert result.exit_code == 1
    assert "2 problems; nothing was imported" in result.output
    lines = [line for line in result.output.splitlines() if "│" in line]
    assert any("3" in line and "sku" in line and "There is no product NO-SUCH-SKU" in line
               for line in lines), result.output
    assert any("4" in line and "price_cents" in line and "write 1800 for 18.00" in line
               for line in lines), result.output
    assert _price(env.url, "AC-BEA-06-GRE") == 2500  # the good row was not imported


def test_a_dry_run_lists_the_changes_and_writes_nothing(env: Seeded) -> None:
    result = CliRunner().invoke(cli, ["import", "catalog", str(EXAMPLES / "catalog.csv"),
                                      "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "created 2, updated 1, unchanged 0 (dry run: nothing was written)" in result.output
    assert "price_cents: 2500 → 2200" in result.output
    assert _price(env.url, "AC-BEA-06-GRE") == 2500
    assert _price(env.url, "AC-GLO-09-BLA-S") is None


def test_the_stock_export_imports_back_unchanged(env: Seeded, tmp_path: Path) -> None:
    runner = CliRunner()
    exported = tmp_path / "stock.csv"
    assert runner.invoke(cli, ["export", "stock", "--store", "MI01", "--out",
                               str(exported)]).exit_code == 0
    with exported.open(encoding="utf-8") as source:
        rows = list(csv.DictReader(source))

    same = runner.invoke(cli, ["import", "stock", str(exported), "--store", "MI01"])
    assert same.exit_code == 0, same.output
    assert f"{len(rows)} rows; created 0, updated 0, unchanged {len(rows)}" in same.output

    rows[0]["on_hand"] = str(int(rows[0]["on_hand"]) + int(rows[0]["reserved"]) + 7)
    with exported.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    changed = runner.invoke(cli, ["import", "stock", str(exported)])
    assert changed.exit_code == 0, changed.output
    assert "updated 1" in changed.output
    on_hand = _scalar(env.url, select(StockLevel.on_hand).where(
        StockLevel.location_code == "MI01", StockLevel.sku == rows[0]["sku"]))
    assert on_hand == int(rows[0]["on_hand"])


def test_an_unknown_store_is_refused(env: Seeded) -> None:
    result = CliRunner().invoke(cli, ["import", "customers", str(EXAMPLES / "customers.json"),
                                      "--store", "XX99"])
    assert result.exit_code == 1 and "There is no store or warehouse 'XX99'" in result.output


PRODUCTS = 100_000


@pytest.mark.slow
def test_a_hundred_thousand_products_import_in_well_under_a_minute(
    env: Seeded, tmp_path: Path
) -> None:
    source = tmp_path / "catalog.csv"
    with source.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["sku", "name", "category_code", "brand", "size", "colour",
                         "price_cents", "vat_rate_bp"])
        for n in range(PRODUCTS):
            writer.writerow([f"BULK-{n:06d}", f"Bulk tee {n}", "clothing", "Portico",
                             "SML"[n % 3], "Navy", 1000 + n % 5000, 2200])
    before = _scalar(env.url, select(func.count()).select_from(Product))

    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["import", "catalog", str(source)])
    took = time.perf_counter() - started

    assert result.exit_code == 0, result.output
    assert f"{PRODUCTS} rows; created {PRODUCTS}, updated 0" in result.output
    assert _scalar(env.url, select(func.count()).select_from(Product)) == before + PRODUCTS
    assert _scalar(env.url, select(func.count()).select_from(Product).where(
        Product.sku.startswith("BULK-"), Product.search_text.contains("bulk tee"))) == PRODUCTS
    assert took < 60, f"{PRODUCTS} products took {took:.1f} s"
    # The search index has every new row, and still follows later writes (on SQLite
    # a large import rebuilds it in one pass and puts its triggers back).
    small = CliRunner().invoke(cli, ["import", "catalog", str(EXAMPLES / "catalog.csv")])
    assert small.exit_code == 0, small.output
    db = Database(env.url)
    try:
        with db.read() as session:
            assert search_skus(session, query="bulk tee 42424", category=None, limit=5,
                               offset=0) == ["BULK-042424"]
            assert search_skus(session, query="leather gloves", category=None, limit=5,
                               offset=0) == ["AC-GLO-09-BLA-M", "AC-GLO-09-BLA-S"]
    finally:
        db.dispose()
    print(f"\n{PRODUCTS} products imported in {took:.1f} s ({env.url.split(':')[0]})")
