"""Webhooks against a real receiver on a free port: signed deliveries that verify
with the README's snippet, retries with backoff, failure after the last attempt,
replays, the delivery log, removal; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from core.app import create_app
from tests.api.helpers import set_stock
from tests.support import Seeded
from tests.webhooks.conftest import manager_headers, quick_settings
from tests.webhooks.receiver import receiving, verified, wait_until

SKU = "HO-MOK-05"


def subscribe(http: TestClient, headers: dict[str, str], url: str, *events: str
              ) -> dict[str, Any]:
    made = http.post("/v1/webhooks", json={"url": url, "events": list(events),
                                           "description": "test CRM"}, headers=headers)
    assert made.status_code == 201, made.text
    hook: dict[str, Any] = made.json()
    return hook


def adjust(http: TestClient, headers: dict[str, str], reason: str, qty: int,
           sku: str = SKU) -> dict[str, Any]:
    done = http.post("/v1/stock/adjustments", headers=headers,
                     json={"location": "MI01", "sku": sku, "reason": reason, "qty": qty})
    assert done.status_code == 200, done.text
    level: dict[str, Any] = done.json()
    return level


def log(http: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    got = http.get("/v1/webhooks/deliveries", params=params, headers=headers)
    assert got.status_code == 200, got.text
    found: list[dict[str, Any]] = got.json()
    return found


def test_a_delivery_is_signed_and_verifies_with_the_readme_snippet(
        core: TestClient, manager: dict[str, str]) -> None:
    with receiving() as receiver:
        hook = subscribe(core, manager, receiver.url, "stock.*")
        assert hook["secret"].startswith("whsec_")
        listed = core.get("/v1/webhooks", headers=manager).json()
        assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]
        adjust(core, manager, "receipt", 2)
        wait_until(lambda: len(receiver.posts) >= 1, "the delivery")
        post = receiver.posts[0]
        assert verified(hook["secret"], post.body, post.headers["Omnitill-Signature"])
        assert not verified(hook["secret"], post.body + b" ", post.headers["Omnitill-Signature"])
        assert not verified("whsec_other", post.body, post.headers["Omnitill-Signature"])
        event = post.event
        assert event["type"] == "stock.changed" and event["id"] == f"evt_{event['seq']}"
        assert event["data"]["sku"] == SKU and event["store"] == "MI01"
        assert post.headers["Omnitill-Event-Id"] == event["id"]
        assert event["created_at"].endswith("Z")


def test_a_receiver_that_fails_twice_gets_the_event_on_the_third_try(
        core: TestClient, manager: dict[str, str]) -> None:
    with receiving(answer=lambda n: 500 if n <= 2 else 200) as receiver:
        hook = subscribe(core, manager, receiver.url, "stock.changed")
        adjust(core, manager, "receipt", 1)
        wait_until(lambda: any(d["status"] == "delivered" for d in log(core, manager)),
                   "the third attempt")
        [delivery] = log(core, manager, webhook_id=hook["id"])
        assert delivery["attempts"] == 3 and delivery["last_status_code"] == 200
        assert [a["status_code"] for a in delivery["log"]] == [500, 500, 200]
        assert delivery["log"][0]["error"] == "the receiver answered 500"
        assert all(a["duration_ms"] >= 0 for a in delivery["log"])
        # the same event each time: one id for the receiver to de-duplicate by
        assert set(receiver.ids()) == {delivery["event_id"]} and len(receiver.posts) == 3


def test_attempts_run_out_then_a_replay_delivers(core: TestClient,
                                                 manager: dict[str, str]) -> None:
    broken = {"on": True}
    with receiving(answer=lambda n: 503 if broken["on"] else 200) as receiver:
        hook = subscribe(core, manager, receiver.url, "*")
        adjust(core, manager, "receipt", 1)
        wait_until(lambda: [d["status"] for d in log(core, manager)] == ["failed"],
                   "the delivery to give up")
        [failed] = log(core, manager)
        assert failed["attempts"] == 3 and failed["next_attempt_at"] is None
        broken["on"] = False
        again = core.post(f"/v1/webhooks/deliveries/{failed['id']}/replay", headers=manager)
        assert again.status_code == 202 and again.json()["replay_of"] == failed["id"]
        wait_until(lambda: log(core, manager, status="delivered") != [], "the replay")
        # an event of the log, sent again by its number: the same id
        replayed = core.post(f"/v1/webhooks/{hook['id']}/replay", headers=manager,
                             json={"seq": failed["event_seq"]})
        assert replayed.status_code == 202
        wait_until(lambda: len(log(core, manager, status="delivered")) == 2, "the replay")
        assert set(receiver.ids()) == {failed["event_id"]}


def test_a_removed_webhook_gets_nothing_more(core: TestClient, manager: dict[str, str]) -> None:
    with receiving() as receiver:
        hook = subscribe(core, manager, receiver.url, "stock.changed")
        adjust(core, manager, "receipt", 1)
        wait_until(lambda: len(receiver.posts) == 1, "the first delivery")
        gone = core.delete(f"/v1/webhooks/{hook['id']}", headers=manager)
        assert gone.status_code == 200
        assert core.get("/v1/webhooks", headers=manager).json() == []
        assert core.delete(f"/v1/webhooks/{hook['id']}", headers=manager).status_code == 404
        adjust(core, manager, "receipt", 1)
        # a second webhook, added after the removal, proves the dispatcher has run since
        with receiving() as other:
            subscribe(core, manager, other.url, "stock.changed")
            adjust(core, manager, "receipt", 1)
            wait_until(lambda: len(other.posts) == 1, "the other webhook's delivery")
        assert len(receiver.posts) == 1


def test_only_the_types_asked_for_arrive(core: TestClient, manager: dict[str, str],
                                         seeded: Seeded) -> None:
    set_stock(seeded.url, "MI01", SKU, 10)
    with receiving() as orders, receiving() as low:
        subscribe(core, manager, orders.url, "order.*", "return.*")
        subscribe(core, manager, low.url, "stock.low")
        adjust(core, manager, "damage", 8)  # 10 -> 2: low
        adjust(core, manager, "receipt", 1)
        wait_until(lambda: len(low.posts) == 1, "stock.low")
        assert low.events_of("stock.low")[0]["data"] | {"sku": SKU} == {
            "sku": SKU, "location": "MI01", "available": 2, "on_hand": 2, "reserved": 0,
            "threshold": 3}
        assert orders.posts == []


def test_a_bad_subscription_is_refused_in_words(core: TestClient,
                                                manager: dict[str, str]) -> None:
    wrong = core.post("/v1/webhooks", headers=manager,
                      json={"url": "https://crm.example.com/x", "events": ["order.**"]})
    assert wrong.status_code == 422 and "order.*" in wrong.json()["detail"]
    bad_url = core.post("/v1/webhooks", headers=manager,
                        json={"url": "crm.example.com", "events": ["*"]})
    assert bad_url.status_code == 422 and "https://" in bad_url.json()["detail"]




def test_with_dispatch_off_events_wait_in_the_log(seeded: Seeded, tmp_path: Path) -> None:
    with receiving() as receiver:
        off = create_app(quick_settings(seeded.url, tmp_path, webhook_dispatch=False))
        assert off.state.webhooks is None
        with TestClient(off) as http:
            manager = manager_headers(http, seeded.tokens)
            subscribe(http, manager, receiver.url, "stock.changed")
            adjust(http, manager, "receipt", 1)
            adjust(http, manager, "receipt", 1)
            assert log(http, manager) == []
        assert receiver.posts == []
        with TestClient(create_app(quick_settings(seeded.url, tmp_path))) as http:
            wait_until(lambda: len(receiver.posts) == 2, "the events that waited")
        assert len(set(receiver.ids(200))) == 2


def test_without_subscriptions_sales_do_not_wake_the_dispatcher(seeded: Seeded,
                                                                tmp_path: Path) -> None:
    """A chain that uses no webhooks pays nothing for them per order: a commit used
    to wake the dispatcher for a read of the subscriptions every time."""
    app = create_app(quick_settings(seeded.url, tmp_path, webhook_poll_seconds=60.0))
    with TestClient(app) as http:
        dispatcher = app.state.webhooks
        wait_until(lambda: dispatcher.rounds >= 1 and dispatcher.idle, "the first look")
        before = dispatcher.rounds
        manager = manager_headers(http, seeded.tokens)
        for _ in range(10):
            adjust(http, manager, "receipt", 1)
        assert dispatcher.rounds == before
