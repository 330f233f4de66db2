"""Fixtures: a migrated, seeded database per test, on SQLite always and on
PostgreSQL when ``OMNITILL_TEST_DATABASE_URL`` is set.

Seeding the demo chain takes seconds, so it is done once per session into a
template (a SQLite file, a PostgreSQL template database) and each test gets a
cheap copy. Every PostgreSQL database this session makes is dropped at its end.
"""

from __future__ import annotations

import os
import shutil
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi import FastAPI

from core.app import create_app
from core.db import Database
from core.migrate import upgrade
from core.settings import CoreSettings
from shared.client import CommerceClient
from tests.support import Seeded, make_settings

with warnings.catch_warnings():
    # Starlette's TestClient now prefers the httpx2 fork; our client is built on httpx.
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

PG_URL = os.environ.get("OMNITILL_TEST_DATABASE_URL", "")


def _pg_admin_dsn() -> str:
    return PG_URL.replace("postgresql+psycopg://", "postgresql://")


def _pg_url_for(name: str) -> str:
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{name}"


def _pg_exec(sql: str) -> None:
    with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    folder = tmp_path_factory.mktemp("template")
    url = f"sqlite:///{folder / 'template.db'}"
    from core.seed.demo import seed_demo

    upgrade(url)
    db = Database(url)
    tokens = seed_demo(db, var_dir=folder)
    db.dispose()
    return Seeded(url, tokens)


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    if not PG_URL:
        pytest.skip("OMNITILL_TEST_DATABASE_URL is not set")
    name = f"omnitill_tpl_{uuid.uuid4().hex[:10]}"
    _pg_exec(f'CREATE DATABASE "{name}"')
    url = _pg_url_for(name)
    try:
        from core.seed.demo import seed_demo

        upgrade(url)
        db = Database(url)
        tokens = seed_demo(db, var_dir=tmp_path_factory.mktemp("pg-template"))
        db.dispose()
        yield Seeded(url, tokens)
    finally:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _copy_sqlite(template: Seeded, folder: Path) -> str:
    source = Path(template.url.removeprefix("sqlite:///"))
    target = folder / "omnitill.db"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Seeded]:
    """A fresh copy of the seeded demo database, on each database kind."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        yield Seeded(_copy_sqlite(template, tmp_path), template.tokens)
        return
    template = request.getfixturevalue("pg_template")
    name = f"omnitill_t_{uuid.uuid4().hex[:12]}"
    template_name = template.url.rpartition("/")[2]
    _pg_exec(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    try:
        yield Seeded(_pg_url_for(name), template.tokens)
    finally:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def seeded_sqlite(sqlite_template: Seeded, tmp_path: Path) -> Seeded:
    """SQLite only: for tests about the app, not about the database."""
    return Seeded(_copy_sqlite(sqlite_template, tmp_path), sqlite_template.tokens)


@pytest.fixture
def settings(seeded: Seeded, tmp_path: Path) -> CoreSettings:
    return make_settings(seeded.url, tmp_path)


@pytest.fixture
def app(settings: CoreSettings) -> Iterator[FastAPI]:
    yield create_app(settings)


@pytest.fixture
def http(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def tokens(seeded: Seeded) -> dict[str, dict[str, str]]:
    return seeded.tokens


@pytest.fixture
def as_device(http: TestClient, tokens: dict[str, dict[str, str]]):  # type: ignore[no-untyped-def]
    """``as_device("MI01", "pos")``: a CommerceClient for a seeded device."""
    clients: list[CommerceClient] = []

    def make(store: str, kind: str) -> CommerceClient:
        client = CommerceClient("http://testserver", tokens[store][kind], http=http)
        clients.append(client)
        return client

    return make


def pytest_report_header() -> str:
    return f"omnitill: PostgreSQL tests {'ON' if PG_URL else 'off'}" + (
        f" ({PG_URL.rpartition('@')[2]})" if PG_URL else ""
    )
