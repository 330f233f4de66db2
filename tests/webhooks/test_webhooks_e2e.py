"""A real core (uvicorn, free port) and a real receiver: nothing is lost when the
core stops with deliveries pending, and several workers post each event once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from core.db import Database
from core.events.models import Event
from core.events.service import number_pending
from core.stock import service as stock
from core.webhooks.models import WebhookDelivery
from tests.e2e.server import running_core
from tests.support import SECRET, Seeded
from tests.webhooks.receiver import receiving, wait_until

SKU = "HO-MOK-05"
QUICK = {"OMNITILL_WEBHOOK_POLL_SECONDS": "0.1", "OMNITILL_WEBHOOK_BACKOFF_SECONDS": "0.2",
         "OMNITILL_WEBHOOK_BACKOFF_CAP_SECONDS": "0.5", "OMNITILL_WEBHOOK_MAX_ATTEMPTS": "1000"}


def _manager(base: str, seeded: Seeded) -> dict[str, str]:
    device = {"Authorization": f"Bearer {seeded.tokens['MI01']['pos']}"}
    token = httpx.post(f"{base}/v1/auth/staff", json={"pin": "3333"}, headers=device,
                       timeout=30).json()["token"]
    return device | {"X-Staff-Token": token}


def _receipts(base: str, headers: dict[str, str], count: int) -> None:
    for _ in range(count):
        done = httpx.post(f"{base}/v1/stock/adjustments", headers=headers, timeout=30, json={
            "location": "MI01", "sku": SKU, "reason": "receipt", "qty": 1})
        assert done.status_code == 200, done.text


def _stock_events_after(url: str, cursor: int) -> set[str]:
    db = Database(url)
    try:
        number_pending(db.writer_engine)
        with db.read() as session:
            return {f"evt_{seq}" for seq in session.scalars(select(Event.seq).where(
                Event.seq > cursor, Event.type.startswith("stock.")))}
    finally:
        db.dispose()


def _deliveries_per_event(url: str) -> Counter[int]:
    db = Database(url)
    try:
        with db.read() as session:
            return Counter(session.scalars(select(WebhookDelivery.event_seq)))
    finally:
        db.dispose()


@pytest.mark.slow
def test_nothing_is_lost_across_a_restart(seeded: Seeded, tmp_path: Path) -> None:
    down = {"on": True}
    with receiving(answer=lambda n: 503 if down["on"] else 200) as receiver:
        with running_core(seeded.url, tmp_path, secret=SECRET, extra_env=QUICK) as base:
            manager = _manager(base, seeded)
            hook = httpx.post(f"{base}/v1/webhooks", headers=manager, timeout=30, json={
                "url": receiver.url, "events": ["stock.*"]}).json()
            _receipts(base, manager, 5)
            wait_until(lambda: len(set(receiver.ids())) >= 2, "failing attempts")
        # The core is down with deliveries pending; more happens meanwhile (a script,
        # another process of the chain): it waits in the log.
        db = Database(seeded.url)
        try:
            for _ in range(3):
                with db.write() as session:
                    stock.receive(session, location="MI01", sku=SKU, qty=1, reason="receipt")
        finally:
            db.dispose()
        expected = _stock_events_after(seeded.url, hook["cursor"])
        assert len(expected) == 8
        assert set(receiver.ids(200)) == set()
        down["on"] = False
        with running_core(seeded.url, tmp_path, secret=SECRET, extra_env=QUICK):
            wait_until(lambda: set(receiver.ids(200)) >= expected, "every event, delivered",
                       seconds=60)
        assert set(receiver.ids()) == expected
        assert set(Counter(receiver.ids(200)).values()) == {1}
        assert set(_deliveries_per_event(seeded.url).values()) == {1}


@pytest.mark.slow
def test_two_workers_post_each_event_once(seeded: Seeded, tmp_path: Path) -> None:
    with receiving() as receiver:
        with running_core(seeded.url, tmp_path, secret=SECRET, workers=2,
                          extra_env=QUICK) as base:
            manager = _manager(base, seeded)
            hook = httpx.post(f"{base}/v1/webhooks", headers=manager, timeout=30, json={
                "url": receiver.url, "events": ["*"]}).json()
            _receipts(base, manager, 20)
            expected = _stock_events_after(seeded.url, hook["cursor"])
            wait_until(lambda: set(receiver.ids()) >= expected, "every event", seconds=60)
        posts = Counter(receiver.ids())
        assert [i for i, n in posts.items() if n > 1] == []
