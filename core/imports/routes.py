"""``POST /v1/imports/{kind}``: an ERP file (CSV or JSON) into the catalog, the prices,
the stock or the customers; a manager or an admin signed in on a till."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from core.deps import DbDep, StaffDep
from core.imports import service
from core.imports.reading import RowsRefused
from core.problems import problem_response
from shared.schemas.imports import ImportKind, ImportResult

router = APIRouter(prefix="/v1/imports", tags=["imports"])

_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
}}}


@router.post("/{kind}", response_model=ImportResult, openapi_extra=_BODY,
             summary="Import catalog, prices, stock or customers from a CSV or JSON file, "
             "all rows or none (manager, admin)")
async def import_file(
    kind: ImportKind, request: Request, db: DbDep, caller: StaffDep,
    dry_run: Annotated[bool, Query(description=(
        "Check every row and answer what would change, writing nothing."))] = False,
    store: Annotated[str | None, Query(max_length=8, description=(
        "Stock: the location of rows without one (and the only one allowed); customers: "
        "the home store of rows without one."))] = None,
) -> Any:
    """The body is the file itself (``Content-Type: text/csv`` or ``application/json``).
    Rows that cannot be imported answer ``422`` with ``errors``: one entry per problem
    with its ``row``, ``column`` and ``msg``; nothing is written then."""
    service.check_importer(caller)
    data = await request.body()
    declared = request.headers.get("content-type")

    def run() -> ImportResult:
        with db.read() if dry_run else db.write() as session:
            return service.run_import(session, kind=kind, data=data, declared=declared,
                                      dry_run=dry_run, store=store, caller=caller)

    try:
        return await run_in_threadpool(run)
    except RowsRefused as exc:
        errors = [e.model_dump() | {"loc": [f"row {e.row}", e.column]} for e in exc.errors]
        return problem_response(exc.status, exc.title, exc.detail, exc.code, request,
                                errors=errors, context={"problems": exc.total})

