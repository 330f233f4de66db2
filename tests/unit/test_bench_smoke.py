"""``python -m bench`` runs and reports what it promises: one table with the targets
beside the figures, and a JSON file a later run can be compared with. Never a
timing: the figures belong to the machine, the shape of the report to us."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.report import Target

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_run_prints_one_table_and_writes_the_json(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    env = {k: v for k, v in os.environ.items() if k != "OMNITILL_BENCH_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", "search,statements",
         "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert out.exists(), "the JSON goes where --json says"
    result = json.loads(out.read_text())
    assert {"when", "command", "quick", "cases_run", "plan", "machine", "cases",
            "case_seconds", "targets", "table", "took_seconds"} <= set(result)
    assert result["quick"] is True
    assert result["cases_run"] == ["statements", "search"]
    assert set(result["cases"]) == {"statements", "search"}
    assert {"cpus", "ram_gb", "python", "sqlite", "load_average_at_start",
            "load_average_at_end"} <= set(result["machine"])
    assert {r["case"] for r in result["cases"]["statements"]} >= {
        "GET /v1/health", "web delivery order, 1 line", "till cash sale, 3 lines"}
    shapes = {r["shape"] for r in result["cases"]["search"]["rows"]}
    assert {"common prefix", "selective word", "two words", "no match"} <= shapes
    # Every search shape is held to both of its targets, each with a verdict.
    targets = result["targets"]
    assert targets and all({"name", "value", "op", "wanted", "met", "verdict", "case"}
                           <= set(t) for t in targets)
    assert len([t for t in targets if t["case"].startswith("search")]) == 2 * len(
        result["cases"]["search"]["rows"])
    # One table, on stdout and in the JSON, with its targets beside the figures.
    table = result["table"]
    assert table in done.stdout
    header = table.splitlines()[0].split()
    assert header == ["area", "case", "figures", "target", "verdict"]
    assert "< 15 ms" in table and ">= 10x" in table
    assert str(out) in done.stdout


def test_an_unknown_case_is_refused_with_the_list_of_cases() -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--only", "checkout,nonsense"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "unknown case nonsense" in done.stderr and "checkout" in done.stderr


def test_a_verdict_says_by_how_much_a_target_was_missed() -> None:
    assert Target("p95", 60, "<", 50, "ms").verdict == "MISSED by 1.20x"
    assert Target("2w/1w", 0.8, ">=", 1.6, "x").verdict == "MISSED by 2.00x"
    assert Target("p99/p50", 1.5, "<=", 4, "x").verdict == "met"
    assert Target("duplicates", 3, "==", 0).verdict == "MISSED by 3"
    assert Target("2w/1w", float("nan"), ">=", 1.6, "x").verdict == "-"


@pytest.mark.slow
def test_the_profile_says_where_an_order_spends_its_cpu() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.profile", "till cash sale, 3 lines", "--repeat", "5"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    first, libraries, header, *functions = done.stdout.splitlines()
    assert first.startswith("till cash sale, 3 lines: ") and "Python calls per request" in first
    assert libraries.startswith("by library") and "sqlalchemy" in libraries
    assert "Omnitill function" in header
    # The order route is the request's outermost Omnitill function, so it comes first.
    assert "place (core/orders/routes.py:" in functions[0]
    assert any("take_payment (core/payments/service.py:" in f for f in functions)
