"""``omnitill``: one command for the core, the apps and the demo.

The CLI is the one place (besides tests) allowed to import core, kiosk and pos
together; it builds each from settings and hands it what it needs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from cli.imports import app as import_app
from cli.notify import notify as notify_command
from cli.webhooks import app as webhooks_app
from shared.schemas.enums import DeviceKind, Role

if TYPE_CHECKING:
    from pydantic_settings import BaseSettings
    from sqlalchemy.orm import Session

    from core.db import Database
    from core.settings import CoreSettings

S = TypeVar("S", bound="BaseSettings")
R = TypeVar("R")

app = typer.Typer(help="Omnitill: unified commerce for the store floor.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
seed_app = typer.Typer(help="Load data.", no_args_is_help=True)
device_app = typer.Typer(help="Kiosks, tills and the web shop.", no_args_is_help=True)
staff_app = typer.Typer(help="Staff who sign in on tills.", no_args_is_help=True)
store_app = typer.Typer(help="Stores and who issues their receipts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(seed_app, name="seed")
app.add_typer(device_app, name="device")
app.add_typer(staff_app, name="staff")
app.add_typer(store_app, name="store")
app.command("notify")(notify_command)
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(import_app, name="import")


def _fail(message: str) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def _database() -> tuple[CoreSettings, Database]:
    from core.db import Database
    from core.settings import CoreSettings

    settings = CoreSettings()
    return settings, Database(settings.resolved_database_url)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (safe to run at any time)."""
    from core.migrate import upgrade
    from core.settings import CoreSettings

    upgrade(CoreSettings().resolved_database_url)
    typer.echo("database is up to date")


@seed_app.command("demo")
def seed_demo(
    seed: Annotated[int, typer.Option(help="Random seed of the demo stock")] = 2026,
    trading_days: Annotated[int, typer.Option(
        min=0, max=60, help="Days of recent trading for the back office (omnitill demo: 14)")] = 0,
) -> None:
    """Load the demo chain into an empty database (migrating it first)."""
    from core.migrate import upgrade
    from core.seed.demo import seed_demo as run

    settings, db = _database()
    upgrade(settings.resolved_database_url)
    try:
        tokens = run(db, var_dir=settings.var_dir, seed=seed, trading_days=trading_days)
    except RuntimeError as exc:
        raise _fail(str(exc)) from exc
    finally:
        db.dispose()
    typer.echo(f"demo data loaded; device tokens in {settings.var_dir / 'demo-devices.json'} "
               f"({len(tokens)} stores)")


@device_app.command("add")
def device_add(
    kind: Annotated[DeviceKind, typer.Option(
        help="kiosk, pos or web (a customer display runs with its till's token)")],
    name: Annotated[str, typer.Option(help="A name staff recognise, e.g. 'MI01 till 2'")],
    store: Annotated[str | None, typer.Option(help="Store code (not for web)")] = None,
) -> None:
    """Register a device and print its token (shown once, stored hashed)."""
    from core.auth.service import add_device
    from core.problems import CommerceProblem

    _settings, db = _database()
    try:
        with db.write() as session:
            token = add_device(session, kind=kind, name=name, store_code=store)
    except CommerceProblem as exc:
        raise _fail(exc.detail) from exc
    finally:
        db.dispose()
    typer.echo(token)


@staff_app.command("add")
def staff_add(
    name: Annotated[str, typer.Option()],
    role: Annotated[Role, typer.Option()],
    pin: Annotated[str, typer.Option(help="4 to 8 digits, unique in each store")],
    store: Annotated[list[str], typer.Option(help="Store code; repeat for several")],
) -> None:
    """Add a staff member who signs in on the tills of the given stores."""
    from core.auth.service import add_staff
    from core.problems import CommerceProblem

    _settings, db = _database()
    try:
        with db.write() as session:
            staff = add_staff(session, name=name, role=role, pin=pin,
                              stores=[s.upper() for s in store])
            typer.echo(f"added {staff.name} ({staff.role}) with id {staff.id}")
    except CommerceProblem as exc:
        raise _fail(exc.detail) from exc
    finally:
        db.dispose()


def _admin(action: Callable[[Session], R], *, write: bool = True) -> R:
    """Run one admin action in one transaction; a refusal exits 1 with its reason."""
    from core.problems import CommerceProblem

    _settings, db = _database()
    try:
        with (db.write() if write else db.read()) as session:
            return action(session)
    except CommerceProblem as exc:
        raise _fail(exc.detail) from exc
    finally:
        db.dispose()


@device_app.command("list")
def device_list() -> None:
    """Every device: id, kind, store, name, and whether revoked or locked."""
    from core.auth import admin

    for row in _admin(admin.list_devices, write=False):
        state = "revoked" if row.revoked else ("locked: " + ",".join(row.locks)
                                               if row.locks else "active")
        typer.echo(f"{row.id:>4}  {row.kind:<7} {row.store_code or '-':<5} {row.name}  "
                   f"[{state}]")


@device_app.command("revoke")
def device_revoke(device_id: Annotated[int, typer.Argument(help="From `device list`")]) -> None:
    """Revoke a device token: refused from the next request on."""
    from core.auth import admin

    device = _admin(lambda s: admin.revoke_device(s, device_id=device_id).name)
    typer.echo(f"revoked {device}")


@device_app.command("unlock")
def device_unlock(device_id: Annotated[int, typer.Argument(help="From `device list`")]) -> None:
    """Lift a device's PIN and code locks (logged as device.unlocked)."""
    from core.auth import admin

    lifted = _admin(lambda s: admin.unlock_device(s, device_id=device_id))
    typer.echo(f"unlocked {', '.join(lifted) or 'nothing was locked'}")


@staff_app.command("list")
def staff_list() -> None:
    """Every staff member: id, role, stores, name, active or not."""
    from core.auth import admin

    rows = _admin(lambda s: [(st.id, st.role, stores, st.name, st.active)
                             for st, stores in admin.list_staff(s)], write=False)
    for staff_id, role, stores, name, active in rows:
        typer.echo(f"{staff_id:>4}  {role:<10} {','.join(stores) or '-':<10} {name}"
                   f"{'' if active else '  [inactive]'}")


@staff_app.command("deactivate")
def staff_deactivate(staff_id: Annotated[int, typer.Argument(help="From `staff list`")]
                     ) -> None:
    """Their PIN and open sign-ins stop working at the next request."""
    from core.auth import admin

    typer.echo(f"deactivated {_admin(lambda s: admin.deactivate_staff(s, staff_id=staff_id).name)}")


@staff_app.command("set-pin")
def staff_set_pin(
    staff_id: Annotated[int, typer.Argument(help="From `staff list`")],
    pin: Annotated[str, typer.Option(prompt=True, hide_input=True, help="4 to 8 digits")],
) -> None:
    """Give a staff member a new PIN (asked for, not echoed)."""
    from core.auth import admin

    name = _admin(lambda s: admin.set_pin(s, staff_id=staff_id, pin=pin).name)
    typer.echo(f"new PIN set for {name}")


@store_app.command("legal")
def store_legal(
    code: Annotated[str, typer.Argument(help="Store code, e.g. TO01")],
    name: Annotated[str, typer.Option(help="Legal name: Sabauda Moda S.r.l.")],
    vat: Annotated[str, typer.Option(help="P.IVA, 11 digits (checked)")],
    address: Annotated[str, typer.Option(help="Registered office")] = "",
) -> None:
    """Set the company that issues a store's receipts (printed on every one)."""
    from core.stores.legal import set_legal_entity

    def give(session: Session) -> str:
        store = set_legal_entity(session, code=code, legal_name=name, vat_number=vat,
                                 legal_address=address)
        return f"{store.code}: {store.legal_name}, P.IVA {store.vat_number}"

    typer.echo(_admin(give))


@app.command()
def audit(
    since: Annotated[str | None, typer.Option(
        help="From this date or time on (ISO 8601, e.g. 2026-11-23 or 2026-11-23T09:00)")] = None,
    store: Annotated[str | None, typer.Option(help="One store's code")] = None,
    kind: Annotated[list[str] | None, typer.Option(
        help="A kind (return.refunded) or a prefix (return.); repeat for several")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first")] = 200,
) -> None:
    """The audit trail: refunds, discounts, approvals, stock adjustments, transfers,
    till closes, unlocks and revocations, with who, on which device, when."""
    from datetime import UTC, datetime

    from core.audit import service

    try:
        start = datetime.fromisoformat(since) if since else None
    except ValueError as exc:
        raise _fail(f"--since {since!r} is not a date or time (2026-11-23T09:00).") from exc
    if start is not None and start.tzinfo is None:
        start = start.replace(tzinfo=UTC)

    def rows(session: Session) -> list[str]:
        found, _more = service.entries(session, store=store, kinds=kind, since=start,
                                       limit=limit)
        return [service.describe(entry) for entry in found]

    for line in _admin(rows, write=False):
        typer.echo(line)


def _secret_file_for_workers(settings: CoreSettings) -> Path:
    """The file the workers read the key from: the operator's own, the generated
    ``var/secret``, or (for a key given as ``OMNITILL_SECRET``) a 0600 copy."""
    from core.settings import write_owner_only

    key = settings.resolved_secret
    if settings.secret_file and not settings.secret:
        return Path(settings.secret_file).resolve()
    if not settings.secret:
        return (settings.var_dir / "secret").resolve()
    path = settings.var_dir / "serve-secret"
    write_owner_only(path, key.decode())
    return path.resolve()


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8700,
    workers: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Migrate the database, then serve the core's API."""
    import uvicorn

    from core.migrate import upgrade
    from core.settings import CoreSettings

    settings = CoreSettings()
    upgrade(settings.resolved_database_url)
    # Workers are separate processes: they read the same settings from the
    # environment, and the secret resolved (or generated) here once from a file
    # only its owner reads (an environment is readable by the user's processes).
    os.environ["OMNITILL_DATABASE_URL"] = settings.resolved_database_url
    os.environ["OMNITILL_VAR_DIR"] = str(settings.var_dir.resolve())
    os.environ["OMNITILL_SECRET_FILE"] = str(_secret_file_for_workers(settings))
    os.environ.pop("OMNITILL_SECRET", None)
    uvicorn.run("core.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning")


def _client_env(url: str | None, token: str | None) -> None:
    """Flags win over the environment; the apps' settings read the environment."""
    if url:
        os.environ["OMNITILL_CORE_URL"] = url
    if token:
        os.environ["OMNITILL_DEVICE_TOKEN"] = token
    if not os.environ.get("OMNITILL_DEVICE_TOKEN"):
        raise _fail("A device token is needed: --token or OMNITILL_DEVICE_TOKEN "
                    "(from 'omnitill device add').")


def _app_settings(kind: type[S]) -> S:
    """An app's settings from the environment; a wrong one stops the app with one
    sentence naming the variable to fix, and exit code 2 (a usage error), instead
    of pydantic's traceback."""
    from pydantic import ValidationError

    try:
        return kind()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "OMNITILL_" + "_".join(str(part) for part in error["loc"]).upper()
        why = str(error["msg"]).replace("Input should be", "it should be", 1)
        typer.secho(f"{name} is {error['input']!r}: {why}.", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None


UrlOption = Annotated[str | None, typer.Option("--url", help="Core URL (OMNITILL_CORE_URL)")]
TokenOption = Annotated[str | None, typer.Option(
    "--token", help="Device token (OMNITILL_DEVICE_TOKEN)")]


@app.command()
def kiosk(url: UrlOption = None, token: TokenOption = None,
          web: Annotated[bool, typer.Option("--web", help="Serve in a browser")] = False,
          port: Annotated[int, typer.Option(help="Port for --web")] = 8710,
          host: Annotated[str, typer.Option(
              help="Address for --web: this machine's address on the store network, or "
                   "0.0.0.0 for every one, so a touch screen elsewhere can open it")
          ] = "127.0.0.1") -> None:
    """Start the shoppers' kiosk (in this terminal, or in a browser with --web)."""
    _client_env(url, token)
    from kiosk.app import run
    from kiosk.settings import KioskSettings

    run(_app_settings(KioskSettings), web=web, port=port, host=host)


@app.command()
def pos(url: UrlOption = None, token: TokenOption = None) -> None:
    """Start the staff till."""
    _client_env(url, token)
    from pos.app import run
    from pos.settings import PosSettings

    run(PosSettings())


@app.command()
def display(url: UrlOption = None, token: TokenOption = None) -> None:
    """Start the customer display of a till: the screen facing the shopper.

    Give it the same device token as its till (--token or OMNITILL_DEVICE_TOKEN):
    sharing the token is what binds a display to its till. It shows that till's
    sale live (lines, total, points) and the digital receipt QR when it is paid.
    """
    _client_env(url, token)
    from pos.display.app import run
    from pos.settings import PosSettings

    run(PosSettings())


def demo_tokens(var_dir: Path) -> dict[str, dict[str, str]]:
    path = var_dir / "demo-devices.json"
    return json.loads(path.read_text()) if path.exists() else {}


@app.command("web-order")
def web_order(
    items: Annotated[list[str], typer.Argument(help="SKU:QTY, one or more")],
    customer: Annotated[str, typer.Option(help="The shopper's email")],
    name: Annotated[str | None, typer.Option(
        help="The shopper's name (the pickup counter checks the surname)")] = None,
    pickup_at: Annotated[str | None, typer.Option(help="Store code for click-and-collect")] = None,
    deliver: Annotated[str | None, typer.Option(help="Delivery address instead of pickup")] = None,
    pay: Annotated[bool, typer.Option(help="Pay online by card now (else pay on pickup)")] = True,
    url: UrlOption = None, token: TokenOption = None,
) -> None:
    """Place an order as the web shop would (for demos and tests)."""
    import uuid

    from core.settings import CoreSettings
    from shared.client import Api, CommerceClient
    from shared.errors import CommerceError
    from shared.money import format_money
    from shared.schemas.orders import Contact, LineIn, OrderCreate, PaymentIn

    if bool(pickup_at) == bool(deliver):
        raise _fail("Give either --pickup-at STORE or --deliver ADDRESS.")
    lines = []
    for item in items:
        sku, _, qty = item.partition(":")
        if not sku or not (qty or "1").isdigit():
            raise _fail(f"{item!r} is not SKU:QTY.")
        lines.append(LineIn(sku=sku, qty=int(qty or 1)))
    token = token or os.environ.get("OMNITILL_DEVICE_TOKEN") or demo_tokens(
        CoreSettings().var_dir).get("WEB", {}).get("web")
    if not token:
        raise _fail("No web shop token: --token, OMNITILL_DEVICE_TOKEN or the demo data.")
    body = OrderCreate(
        lines=lines, fulfilment="delivery" if deliver else "pickup", pickup_store=pickup_at,
        delivery_address=deliver, contact=Contact(email=customer, name=name), channel="web",
    )
    base = url or os.environ.get("OMNITILL_CORE_URL") or "http://127.0.0.1:8700"
    try:
        with CommerceClient(base, token) as client:
            order = client.call(Api.place_order(body, uuid.uuid4().hex))
            if pay:
                order = client.call(Api.pay(order.number, PaymentIn(
                    tender="card", amount_cents=order.total_cents, card_token="approve")))
    except CommerceError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"{order.number}  {order.status}  {format_money(order.total_cents)}")
    if order.pickup_code:
        typer.echo(f"pickup code: {order.pickup_code}")


@app.command()
def demo(
    port: Annotated[int, typer.Option(
        envvar="OMNITILL_PORT", help="Port of the core (make demo PORT=8090)")] = 8700,
    serve_only: Annotated[bool, typer.Option(help="Start the core only, no launcher")] = False,
) -> None:
    """Set up the demo chain (first run) and start the core plus a launcher for the apps."""
    import signal
    import subprocess
    import sys
    import time

    from core.migrate import upgrade
    from core.settings import CoreSettings

    settings = CoreSettings()
    upgrade(settings.resolved_database_url)
    if not demo_tokens(settings.var_dir):
        typer.echo("loading the demo chain (first run)...")
        from core.seed.trading import TRADING_DAYS

        seed_demo(trading_days=TRADING_DAYS)
    base = f"http://127.0.0.1:{port}"
    if not _port_free(port):
        raise _fail(f"Port {port} is in use by another program, so the demo's core cannot "
                    f"start there; choose another: make demo PORT=8090 (or --port).")
    _ = settings.resolved_secret  # generated now (var/secret) for the core to read
    env = os.environ | {"OMNITILL_DATABASE_URL": settings.resolved_database_url}
    log = (settings.var_dir / "core.log").open("a")
    # A service manager's SIGTERM, or the terminal closing (SIGHUP), would end this
    # process without its ``finally`` and leave the core running on the port: as
    # exits, they stop the core first, the way Ctrl+C does.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _exit_on_signal)
    core = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            # Our core, not whatever else answers there: a core that could not
            # bind the port has exited, and then nothing is "running".
            if core.poll() is not None or _answers(f"{base}/v1/health"):
                break
            time.sleep(0.1)
        if core.poll() is not None or not _answers(f"{base}/v1/health"):
            raise _fail(f"The core did not start on port {port}; see "
                        f"{settings.var_dir / 'core.log'}.")
        typer.echo(f"core running at {base} (API docs at {base}/docs)")
        if serve_only:
            core.wait()
            return
        _launcher(base, demo_tokens(settings.var_dir))
    finally:
        core.terminate()
        core.wait(timeout=10)
        log.close()


def _exit_on_signal(number: int, _frame: object) -> None:
    raise SystemExit(0)


def _port_free(port: int) -> bool:
    """Whether the core could listen on ``port`` of 127.0.0.1 now."""
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _answers(url: str) -> bool:
    import httpx

    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _launcher(base: str, tokens: dict[str, dict[str, str]]) -> None:
    """A plain menu: which app of which demo store to open next."""
    choices = [(store, kind) for store in tokens if store != "WEB" for kind in ("kiosk", "pos")]
    while True:
        typer.echo("\nOmnitill demo — open an app (PINs in the README: MI01 cashier 1111)")
        for n, (store, kind) in enumerate(choices, start=1):
            typer.echo(f"  {n:2}. {'Kiosk' if kind == 'kiosk' else 'Till '}  {store}")
        typer.echo("   w. place a web order for pickup at MI01     d. customer display of the "
                   "MI01 till     q. quit")
        answer = typer.prompt("choice", default="1").strip().lower()
        if answer == "q":
            return
        if answer == "d":
            typer.echo("  in a second terminal, beside the till:\n"
                       f"  .venv/bin/omnitill display --url {base} --token {tokens['MI01']['pos']}")
            continue
        if answer == "w":
            typer.echo("  e.g. omnitill web-order --customer giulia.rossi@example.com "
                       "--name 'Giulia Rossi' --pickup-at MI01 HO-MOK-05:1 (the kiosk "
                       "checks it in by its number and the surname Rossi)")
            continue
        if not answer.isdigit() or not 1 <= int(answer) <= len(choices):
            typer.echo("  please type a number from the list")
            continue
        store, kind = choices[int(answer) - 1]
        os.environ["OMNITILL_CORE_URL"] = base
        os.environ["OMNITILL_DEVICE_TOKEN"] = tokens[store][kind]
        try:
            (kiosk if kind == "kiosk" else pos)(url=base, token=tokens[store][kind])
        except Exception as exc:  # noqa: BLE001 - back to the menu, never a crash
            typer.secho(f"  the app stopped: {exc}", fg=typer.colors.RED)


# -- customers' data (GDPR) ----------------------------------------------------------

customers_app = typer.Typer(help="A customer's data: a copy of it, or erasure (GDPR).",
                            no_args_is_help=True)
app.add_typer(customers_app, name="customers")


@customers_app.command("export")
def customers_export(
    customer_id: Annotated[int, typer.Argument(min=1, help="The customer's id")],
    out: Annotated[Path | None, typer.Option(help="Write to this file, not the screen")] = None,
) -> None:
    """Everything held about a customer as JSON: profile, consents, loyalty ledger,
    orders, returns, store credit (recorded in the audit trail)."""
    from core.audit.service import command_line_actor
    from core.customers import privacy

    data = _admin(lambda s: privacy.export(s, customer_id=customer_id,
                                           actor=command_line_actor()))
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    typer.echo(f"wrote {out} ({len(data['orders'])} orders, {len(data['returns'])} returns)")


@customers_app.command("erase")
def customers_erase(
    customer_id: Annotated[int, typer.Argument(min=1, help="The customer's id")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask first")] = False,
) -> None:
    """Anonymise a customer: name, email, phone, city and loyalty card go, as do the
    contact details on their orders; the orders and the accounting stay; the points
    are zeroed by a ledger entry. Recorded in the audit trail; cannot be undone."""
    from core.audit.service import command_line_actor
    from core.customers import privacy

    if not yes:
        typer.confirm(f"Erase customer {customer_id}? This cannot be undone", abort=True)
    done = _admin(lambda s: privacy.erase(s, customer_id=customer_id,
                                          actor=command_line_actor()))
    typer.echo(f"erased customer {customer_id}: {done['orders_kept']} orders kept, "
               f"{done['points_zeroed']} points zeroed"
               + (" (it had been erased before)" if done["already_erased"] else ""))


# -- export for an ERP ---------------------------------------------------------------

export_app = typer.Typer(help="Orders and stock for an ERP, as CSV or JSON.",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")

SinceOption = Annotated[str | None, typer.Option(
    help="Only what changed from this date or time on (ISO 8601, UTC unless it says)")]
StoreOption = Annotated[str | None, typer.Option(help="One store's (location's) code")]
FormatOption = Annotated[str, typer.Option(
    "--format", help="csv (a header row) or json (an array of objects)")]
OutOption = Annotated[Path | None, typer.Option(help="Write to this file, not the screen")]


def _export(kind: str, since: str | None, store: str | None, fmt: str, out: Path | None
            ) -> None:
    import csv
    import sys
    from datetime import UTC, datetime

    from core.reports import erp_export

    if fmt not in ("csv", "json"):
        raise _fail(f"--format {fmt!r}: csv or json.")
    try:
        start = datetime.fromisoformat(since) if since else None
    except ValueError as exc:
        raise _fail(f"--since {since!r} is not a date or time (2026-11-23T09:00).") from exc
    if start is not None and start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    rows, columns = ((erp_export.order_rows, erp_export.ORDER_COLUMNS) if kind == "orders"
                     else (erp_export.stock_rows, erp_export.STOCK_COLUMNS))
    _settings, db = _database()
    target = out.open("w", newline="", encoding="utf-8") if out else sys.stdout
    count = 0
    try:
        with db.read() as session:
            if fmt == "csv":
                writer = csv.DictWriter(target, fieldnames=columns)
                writer.writeheader()
                for row in rows(session, since=start, store=store):
                    writer.writerow(row)
                    count += 1
            else:
                target.write("[")
                for row in rows(session, since=start, store=store):
                    target.write((",\n" if count else "\n") + json.dumps(row, ensure_ascii=False))
                    count += 1
                target.write("\n]\n")
    finally:
        db.dispose()
        if out:
            target.close()
    if out:
        typer.echo(f"wrote {count} {'order lines' if kind == 'orders' else 'stock levels'} "
                   f"to {out}")


@export_app.command("orders")
def export_orders(since: SinceOption = None, store: StoreOption = None,
                  fmt: FormatOption = "csv", out: OutOption = None) -> None:
    """Order lines (one row each, with their order's number, channel, store, status,
    customer id and totals) of the orders placed or changed since --since."""
    _export("orders", since, store, fmt, out)


@export_app.command("stock")
def export_stock(since: SinceOption = None, store: StoreOption = None,
                 fmt: FormatOption = "csv", out: OutOption = None) -> None:
    """Stock levels (on hand, reserved, available) per location and SKU; with --since
    only those that moved since then."""
    _export("stock", since, store, fmt, out)


if __name__ == "__main__":  # pragma: no cover
    app()
