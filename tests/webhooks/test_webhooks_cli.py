"""``omnitill webhooks add|list|remove|replay|log`` on the database, with the core's
dispatcher delivering what the command line set up."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app as cli
from core.app import create_app
from tests.support import SECRET, Seeded
from tests.webhooks.conftest import manager_headers, quick_settings
from tests.webhooks.receiver import receiving, verified, wait_until


@pytest.fixture
def env(seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    monkeypatch.setenv("OMNITILL_DATABASE_URL", seeded.url)
    monkeypatch.setenv("OMNITILL_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("OMNITILL_SECRET", SECRET)
    return seeded


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["webhooks", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_add_list_replay_log_remove(env: Seeded, tmp_path: Path) -> None:
    assert "no webhooks" in run("list")
    with receiving() as receiver:
        added = run("add", "--url", receiver.url, "--event", "stock.*", "--event",
                    "order.created", "--description", "ERP")
        assert "added webhook 1" in added
        secret = added.strip().splitlines()[-1]
        assert secret.startswith("whsec_")
        listed = run("list")
        assert receiver.url in listed and "[order.created,stock.*]" in listed
        assert secret not in listed
        with TestClient(create_app(quick_settings(env.url, tmp_path))) as http:
            manager = manager_headers(http, env.tokens)
            http.post("/v1/stock/adjustments", headers=manager, json={
                "location": "MI01", "sku": "HO-MOK-05", "reason": "receipt", "qty": 1})
            wait_until(lambda: len(receiver.posts) == 1, "the delivery")
            first = receiver.posts[0]
            assert verified(secret, first.body, first.headers["Omnitill-Signature"])
            log = run("log")
            assert f"{first.event['id']} stock.changed  delivered  1 attempt(s)" in log
            assert "#1 " in log and " 200 " in log
            replayed = run("replay", "--delivery", log.split()[0])
            assert f"{first.event['id']} to webhook 1, queued" in replayed
            wait_until(lambda: len(receiver.posts) == 2, "the replay")
            assert receiver.posts[1].event == first.event
            again = run("replay", "1", "--event", str(first.event["seq"]))
            assert "queued" in again
            wait_until(lambda: len(receiver.posts) == 3, "the replay by event")
            assert "replay of" in run("log", "--webhook", "1", "--status", "delivered")
        assert "removed webhook 1" in run("remove", "1")
        assert "no webhooks" in run("list")


def test_refusals_say_why(env: Seeded) -> None:
    runner = CliRunner()
    wrong = runner.invoke(cli, ["webhooks", "add", "--url", "crm.example.com", "--event", "*"])
    assert wrong.exit_code == 1 and "https://" in wrong.output
    missing = runner.invoke(cli, ["webhooks", "remove", "9"])
    assert missing.exit_code == 1 and "no webhook 9" in missing.output
    neither = runner.invoke(cli, ["webhooks", "replay", "1"])
    assert neither.exit_code == 1 and "--event SEQ or --delivery" in neither.output
