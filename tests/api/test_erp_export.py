"""Issue 15, item 4 (the export side): ``omnitill export orders|stock --since``
gives an ERP the order lines and stock levels that changed, as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from cli.main import app as cli
from core.db import Database
from core.orders.models import Order
from core.stock.models import StockMovement
from core.timeutil import utcnow
from tests.api.kpi_history import write_history
from tests.support import Seeded


def test_what_changed_since_as_csv_and_json(  # type: ignore[no-untyped-def]
    seeded: Seeded, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("OMNITILL_DATABASE_URL", seeded.url)
    monkeypatch.setenv("OMNITILL_VAR_DIR", str(tmp_path))
    skus = write_history(seeded.url)
    later = utcnow() + timedelta(hours=1)
    db = Database(seeded.url)
    try:
        with db.write() as session:
            session.execute(update(Order).where(Order.number.in_(["KPI-0003", "KPI-0007"]))
                            .values(updated_at=later))
            session.add(StockMovement(location_code="TS01", sku=skus[1], delta=1,
                                      reason="receipt", created_at=later))
    finally:
        db.dispose()
    since = (later - timedelta(minutes=1)).isoformat()
    runner = CliRunner()

    result = runner.invoke(cli, ["export", "orders", "--since", since])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["number"], r["store"], r["channel"], r["status"], r["line_total_cents"])
            for r in rows] == [("KPI-0003", "MI01", "web", "collected", "8000"),
                               ("KPI-0007", "TO01", "pos", "completed", "4000")]
    assert rows[0]["source_location"] == "WH01" and rows[0]["sku"] == skus[0]

    target = tmp_path / "stock.json"
    result = runner.invoke(cli, ["export", "stock", "--since", since, "--format", "json",
                                 "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote 1 stock levels to {target}"
    assert json.loads(target.read_text(encoding="utf-8")) == [
        {"location": "TS01", "sku": skus[1], "on_hand": 5, "reserved": 3, "available": 2}]

    everything = runner.invoke(cli, ["export", "stock", "--store", "TS01"])
    assert len(everything.output.strip().splitlines()) == 1 + 4
    bad = runner.invoke(cli, ["export", "orders", "--since", "last week"])
    assert bad.exit_code == 1 and "is not a date or time" in bad.output
