"""Live events at scale: how long a stock change takes to reach 200 open event
streams, and how often the core reads its event log meanwhile.

Two cores on one database, as two workers would be: the followers hold their
``GET /v1/events`` streams on core A (httpx streams on one asyncio loop: kiosks,
the web shop and MI01's till). One count at a time is posted either to A (its
event hub is woken by the commit) or to B (A learns of it at its next poll).
Latency runs from sending the count to each follower's receiving its event, so
it includes the command itself and this client's own loop.

The cores run a factory that counts the SQL statements that read the ``events``
table (the hub's polls, and each stream's catch-up when it connects) and
answers ``GET /bench/reads``; nothing else differs from ``core.app``.

    .venv/bin/python -m bench.sse [--followers 200] [--changes 40] [--poll S]
                                  [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI
from httpx_sse import aconnect_sse
from sqlalchemy import event

from bench.checkout import SECRET, prepare
from core.app import create_app
from tests.e2e.server import running_core

RESULTS = Path(__file__).parent / "results"
KINDS = (("MI01", "kiosk"), ("WEB", "web"), ("MI01", "pos"))
"""Who follows, round robin: every one of them sees a stock change at MI01."""


def counted_core() -> FastAPI:
    """``core.app.create_app`` and a counter of the statements that read the log."""
    app = create_app()
    db = app.state.db
    lock = threading.Lock()
    count = [0]

    def counted(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "FROM events" in statement:
            with lock:
                count[0] += 1

    for engine in {db.reader_engine, db.writer_engine}:
        event.listen(engine, "before_cursor_execute", counted)

    @app.get("/bench/reads", include_in_schema=False)
    def reads() -> dict[str, int]:
        return {"reads": count[0]}

    return app


@contextmanager
def running(url: str, var_dir: Path, poll: float | None) -> Iterator[str]:
    """A real core that counts its reads of the event log (the tests' launcher)."""
    extra = {"OMNITILL_EVENT_POLL_SECONDS": str(poll)} if poll is not None else {}
    with running_core(url, var_dir, secret=SECRET, extra_env=extra,
                      factory="bench.sse:counted_core") as base:
        yield base


@dataclass(frozen=True, slots=True)
class Row:
    case: str
    followers: int
    changes: int
    delivered: int
    """Deliveries seen, of followers x changes."""
    p50: float
    p95: float
    p99: float
    max: float
    """From sending the command (its own time included) to a follower's receiving it."""
    answered_p50: float
    answered_p99: float
    """From the command's answer (the change committed) to a follower's receiving it,
    0 when it arrived first: the fan-out alone."""
    command_p50: float
    reads_per_s: float
    """Statements reading the event log per second on the followers' core."""
    poll: float


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def _measure(followed: str, writers: dict[str, str], tokens: dict[str, dict[str, str]],
                   sku: str, *, followers: int, changes: int, poll: float) -> list[Row]:
    received: dict[int, list[float]] = {}  # on_hand value -> receive times
    connected = 0

    async def follow(client: httpx.AsyncClient, token: str) -> None:
        nonlocal connected
        headers = {"Authorization": f"Bearer {token}"}
        async with aconnect_sse(client, "GET", "/v1/events", headers=headers,
                                params={"types": "stock.changed"}) as source:
            connected += 1
            async for sse in source.aiter_sse():
                if sse.event == "stock.changed":
                    payload = json.loads(sse.data)["payload"]
                    if payload["sku"] == sku and payload["location"] == "MI01":
                        received.setdefault(payload["on_hand"], []).append(time.perf_counter())

    limits = httpx.Limits(max_connections=followers + 10, max_keepalive_connections=followers)
    rows: list[Row] = []
    async with httpx.AsyncClient(base_url=followed, timeout=None, limits=limits) as streams:
        tasks = [asyncio.create_task(follow(streams, tokens[s][k]))
                 for s, k in (KINDS[i % len(KINDS)] for i in range(followers))]
        try:
            deadline = time.monotonic() + 60
            while connected < followers:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{connected} of {followers} streams connected")
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # every stream past its first read
            value = 1_000
            for case, writer in writers.items():
                auth = {"Authorization": f"Bearer {tokens['MI01']['pos']}"}
                async with httpx.AsyncClient(base_url=writer, timeout=30) as http:
                    staff = (await http.post("/v1/auth/staff", json={"pin": "2222"},
                                             headers=auth)).json()["token"]
                    auth["X-Staff-Token"] = staff
                    latencies: list[float] = []
                    commands: list[float] = []
                    after_answer: list[float] = []
                    worst: list[tuple[float, float, float]] = []
                    for i in range(changes + 1):  # the first warms the command up, untimed
                        value += 1
                        sent = time.perf_counter()
                        (await http.post("/v1/stock/adjustments", headers=auth, json={
                            "location": "MI01", "sku": sku, "reason": "count", "qty": value,
                        })).raise_for_status()
                        answered = time.perf_counter()
                        commands.append((answered - sent) * 1000)
                        until = time.monotonic() + 5
                        while len(received.get(value, ())) < followers \
                                and time.monotonic() < until:
                            await asyncio.sleep(0.002)
                        got = [(t - sent) * 1000 for t in received.get(value, ())] if i else []
                        latencies += got
                        after_answer += [max(0.0, (t - answered) * 1000)
                                         for t in received.get(value, ())] if i else []
                        if got:
                            worst.append((max(got), min(got), commands[-1]))
                        await asyncio.sleep(random.uniform(0.05, 0.25))  # off the poll's beat
                        if not i:
                            reads_before = (await streams.get("/bench/reads")).json()["reads"]
                            began = time.perf_counter()
                    elapsed = time.perf_counter() - began
                    reads = (await streams.get("/bench/reads")).json()["reads"] - reads_before
                rows.append(Row(case, followers, changes, len(latencies),
                                statistics.median(latencies) if latencies else float("nan"),
                                _pct(latencies, 0.95), _pct(latencies, 0.99),
                                max(latencies, default=float("nan")), _pct(after_answer, 0.5),
                                _pct(after_answer, 0.99), _pct(commands[1:], 0.5),
                                reads / elapsed, poll))
                print(f"  {case}: p50 {rows[-1].p50:.0f} ms, p99 {rows[-1].p99:.0f} ms, "
                      f"{rows[-1].reads_per_s:.1f} log reads/s; the slowest changes (last, "
                      f"first delivery, command ms): "
                      + ", ".join(f"{a:.0f}/{b:.0f}/{c:.0f}" for a, b, c in sorted(worst)[-3:]),
                      flush=True)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    return rows


def measure(url: str, var_dir: Path, *, followers: int = 200, changes: int = 40,
            poll: float | None = None) -> list[Row]:
    tokens, skus = prepare(url, var_dir)
    from core.settings import CoreSettings

    interval = poll if poll is not None else CoreSettings.model_fields[
        "event_poll_seconds"].default
    with running(url, var_dir, poll) as a, running(url, var_dir, poll) as b:
        return asyncio.run(_measure(
            a, {"change on the followers' core": a, "change on another core": b}, tokens,
            skus[0], followers=followers, changes=changes, poll=interval))


def print_rows(rows: list[Row]) -> None:
    print(f"{'':31} {'':9} {'':11} {'from sending the command':^31} {'after answer':^15}")
    print(f"{'case':31} {'followers':>9} {'delivered':>11} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7} {'p50 ms':>7} {'p99 ms':>7} {'cmd p50':>7} "
          f"{'log reads/s':>11} {'poll s':>6}")
    for r in rows:
        print(f"{r.case:31} {r.followers:9d} {r.delivered:5d}/{r.followers * r.changes:<5d} "
              f"{r.p50:7.1f} {r.p95:7.1f} {r.p99:7.1f} {r.max:7.1f} {r.answered_p50:7.1f} "
              f"{r.answered_p99:7.1f} {r.command_p50:7.1f} {r.reads_per_s:11.1f} "
              f"{r.poll:6.2f}")
    print("target: p99 < 200 ms for 200 followers; the log read about once per poll "
          "interval, not once per follower per interval")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--followers", type=int, default=200)
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--poll", type=float, default=None,
                        help="OMNITILL_EVENT_POLL_SECONDS for the cores (default: theirs)")
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL to make a database on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        if args.postgres:
            from bench.pgdb import drop_database, fresh_database

            url = fresh_database(args.postgres, "omnitill_bench_sse")
        try:
            rows = measure(url, Path(folder), followers=args.followers, changes=args.changes,
                           poll=args.poll)
        finally:
            if args.postgres:
                drop_database(url)
    print_rows(rows)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    (RESULTS / f"sse-{stamp}.json").write_text(json.dumps(
        {"database": "PostgreSQL" if args.postgres else "SQLite",
         "rows": [asdict(r) for r in rows]}, indent=2))


if __name__ == "__main__":
    main()
