"""Webhooks: how soon a receiver gets an event, and how many deliveries a second
one dispatcher makes.

A real core (uvicorn, one worker, free port) on a seeded database, and a local
receiver (a threading HTTP server answering 200) subscribed to ``*``.

- latency: one stock receipt at a time through the API; from the event's
  ``created_at`` (stamped in the command, before its commit) to the receiver's
  getting it, with ``OMNITILL_WEBHOOK_POLL_SECONDS`` at its default (1 s: the
  dispatching worker is woken by its own commits at once);
- throughput: a burst of events written straight into the log while nobody
  waits on them, then the time until the receiver has all of them.

    .venv/bin/python -m bench.webhooks [--events 500] [--latency 30] [--postgres URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

from bench.checkout import SECRET, prepare
from core.db import Database
from core.events.service import emit
from tests.e2e.server import running_core
from tests.webhooks.receiver import receiving, wait_until


def run(url: str, var_dir: Path, *, events: int, latency: int) -> dict[str, float]:
    tokens, skus = prepare(url, var_dir)
    figures: dict[str, float] = {}
    with receiving() as receiver, running_core(url, var_dir, secret=SECRET) as base:
        device = {"Authorization": f"Bearer {tokens['MI01']['pos']}"}
        staff = httpx.post(f"{base}/v1/auth/staff", json={"pin": "3333"}, headers=device,
                           timeout=30).json()["token"]
        manager = device | {"X-Staff-Token": staff}
        made = httpx.post(f"{base}/v1/webhooks", headers=manager, timeout=30,
                          json={"url": receiver.url, "events": ["*"]})
        made.raise_for_status()
        delays: list[float] = []
        for n in range(latency):
            httpx.post(f"{base}/v1/stock/adjustments", headers=manager, timeout=30, json={
                "location": "MI01", "sku": skus[0], "reason": "receipt", "qty": 1,
            }).raise_for_status()
            wait_until(lambda: len(receiver.posts) > len(delays), "the delivery")
            got = time.time()
            sent = datetime.fromisoformat(receiver.posts[n].event["created_at"]).timestamp()
            delays.append((got - sent) * 1000)
        figures["latency_p50_ms"] = statistics.median(delays)
        figures["latency_max_ms"] = max(delays)
        before = len(receiver.posts)
        db = Database(url)
        try:
            with db.write() as session:
                for i in range(events):
                    emit(session, "bench.burst", subject=str(i), n=i)
        finally:
            db.dispose()
        started = time.perf_counter()
        wait_until(lambda: len(receiver.posts) >= before + events, "the burst", seconds=600)
        elapsed = time.perf_counter() - started
        figures["burst_events"] = events
        figures["burst_seconds"] = elapsed
        figures["deliveries_per_second"] = events / elapsed
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--latency", type=int, default=30)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres or f"sqlite:///{Path(folder) / 'bench.db'}"
        for name, value in run(url, Path(folder), events=args.events,
                               latency=args.latency).items():
            print(f"{name:<24} {value:10.1f}")


if __name__ == "__main__":
    main()
