"""The offline till's promise with a real till *process* and a real core: the till
is SIGKILLed with an offline sale in its outbox while the core is down, and again
in the middle of a replay; every sale reaches the core exactly once.

The till runs in its own process (:mod:`tests.e2e.till_driver`: the real app,
headless, fed keys through a pipe, printing to a file printer); the core is
uvicorn on a free port, stopped and started again.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pos.offline.store import LocalStore
from shared.client import Api, CommerceClient
from tests.api.helpers import level, set_stock, sign_in
from tests.e2e.server import running_core
from tests.e2e.test_offline_replay import _open_drawer, _order_count, _orders_numbered, _queue
from tests.support import SECRET, Seeded

pytestmark = pytest.mark.slow

MOKA, BOOK = "HO-MOK-05", "BK-NOV-02"
ROOT = Path(__file__).resolve().parents[2]


class Till:
    """One till process; each command answers with the till's state."""

    def __init__(self, base: str, token: str, data_dir: Path, *, printer: Path | None = None,
                 slow_orders: float = 0.0) -> None:
        self.log = (data_dir.parent / f"till-{time.monotonic_ns()}.log").open("w")
        command = [sys.executable, "-m", "tests.e2e.till_driver", "--core", base,
                   "--token", token, "--data-dir", str(data_dir)]
        if printer is not None:
            command += ["--printer", f"file:{printer}"]
        if slow_orders:
            command += ["--slow-orders", str(slow_orders)]
        self.process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.answers: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.answer(90)  # started

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.answers.put(line)

    def answer(self, seconds: float) -> dict[str, Any]:
        try:
            reply: dict[str, Any] = json.loads(self.answers.get(timeout=seconds))
        except queue.Empty:
            raise AssertionError(
                f"the till said nothing for {seconds} s; see {self.log.name}") from None
        return reply

    def do(self, command: str, seconds: float = 60) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        reply = self.answer(seconds)
        assert reply["ok"], reply
        return reply

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flush, nothing after this instruction."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.reader.join(timeout=10)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(BrokenPipeError):
                    pipe.close()
        self.log.close()


def _reader(base: str, token: str) -> CommerceClient:
    reader = CommerceClient(base, token)
    sign_in(reader, open_till=False)
    return reader


def test_a_till_killed_offline_and_mid_replay_loses_and_doubles_nothing(
    seeded: Seeded, tmp_path: Path
) -> None:
    token = seeded.tokens["MI01"]["pos"]
    data_dir, paper = tmp_path / "till", tmp_path / "receipts.bin"
    for sku in (MOKA, BOOK):
        set_stock(seeded.url, "MI01", sku, 10)
    before = _order_count(seeded.url)

    with running_core(seeded.url, tmp_path, secret=SECRET) as base:
        _open_drawer(base, token)
        till = Till(base, token, data_dir, printer=paper)
        till.do("synced")
        assert till.do("type 1111")["screen"] == "SellScreen"
        assert till.do(f"type {MOKA}")["lines"] == [MOKA]
    # The core is stopped, the sale on the screen carries on.
    state = till.do(f"type {BOOK}")
    assert state["offline"] and state["lines"] == [MOKA, BOOK]
    assert till.do("press f2 enter")["screen"] == "ReceiptChoiceDialog"  # cash, exact
    state = till.do("press p")
    [number] = state["outbox"]
    assert state["pending"] == 1 and number.encode() in paper.read_bytes()
    till.kill()  # before the core is back

    with running_core(seeded.url, tmp_path, secret=SECRET) as base:
        started = time.monotonic()
        till = Till(base, token, data_dir)
        till.do("pending 0")
        took = time.monotonic() - started
        assert took < 30, f"the replay after a restart took {took:.1f} s"
        assert _orders_numbered(seeded.url, number) == {number: 1}
        with _reader(base, token) as reader:
            [sent] = LocalStore(data_dir).entries("sent")
            order = reader.call(Api.order(sent.order_number or ""))
        assert order.offline_number == number
        assert sorted(line.sku for line in order.lines) == sorted([MOKA, BOOK])
        assert level(seeded.url, "MI01", MOKA) == (9, 0)
        assert level(seeded.url, "MI01", BOOK) == (9, 0)
        till.kill()

        # A further restart replays nothing.
        till = Till(base, token, data_dir)
        assert till.do("synced")["pending"] == 0
        till.kill()
        assert _orders_numbered(seeded.url, number) == {number: 1}
        assert _order_count(seeded.url) == before + 1

        # Twenty sales queued offline; the till dies in the middle of sending them.
        staff = _open_drawer(base, token)
        set_stock(seeded.url, "MI01", MOKA, 30)
        with _reader(base, token) as reader:
            price = reader.call(Api.product(MOKA)).price_cents
        queued = tmp_path / "till-2"
        store = LocalStore(queued)
        numbers = _queue(store, staff, MOKA, 20, price)
        store.close()
        till = Till(base, token, queued, slow_orders=0.3)
        deadline = time.monotonic() + 60
        while sum(_orders_numbered(seeded.url, *numbers).values()) < 3:
            assert time.monotonic() < deadline, "the replay never started"
            time.sleep(0.05)
        till.kill()
        reached = sum(_orders_numbered(seeded.url, *numbers).values())
        assert 3 <= reached < 20, f"killed mid-replay ({reached} of 20 had reached the core)"
        till = Till(base, token, queued)
        till.do("pending 0")
        till.kill()
    counts = _orders_numbered(seeded.url, *numbers)
    assert sorted(counts) == sorted(numbers), "20 orders"
    assert Counter(counts.values()) == Counter({1: 20}), "0 duplicates"
    assert level(seeded.url, "MI01", MOKA) == (10, 0)
