"""Issue 11, revocation from the command line: a revoked device token, a
deactivated cashier, a new PIN and an unlock take effect on the next request."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app as cli
from core.app import create_app
from tests.support import Seeded, make_settings


@pytest.fixture
def env(seeded_sqlite: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    monkeypatch.setenv("OMNITILL_DATABASE_URL", seeded_sqlite.url)
    monkeypatch.setenv("OMNITILL_VAR_DIR", str(tmp_path))
    return seeded_sqlite


def _run(*args: str, **kwargs: str) -> str:
    result = CliRunner().invoke(cli, list(args), **kwargs)
    assert result.exit_code == 0, result.output
    return result.output


def _id_of(listing: str, *words: str) -> str:
    line = next(x for x in listing.splitlines() if all(w in x for w in words))
    return line.split()[0]


def test_revoke_deactivate_set_pin_and_unlock(env: Seeded, tmp_path: Path) -> None:
    kiosk, till = env.tokens["MI01"]["kiosk"], env.tokens["MI01"]["pos"]
    with TestClient(create_app(make_settings(env.url, tmp_path))) as http:
        def auth(token: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {token}"}

        assert http.get("/v1/stores", headers=auth(kiosk)).status_code == 200
        devices = _run("device", "list")
        _run("device", "revoke", _id_of(devices, "kiosk", "MI01"))
        assert http.get("/v1/stores", headers=auth(kiosk)).status_code == 401
        assert "revoked" in _run("device", "list")

        staff = http.post("/v1/auth/staff", json={"pin": "1111"}, headers=auth(till)).json()
        as_cashier = auth(till) | {"X-Staff-Token": staff["token"]}
        assert http.get("/v1/auth/whoami", headers=as_cashier).json()["staff"]
        cashier = _id_of(_run("staff", "list"), "Marco Bianchi")
        _run("staff", "deactivate", cashier)
        assert http.get("/v1/till", headers=as_cashier).status_code == 401
        assert http.post("/v1/auth/staff", json={"pin": "1111"},
                         headers=auth(till)).status_code == 401

        supervisor = _id_of(_run("staff", "list"), "Giulia Verdi")
        _run("staff", "set-pin", supervisor, "--pin", "2468")
        assert http.post("/v1/auth/staff", json={"pin": "2468"},
                         headers=auth(till)).status_code == 200
        for _ in range(6):
            http.post("/v1/auth/staff", json={"pin": "0000"}, headers=auth(till))
        assert http.post("/v1/auth/staff", json={"pin": "2468"},
                         headers=auth(till)).status_code == 429
        assert "pin" in _run("device", "unlock", _id_of(_run("device", "list"), "pos", "MI01"))
        assert http.post("/v1/auth/staff", json={"pin": "2468"},
                         headers=auth(till)).status_code == 200
        kinds = {e["type"] for e in http.get("/v1/events/recent", params={"limit": 1000},
                                              headers=auth(till)).json()}
        assert {"device.revoked", "device.unlocked"} <= kinds


def test_set_pin_refuses_a_pin_in_use_at_the_store(env: Seeded) -> None:
    supervisor = _id_of(_run("staff", "list"), "Giulia Verdi")
    result = CliRunner().invoke(cli, ["staff", "set-pin", supervisor, "--pin", "1111"])
    assert result.exit_code == 1 and "already used" in result.output
