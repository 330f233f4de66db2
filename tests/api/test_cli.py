"""The ``omnitill`` command: devices, staff, migrations."""

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


def test_device_add_prints_a_token_that_works(env: Seeded, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["device", "add", "--kind", "kiosk", "--store", "MI01",
                                      "--name", "MI01 kiosk 2"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    with TestClient(create_app(make_settings(env.url, tmp_path))) as http:
        ok = http.get("/v1/stores", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        wrong = http.get("/v1/stores", headers={"Authorization": f"Bearer {token}x"})
        assert wrong.status_code == 401
        assert "not registered" in wrong.json()["detail"]


def test_device_add_for_an_unknown_store_says_so(env: Seeded) -> None:
    result = CliRunner().invoke(cli, ["device", "add", "--kind", "pos", "--store", "XX99",
                                      "--name", "ghost"])
    assert result.exit_code == 1
    assert "no store 'XX99'" in result.output


def test_staff_add_refuses_a_pin_already_used_in_the_store(env: Seeded) -> None:
    runner = CliRunner()
    taken = runner.invoke(cli, ["staff", "add", "--name", "Nuova", "--role", "cashier",
                                "--pin", "1111", "--store", "MI01"])
    assert taken.exit_code == 1 and "already used" in taken.output
    added = runner.invoke(cli, ["staff", "add", "--name", "Nuova", "--role", "cashier",
                                "--pin", "7777", "--store", "MI01"])
    assert added.exit_code == 0 and "added Nuova" in added.output


def test_db_upgrade_is_idempotent(env: Seeded) -> None:
    result = CliRunner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output


@pytest.mark.slow
def test_the_readmes_web_order_works_on_a_fresh_demo(seeded_sqlite: Seeded, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's web-order line, as a new user copies it, against a fresh demo."""
    import shlex

    from shared.client import Api, CommerceClient
    from tests.e2e.server import running_core
    from tests.support import SECRET

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    line = next(x for x in readme.splitlines() if "omnitill web-order" in x)
    args = shlex.split(line)[1:]
    with running_core(seeded_sqlite.url, tmp_path, secret=SECRET) as base:
        monkeypatch.setenv("OMNITILL_CORE_URL", base)
        monkeypatch.setenv("OMNITILL_DEVICE_TOKEN", seeded_sqlite.tokens["WEB"]["web"])
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "pickup code: OT1:O:" in result.output
        number = result.output.split()[0]
        with CommerceClient(base, seeded_sqlite.tokens["MI01"]["pos"]) as till:
            till.staff_token = till.call(Api.staff_sign_in("1111")).token
            order = till.call(Api.order(number))
        # A customer the demo knows, with the name the pickup counter checks.
        assert order.customer_id is not None and order.customer_name == "Giulia Rossi"
