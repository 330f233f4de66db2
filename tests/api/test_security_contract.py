"""Issue 11, the contract: the OpenAPI document declares the problem responses
the core serves, with one ``Problem`` schema, and readiness fails when writes do."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from core.app import create_app
from tests.support import Seeded, make_settings


def test_every_operation_declares_its_problems(app) -> None:  # type: ignore[no-untyped-def]
    document = app.openapi()
    assert "Problem" in document["components"]["schemas"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "404", "409", "422", "429", "503"):
                declared = operation["responses"].get(status)
                assert declared, (method, path, status)
                schema = declared["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}


def test_a_served_problem_matches_the_schema(http, tokens) -> None:  # type: ignore[no-untyped-def]
    from core.problems import Problem

    answer = http.get("/v1/customers/0", headers={"Authorization": "Bearer nope"})
    assert answer.status_code == 401
    Problem.model_validate(answer.json())
    invalid = http.post("/v1/scan", json={"code": 5},
                        headers={"Authorization": f"Bearer {tokens['MI01']['kiosk']}"})
    assert invalid.status_code == 422 and Problem.model_validate(invalid.json()).errors


def test_readiness_says_ok_while_writes_work(http) -> None:  # type: ignore[no-untyped-def]
    answer = http.get("/v1/health/ready")
    assert answer.status_code == 200 and answer.json()["database"] == "ok"


def test_readiness_fails_when_the_database_refuses_writes(  # type: ignore[no-untyped-def]
    seeded_sqlite: Seeded, tmp_path: Path
) -> None:
    """The same file opened read-only (as a full disk or a read-only mount would
    leave it): reads work, so liveness says up; readiness says 503."""
    path = seeded_sqlite.url.removeprefix("sqlite:///")
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    with TestClient(create_app(make_settings(read_only, tmp_path)),
                    raise_server_exceptions=False) as http:
        assert http.get("/v1/health").status_code == 200
        answer = http.get("/v1/health/ready")
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"] == "not_ready"
