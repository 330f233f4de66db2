"""Fuzz every endpoint of a live core from its own OpenAPI document, as a kiosk
and as a till with a cashier signed in, with valid and invalid input and
schemathesis' response checks: nothing reaches a 500, every status, content
type and header served is one the document declares, every body matches its
declared schema, and input the schema forbids is refused (a 4xx).
(``positive_data_acceptance`` is left out: a schema-valid code that names
nothing, ``{"code": "0"}`` to ``/v1/scan``, is rightly a 422.)

A live core (uvicorn on a free port, ``tests/e2e/server.py``) and not the ASGI
app in process: the bytes go through the HTTP server the product runs on, its
header handling and its error pages (a 405's ``Allow``, a malformed request
line), which an in-process ASGI call skips."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.server import running_core
from tests.support import SECRET, Seeded

pytestmark = pytest.mark.slow  # a real server; about a minute for both tokens

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance, negative_data_rejection]
EXAMPLES = 4
"""Per operation and token: the whole run stays near a minute."""


@pytest.fixture(scope="module")
def live_core(sqlite_template: Seeded, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[str, dict[str, dict[str, str]]]]:
    folder = tmp_path_factory.mktemp("fuzz")
    target = folder / "omnitill.db"
    shutil.copyfile(Path(sqlite_template.url.removeprefix("sqlite:///")), target)
    with running_core(f"sqlite:///{target}", folder, secret=SECRET) as base:
        kiosk = {"Authorization": f"Bearer {sqlite_template.tokens['MI01']['kiosk']}"}
        till = {"Authorization": f"Bearer {sqlite_template.tokens['MI01']['pos']}"}
        staff = httpx.post(f"{base}/v1/auth/staff", json={"pin": "1111"}, headers=till)
        staff.raise_for_status()
        till |= {"X-Staff-Token": staff.json()["token"]}
        httpx.post(f"{base}/v1/till/open", json={"float_cents": 10_000}, headers=till)
        yield base, {"kiosk": kiosk, "till": till}


@pytest.fixture(scope="module")
def api_schema(live_core: tuple[str, dict[str, dict[str, str]]]):  # type: ignore[no-untyped-def]
    base, _ = live_core
    loaded = schemathesis.openapi.from_url(f"{base}/openapi.json")
    # The coverage phase tries every boundary of every field: hundreds of calls per
    # operation. Random fuzzing within EXAMPLES keeps the run bounded.
    loaded.config.phases.coverage.enabled = False
    loaded.config.generation.update(modes=list(GenerationMode))
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


@schema.exclude(path="/v1/events").parametrize()
@FUZZ
def test_a_kiosk_gets_only_declared_answers(
    case: schemathesis.Case, live_core: tuple[str, dict[str, dict[str, str]]]
) -> None:
    case.call_and_validate(headers=live_core[1]["kiosk"], checks=CHECKS)


@schema.exclude(path="/v1/events").parametrize()
@FUZZ
def test_a_till_with_a_cashier_gets_only_declared_answers(
    case: schemathesis.Case, live_core: tuple[str, dict[str, dict[str, str]]]
) -> None:
    case.call_and_validate(headers=live_core[1]["till"], checks=CHECKS)
