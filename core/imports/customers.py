"""Customer import: the CRM's or ERP's customers, found again by what identifies them.

A row names its customer by ``id`` when it has one (a file exported from here),
otherwise by email, then loyalty card number, then phone: the first of those
the row gives decides. A row that gives none of them could never be found
again, so it is refused. An email, card or phone already belonging to another
customer is refused for that row rather than moved silently. A customer erased
at their request (GDPR) stays erased: a row naming their id is refused.

Points are not imported: the balance is the loyalty ledger's sum and moves
only by earning, redeeming and adjusting. ``language`` and ``no_mail`` are what
the customer said about their mail, checked as the till's ``PATCH`` checks them;
a file without those columns leaves what they said (at a till) as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from core.customers.cards import card_number
from core.customers.models import ERASED_FIRST_NAME, ERASED_LAST_NAME, Customer
from core.imports import cells
from core.imports.plan import CHUNK, Plan, Progress, among, chunks
from core.imports.reading import Columns, SourceRow
from core.stores.models import Location
from shared.schemas.imports import ImportKind
from shared.schemas.returns import mail_language

TABLE = cast(Table, Customer.__table__)
IDENTIFIERS = ("email", "loyalty_card", "phone")
"""What finds a customer without an id, in the order tried; each is unique."""
FIELDS = ("first_name", "last_name", "email", "phone", "loyalty_card", "city", "home_store",
          "consent_marketing", "consent_email_receipts", "language", "no_mail")
DEFAULTS: dict[str, Any] = {"email": None, "phone": None, "loyalty_card": None, "city": "",
                            "home_store": None, "consent_marketing": False,
                            "consent_email_receipts": False, "language": None,
                            "no_mail": False}


def columns(store: str | None) -> Columns:
    return Columns(required=("first_name", "last_name"), optional=("id", *FIELDS[2:]),
                   defaults={"home_store": store} if store else {})


def _card(value: Any) -> str | None:
    found = cells.optional_text(value, longest=20)
    if found is not None and card_number(found) is None:
        raise cells.CellError(f"{found} is not a loyalty card number (13 digits starting "
                              "29, the last one a check digit).")
    return found


def _phone(value: Any) -> str | None:
    found = cells.optional_text(value, longest=32)
    if found is not None and sum(c.isdigit() for c in found) < 6:
        raise cells.CellError(f"{found!r} is not a phone number.")
    return found


def _language(value: Any) -> str | None:
    """The language of their mails, as the till records it (an empty cell: the
    chain's default)."""
    found = cells.optional_text(value, longest=20)
    try:
        return None if found is None else mail_language(found)
    except ValueError as exc:
        raise cells.CellError(str(exc)) from None


CONVERT: dict[str, Callable[[Any], Any]] = {
    "id": lambda v: None if cells.is_blank(v) else cells.integer(v, low=1, high=2**63 - 1),
    "first_name": lambda v: cells.text(v, longest=60, required=True),
    "last_name": lambda v: cells.text(v, longest=60, required=True),
    "email": cells.email,
    "phone": _phone,
    "loyalty_card": _card,
    "city": lambda v: cells.text(v, longest=80),
    "home_store": lambda v: cells.optional_text(v, longest=8),
    "consent_marketing": lambda v: cells.boolean(v, default=False),
    "consent_email_receipts": lambda v: cells.boolean(v, default=False),
    "language": _language,
    "no_mail": lambda v: cells.boolean(v, default=False),
}


def _existing(session: Session, column: str, values: list[Any]) -> dict[Any, dict[str, Any]]:
    found: dict[Any, dict[str, Any]] = {}
    for part in chunks(sorted(set(values))):
        query = select(TABLE.c.id, *[TABLE.c[f] for f in FIELDS]).where(
            among(session, TABLE.c[column], part))
        found.update({row._mapping[column]: dict(row._mapping)
                      for row in session.execute(query)})
    return found


def plan_customers(session: Session, rows: list[SourceRow], *, store: str | None,
                   progress: Progress) -> Plan:
    plan = Plan(ImportKind.CUSTOMERS, len(rows))
    stores = set(session.scalars(select(Location.code)))
    converted: list[tuple[SourceRow, dict[str, Any]]] = []
    for done, row in enumerate(rows, start=1):
        values: dict[str, Any] = {}
        for column, raw in row.cells.items():
            try:
                values[column] = CONVERT[column](raw)
            except cells.CellError as exc:
                plan.error(row.number, column, str(exc))
        if len(values) != len(row.cells):
            continue
        if values.get("home_store") is not None:
            values["home_store"] = values["home_store"].upper()
            if values["home_store"] not in stores:
                plan.error(row.number, "home_store",
                           f"There is no store {values['home_store']!r}.")
                continue
        if values.get("id") is None and not any(values.get(k) for k in IDENTIFIERS):
            plan.error(row.number, "", "A customer needs an id, an email, a loyalty card or a "
                                       "phone number, to be found again by the next import.")
            continue
        converted.append((row, values))
        if done % CHUNK == 0:
            progress("checking", done, len(rows))
    known = {"id": _existing(session, "id", [v["id"] for _, v in converted if v.get("id")])}
    for column in IDENTIFIERS:
        known[column] = _existing(session, column,
                                  [v[column] for _, v in converted if v.get(column)])
    progress("checking", len(rows), len(rows))
    matched = _match(plan, converted, known)
    plan.refuse_if_wrong()
    for row, values, before in matched:
        key = values.get("email") or values.get("loyalty_card") or values.get("phone") \
            or f"customer {values.get('id')}"
        values = {k: v for k, v in values.items() if k != "id"}
        if before is None:
            customer = DEFAULTS | values
            plan.create(row.number, key, customer, {k: customer[k] for k in FIELDS})
            continue
        changed = {k: [before[k], v] for k, v in values.items() if before[k] != v}
        if not changed:
            plan.unchanged += 1
            continue
        plan.update(row.number, f"customer {before['id']}",
                    {k: before[k] for k in FIELDS} | values | {"b_id": before["id"]}, changed)
    return plan


def _match(plan: Plan, rows: list[tuple[SourceRow, dict[str, Any]]],
           known: dict[str, dict[Any, dict[str, Any]]]
           ) -> list[tuple[SourceRow, dict[str, Any], dict[str, Any] | None]]:
    """Each row with the customer it names (``None``: a new one); a row whose email,
    card or phone is another customer's, or another row's, is an error."""
    matched: list[tuple[SourceRow, dict[str, Any], dict[str, Any] | None]] = []
    taken: dict[tuple[str, Any], int] = {}
    for row, values in rows:
        before: dict[str, Any] | None = None
        if values.get("id") is not None:
            before = known["id"].get(values["id"])
            if before is None:
                plan.error(row.number, "id", f"There is no customer {values['id']}.")
                continue
            if (before["first_name"], before["last_name"], before["email"]) == (
                    ERASED_FIRST_NAME, ERASED_LAST_NAME, None):
                plan.error(row.number, "id", f"Customer {values['id']} was erased at their "
                                             "request; their data cannot be imported back.")
                continue
        else:
            column = next(k for k in IDENTIFIERS if values.get(k))
            before = known[column].get(values[column])
        ours = before["id"] if before else None
        wrong = False
        for column in ("id", *IDENTIFIERS):
            value = (ours or values.get("id")) if column == "id" else values.get(column)
            if value is None:
                continue
            owner = known[column].get(value) if column != "id" else None
            if owner is not None and owner["id"] != ours:
                plan.error(row.number, column, f"{value} belongs to another customer "
                                               f"(id {owner['id']}).")
                wrong = True
            elif (column, value) in taken:
                plan.error(row.number, column, f"{value} is also on row "
                                               f"{taken[column, value]}; each may appear once.")
                wrong = True
            else:
                taken[column, value] = row.number
        if not wrong:
            matched.append((row, values, before))
    return matched


def apply_customers(session: Session, plan: Plan, progress: Progress) -> None:
    total, done = len(plan.creates) + len(plan.updates), 0
    for part in chunks(plan.creates, CHUNK):
        session.execute(TABLE.insert(), list(part))
        done += len(part)
        progress("writing", done, total)
    statement = update(TABLE).where(TABLE.c.id == bindparam("b_id")).values(
        {name: bindparam(name) for name in FIELDS})
    for part in chunks(plan.updates, CHUNK):
        session.execute(statement, list(part))
        done += len(part)
        progress("writing", done, total)
