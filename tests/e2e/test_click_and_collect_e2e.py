"""End to end on a real server: the web-order command, the pickup queue, and the
event stream delivering in order and resuming from Last-Event-ID."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from shared.client import Api, CommerceClient
from shared.events import follow_events
from shared.schemas.orders import Transition
from tests.api.helpers import sign_in
from tests.e2e.server import running_core
from tests.support import SECRET, Seeded

pytestmark = pytest.mark.slow


def test_web_order_shows_in_the_pickup_queue_and_streams_events(
    seeded_sqlite: Seeded, tmp_path: Path
) -> None:
    seeded = seeded_sqlite
    with running_core(seeded.url, tmp_path, secret=SECRET) as base:
        till = CommerceClient(base, seeded.tokens["MI01"]["pos"])
        sign_in(till)
        start = max([e.seq for e in till.call(Api.events(limit=1000))] or [0])
        sku = next(
            p.sku for p in till.call(Api.products(limit=100)).items
            if till.call(Api.availability(p.sku)).here.available >= 2  # type: ignore[union-attr]
        )
        received = []
        done = threading.Event()

        def follow() -> None:
            with CommerceClient(base, seeded.tokens["MI01"]["pos"]) as follower:
                for event in follow_events(follower, store="MI01", types="order.",
                                           after=start, max_reconnects=3):
                    received.append(event)
                    if event.type == "order.ready_for_pickup":
                        break
            done.set()

        thread = threading.Thread(target=follow, daemon=True)
        thread.start()
        result = subprocess.run(
            [sys.executable, "-m", "cli.main", "web-order", "--customer",
             "giulia.test@example.it", "--pickup-at", "MI01", f"{sku}:2"],
            env=os.environ | {"OMNITILL_CORE_URL": base,
                              "OMNITILL_DEVICE_TOKEN": seeded.tokens["WEB"]["web"]},
            capture_output=True, text=True, timeout=60, check=True,
        )
        number = result.stdout.split()[0]
        assert number.startswith("W-") and "paid" in result.stdout
        queue = till.call(Api.pickups("MI01"))
        assert [p.number for p in queue if p.number == number] == [number]
        till.call(Api.transition(number, Transition(to="picking")))
        till.call(Api.transition(number, Transition(to="ready_for_pickup")))
        assert done.wait(20), [e.type for e in received]
        types = [e.type for e in received if e.subject == number]
        assert types == ["order.created", "order.pending_payment", "order.paid",
                         "order.picking", "order.ready_for_pickup"]
        seqs = [e.seq for e in received]
        assert seqs == sorted(seqs)

        # Resume from the middle: only what came after, in the same order.
        middle = received[len(received) // 2]
        resumed = []
        with CommerceClient(base, seeded.tokens["MI01"]["pos"]) as again:
            for event in follow_events(again, store="MI01", types="order.", after=middle.seq,
                                       max_reconnects=0):
                resumed.append(event)
                if event.seq == received[-1].seq:
                    break
        till.close()
        assert [e.seq for e in resumed] == [e.seq for e in received if e.seq > middle.seq]
