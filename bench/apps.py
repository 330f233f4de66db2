"""The apps as a cashier and a shopper feel them: a scan in the till until its line
shows, a scan at the kiosk until the product's screen shows with its stock, and
each app's start-up and peak memory beside a bare Textual app's.

Both apps run through Textual's Pilot (headless) against a live core (uvicorn on
SQLite, the demo chain, endless stock), each in a process of its own
(:mod:`bench.app_child`), with the keys a barcode scanner sends (the digits of
the GTIN and Enter, queued at once).

- till: the first GTIN scanned ``repeat`` times into a 1-line basket (its
  quantity goes up), then ``lines - 1`` other GTINs (each a new line), then the
  first one ``repeat`` times more into the ``lines``-line basket. A scan counts
  until the table holds the line with its new quantity.
- kiosk: ``repeat`` scans of different products from the first screen, each
  counted until the product screen holds the product and its stock, then back.
- start-up: from starting the process to the first screen settled (the till's
  sign-in, the kiosk's attract screen with its set-up checked against the
  core), the median of ``starts`` runs, beside a bare Textual app (one label).

    .venv/bin/python -m bench.apps [--lines 200] [--repeat 30] [--starts 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SCAN_P95_MS = 50.0
SAME_SPEED = 1.5
"""A big basket counts as "as fast" when its p50 is within 1.5x the 1-line basket's."""


@dataclass(frozen=True, slots=True)
class ScanRow:
    app: str
    case: str
    samples: int
    p50: float
    p95: float
    max: float


@dataclass(frozen=True, slots=True)
class StartRow:
    app: str
    ready_s: float
    """Median seconds from starting the process to the first screen settled."""
    runs: int
    peak_rss_mb: float
    """Peak RSS of the process: at start-up only, or (till, kiosk) after its scans."""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def scan_row(app: str, case: str, values: list[float]) -> ScanRow:
    return ScanRow(app, case, len(values), _pct(values, 0.5), _pct(values, 0.95),
                   max(values, default=float("nan")))


def child(job: dict[str, Any], timeout: float = 600) -> dict[str, Any]:
    """Run one job in ``python -m bench.app_child``; its JSON answer. ``began`` is
    set here, just before the process starts, so start-up includes it."""
    began = time.time()
    done = subprocess.run([sys.executable, "-m", "bench.app_child"],
                          input=json.dumps(job | {"began": began}) + "\n", text=True,
                          capture_output=True, timeout=timeout, check=False)
    if done.returncode:
        raise RuntimeError(f"{job['app']} failed:\n{done.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def _items(url: str, skus: list[str]) -> list[list[str]]:
    """(GTIN, SKU) of every active product with a barcode, in SKU order."""
    from sqlalchemy import select

    from core.catalog.models import Product
    from core.db import Database

    db = Database(url)
    try:
        with db.read() as session:
            found = {sku: gtin for sku, gtin in session.execute(
                select(Product.sku, Product.gtin).where(Product.active,
                                                        Product.gtin.is_not(None)))}
    finally:
        db.dispose()
    return [[found[sku] or "", sku] for sku in skus if found.get(sku)]


def _open_drawer(base: str, token: str, pin: str) -> None:
    import httpx

    auth = {"Authorization": f"Bearer {token}"}
    staff = httpx.post(f"{base}/v1/auth/staff", json={"pin": pin}, headers=auth,
                       timeout=30).raise_for_status().json()["token"]
    opened = httpx.post(f"{base}/v1/till/open", json={"float_cents": 10_000},
                        headers=auth | {"X-Staff-Token": staff}, timeout=30)
    if opened.status_code not in (200, 201, 409):
        opened.raise_for_status()


def measure(url: str, var_dir: Path, *, lines: int = 200, repeat: int = 30,
            starts: int = 3) -> tuple[list[ScanRow], list[StartRow]]:
    from bench.checkout import SECRET, prepare
    from tests.e2e.server import running_core

    tokens, skus = prepare(url, var_dir)
    items = _items(url, skus)
    if len(items) < lines:
        raise RuntimeError(f"the catalog has {len(items)} products with a barcode, "
                           f"fewer than {lines}")
    till_token, kiosk_token, pin = tokens["MI01"]["pos"], tokens["MI01"]["kiosk"], "1111"
    scans: list[ScanRow] = []
    starts_out: list[StartRow] = []
    with running_core(url, var_dir, secret=SECRET) as base:
        _open_drawer(base, till_token, pin)
        common = {"base": base, "pin": pin}
        jobs = {"bare": {"app": "bare"},
                "till": common | {"app": "till", "token": till_token},
                "kiosk": common | {"app": "kiosk", "token": kiosk_token}}
        for name, job in jobs.items():
            runs = [child(job | {"startup_only": True}) for _ in range(starts)]
            starts_out.append(StartRow(name, statistics.median(r["ready_s"] for r in runs),
                                       starts, max(r["peak_rss"] for r in runs) / 2**20))
            print(f"  start-up, {name}: {starts_out[-1].ready_s:.2f} s", flush=True)
        till = child(jobs["till"] | {"items": items[:lines], "lines": lines,
                                     "repeat": repeat})
        if till["lines"] != lines:
            raise RuntimeError(f"the till shows {till['lines']} lines, not {lines}")
        scans += [scan_row("till", "scan, 1-line basket", till["small"]),
                  scan_row("till", f"scan, new line (lines 2-{lines})", till["new_lines"]),
                  scan_row("till", f"scan, {lines}-line basket", till["large"])]
        kiosk = child(jobs["kiosk"] | {"items": items, "repeat": repeat})
        scans.append(scan_row("kiosk", "scan to product screen", kiosk["scans"]))
        starts_out += [StartRow("till, after its scans", float("nan"), 1,
                                till["peak_rss"] / 2**20),
                       StartRow("kiosk, after its scans", float("nan"), 1,
                                kiosk["peak_rss"] / 2**20)]
        for row in scans:
            print(f"  {row.app} {row.case}: p50 {row.p50:.1f} ms, p95 {row.p95:.1f} ms",
                  flush=True)
    return scans, starts_out


def table(scans: list[ScanRow], starts: list[StartRow]) -> str:
    lines = [f"{'app':6} {'case':32} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"]
    lines += [f"{r.app:6} {r.case:32} {r.samples:4d} {r.p50:7.1f} {r.p95:7.1f} {r.max:7.1f}"
              for r in scans]
    lines.append("")
    lines.append(f"{'process':24} {'start-up s':>10} {'peak RSS MB':>11}")
    lines += [f"{r.app:24} {'' if r.ready_s != r.ready_s else f'{r.ready_s:.2f}':>10} "
              f"{r.peak_rss_mb:11.1f}" for r in starts]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scans, starts = measure(f"sqlite:///{folder}/apps.db", Path(folder), lines=args.lines,
                                repeat=args.repeat, starts=args.starts)
    print(table(scans, starts))
    print(json.dumps({"scans": [asdict(r) for r in scans],
                      "starts": [asdict(r) for r in starts]}))


if __name__ == "__main__":
    main()
