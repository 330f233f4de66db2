"""Fuzz every endpoint from the OpenAPI document: whatever comes in, the core
answers with a deliberate status and never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from core.app import create_app
from tests.support import Seeded, make_settings


@pytest.fixture(scope="module")
def fuzz_app(sqlite_template: Seeded, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[FastAPI]:
    folder = tmp_path_factory.mktemp("fuzz")
    target = folder / "omnitill.db"
    target.write_bytes(Path(sqlite_template.url.removeprefix("sqlite:///")).read_bytes())
    app = create_app(make_settings(f"sqlite:///{target}", folder))
    app.state.fuzz_token = sqlite_template.tokens["MI01"]["pos"]
    yield app


@pytest.fixture(scope="module")
def api_schema(fuzz_app: FastAPI):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.exclude(path="/v1/events").parametrize()
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_no_input_makes_the_core_fail(case: schemathesis.Case, fuzz_app: FastAPI) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_app.state.fuzz_token}"},
        checks=[not_a_server_error],
    )
