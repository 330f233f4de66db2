"""Issue 11, secrets at rest: the SQLite file (PIN hashes, token hashes, PII) and
its -wal/-shm are readable by their owner only; the generated secret is never
on disk with a wider mode, not even for a moment; ``serve`` keeps the secret
out of its workers' environment; database errors never show SQL parameters
(customer PII) in a log."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from cli.main import app as cli
from core.db import Database
from core.migrate import upgrade
from core.problems import install_problem_handlers
from core.settings import CoreSettings
from tests.support import Seeded

PII = "giulia.secret.pii@example.it"
INSERT = text("INSERT INTO customers (first_name, last_name, email, phone, city, "
              "consent_marketing, consent_email_receipts, created_at) VALUES ('Giulia', "
              "'Rossi', :email, :phone, '', false, false, CURRENT_TIMESTAMP)")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def wide_umask() -> Iterator[None]:
    """A typical umask (022) that would leave a new file world-readable."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_a_new_sqlite_database_and_its_wal_and_shm_are_owner_only(
    tmp_path: Path, wide_umask: None
) -> None:
    settings = CoreSettings(var_dir=tmp_path, secret="s" * 40)
    upgrade(settings.resolved_database_url)
    db = Database(settings.resolved_database_url)
    try:
        with db.write() as session:
            session.execute(text("CREATE TABLE scratch (note TEXT)"))
            session.execute(text("INSERT INTO scratch (note) VALUES (:note)"), {"note": PII})
        files = [tmp_path / name for name in ("omnitill.db", "omnitill.db-wal", "omnitill.db-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        db.dispose()


def test_an_existing_world_readable_database_is_closed_on_open(
    seeded_sqlite: Seeded, wide_umask: None
) -> None:
    path = Path(seeded_sqlite.url.removeprefix("sqlite:///"))
    path.chmod(0o644)
    db = Database(seeded_sqlite.url)
    try:
        with db.read() as session:
            session.execute(text("SELECT 1"))
        assert _mode(path) == 0o600
        assert all(_mode(p) == 0o600 for p in path.parent.glob(path.name + "-*"))
    finally:
        db.dispose()


def test_the_generated_secret_is_created_owner_only_without_a_chmod(
    tmp_path: Path, wide_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written then chmodded, the file was readable by anyone between the two."""
    monkeypatch.setattr(Path, "chmod", lambda *a, **k: None)
    monkeypatch.setattr(os, "chmod", lambda *a, **k: None)
    secret = CoreSettings(var_dir=tmp_path).resolved_secret
    path = tmp_path / "secret"
    assert _mode(path) == 0o600
    assert len(secret) >= 32 and path.read_bytes().strip() == secret
    assert CoreSettings(var_dir=tmp_path).resolved_secret == secret


@pytest.mark.parametrize("given", ["from-the-environment-" + "x" * 30, ""],
                         ids=["given", "generated"])
def test_serve_keeps_the_secret_out_of_the_workers_environment(
    given: str, tmp_path: Path, wide_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def fake_run(*args: Any, **kwargs: Any) -> None:
        seen["env"] = dict(os.environ)
        seen["settings"] = CoreSettings()

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setattr("core.migrate.upgrade", lambda url: None)
    monkeypatch.setenv("OMNITILL_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("OMNITILL_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    # serve writes the workers' settings into this process's environment: noted
    # here so that they are taken out again after the test, not left to the next.
    monkeypatch.setenv("OMNITILL_SECRET_FILE", "")  # recorded, so undone after the test
    monkeypatch.delenv("OMNITILL_SECRET_FILE")
    if given:
        monkeypatch.setenv("OMNITILL_SECRET", given)
    else:
        monkeypatch.delenv("OMNITILL_SECRET", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])
    assert result.exit_code == 0, result.output
    env = seen["env"]
    assert "OMNITILL_SECRET" not in env
    secret = seen["settings"].resolved_secret
    assert secret.decode() not in "\n".join(env.values())
    if given:
        assert secret == given.encode()
    secret_file = Path(env["OMNITILL_SECRET_FILE"])
    assert _mode(secret_file) == 0o600 and secret_file.read_bytes().strip() == secret


def test_database_errors_never_carry_sql_parameters(seeded: Seeded) -> None:
    db = Database(seeded.url)
    try:
        with db.write() as session:
            taken = session.execute(text("SELECT email FROM customers WHERE email IS NOT NULL "
                                         "LIMIT 1")).scalar_one()
        with pytest.raises(IntegrityError) as caught, db.write() as session:
            session.execute(INSERT, {"email": taken, "phone": "+39 333 PII 0000"})
        assert "+39 333 PII 0000" not in str(caught.value)
    finally:
        db.dispose()


def test_a_logged_constraint_error_names_no_customer_data(
    seeded: Seeded, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL's own message repeats the duplicate key's value (``DETAIL: Key
    (email)=(...)``): the log names the constraint, never the row."""
    db = Database(seeded.url)
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/duplicate")
    def duplicate() -> None:
        with db.write() as session:
            taken = session.execute(text("SELECT email FROM customers WHERE email IS NOT NULL "
                                         "LIMIT 1")).scalar_one()
            session.execute(INSERT, {"email": taken, "phone": "+39 333 PII 0001"})

    try:
        with db.read() as session:
            taken = session.execute(text("SELECT email FROM customers WHERE email IS NOT NULL "
                                         "LIMIT 1")).scalar_one()
        with caplog.at_level(logging.WARNING, logger="omnitill.core"), \
                TestClient(app, raise_server_exceptions=False) as http:
            answer = http.post("/duplicate")
        assert answer.status_code == 409
        assert caplog.records, "the conflict is logged"
        assert taken not in caplog.text
    finally:
        db.dispose()
