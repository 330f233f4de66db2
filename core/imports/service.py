"""Importing an ERP's catalog, prices, stock or customers: one file, one transaction.

The file is read and every row checked first; if any row is wrong, nothing is
written and the answer lists each bad row (its number, its column, what is
wrong). A dry run stops after the checks and says what would change; a real
run writes it all in the caller's transaction, then records one
``import.applied`` entry in the audit trail (who, what kind, how many rows
created, updated and unchanged, from which file).

The HTTP route and ``omnitill import`` both call :func:`run_import`; the route
lets only a manager or an admin signed in on a till do it
(:func:`check_importer`), the command line is an administrator at the server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from core.audit import service as audit
from core.imports import catalog, customers, stock
from core.imports.plan import Plan, Progress, quiet
from core.imports.reading import checked_rows, detect_format, read_rows
from core.problems import Forbidden, InvalidInput
from core.stores.models import Location
from shared.schemas.enums import Role
from shared.schemas.imports import ImportKind, ImportResult

if TYPE_CHECKING:
    from core.caller import Caller

STORE_KINDS = (ImportKind.STOCK, ImportKind.CUSTOMERS)
"""Kinds a store code means something for: the location of stock rows, the home
store of customers."""


def check_importer(caller: Caller) -> None:
    """The person signed in on the till must be a manager or an admin themselves: an
    import changes the whole chain, not one sale a supervisor countersigns."""
    staff = caller.require_staff(Role.MANAGER, "import data from an ERP")
    if not staff.role.at_least(Role.MANAGER):
        raise Forbidden("A manager or an admin must sign in to import data from an ERP.",
                        code="role_required", required_role=Role.MANAGER.value)


def run_import(
    session: Session, *, kind: ImportKind, data: bytes, declared: str | None = None,
    dry_run: bool = False, store: str | None = None, caller: Caller | None = None,
    actor: str = "", source: str = "", progress: Progress = quiet,
) -> ImportResult:
    """``declared``: the content type or file name (else the content says CSV or JSON);
    ``source``: the file's name, for the audit trail. A real run writes inside
    ``session``'s transaction and locks what it reads; raises
    :class:`core.imports.reading.RowsRefused` listing every bad row."""
    store = _store(session, kind, store)
    header, rows = read_rows(data, detect_format(data, declared or source))
    lock = not dry_run
    plan: Plan
    if kind is ImportKind.CATALOG:
        plan = catalog.plan_catalog(session, checked_rows(header, rows, catalog.CATALOG),
                                    lock=lock, progress=progress)
    elif kind is ImportKind.PRICES:
        plan = catalog.plan_prices(session, checked_rows(header, rows, catalog.PRICES),
                                   lock=lock, progress=progress)
    elif kind is ImportKind.STOCK:
        plan = stock.plan_stock(session, checked_rows(header, rows, stock.columns(store)),
                                store=store, lock=lock, progress=progress)
    else:
        plan = customers.plan_customers(
            session, checked_rows(header, rows, customers.columns(store)), store=store,
            progress=progress)
    result = ImportResult(kind=kind, dry_run=dry_run, rows=plan.rows,
                          created=len(plan.creates), updated=len(plan.updates),
                          unchanged=plan.unchanged, changes=plan.changes,
                          more_changes=plan.more_changes)
    if dry_run or not (plan.creates or plan.updates):
        return result
    _apply(session, plan, caller=caller, source=source, progress=progress)
    audit.record(session, "import.applied", caller=caller, actor=actor, store=store,
                 subject=f"{kind.value} import", source=source[:120],
                 rows=result.rows, created=result.created, updated=result.updated,
                 unchanged=result.unchanged)
    return result


def _store(session: Session, kind: ImportKind, store: str | None) -> str | None:
    if store is None:
        return None
    if kind not in STORE_KINDS:
        raise InvalidInput(f"A store means nothing to a {kind.value} import (the catalog and "
                           "its prices are the chain's); it is for stock and customers.",
                           code="store_not_applicable")
    code = store.strip().upper()
    if session.get(Location, code) is None:
        raise InvalidInput(f"There is no store or warehouse {store!r}.", code="unknown_store")
    return code


def _apply(session: Session, plan: Plan, *, caller: Caller | None, source: str,
           progress: Progress) -> None:
    if plan.kind is ImportKind.CATALOG:
        catalog.apply_catalog(session, plan, progress)
    elif plan.kind is ImportKind.PRICES:
        catalog.apply_prices(session, plan, progress)
    elif plan.kind is ImportKind.STOCK:
        staff = caller.staff if caller is not None else None
        stock.apply_stock(session, plan, progress, reference="import", note=source[:200],
                          staff_id=staff.staff_id if staff else None)
    else:
        customers.apply_customers(session, plan, progress)
