"""The application factory: everything is built here, nothing at import time,
so each test (and each worker) picks its own settings and database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from core import __version__
from core.audit.routes import router as audit_router
from core.auth.routes import router as auth_router
from core.carts.routes import router as carts_router
from core.catalog.routes import router as catalog_router
from core.customers.privacy_routes import router as privacy_router
from core.customers.routes import router as customers_router
from core.db import Database
from core.edge import EdgeChecks
from core.events.hub import EventHub
from core.events.routes import router as events_router
from core.giftcards.routes import router as giftcards_router
from core.health import router as health_router
from core.imports.routes import router as imports_router
from core.orders import lifecycle
from core.orders.routes import router as orders_router
from core.payments import refunds
from core.payments.gateway import PaymentGateway, SimulatedTerminal
from core.problems import PROBLEM_RESPONSES, install_problem_handlers
from core.receipts.fiscal import router as fiscal_router
from core.receipts.routes import router as receipts_router
from core.reports.routes import router as reports_router
from core.returns.routes import router as returns_router
from core.scan.routes import router as scan_router
from core.settings import CoreSettings
from core.stock.low import LOW_STOCK_UNITS
from core.stock.routes import router as stock_router
from core.threads import ThreadCalls
from core.tills.routes import router as tills_router
from core.webhooks.dispatcher import Dispatcher, Policy
from core.webhooks.routes import router as webhooks_router
from shared.tasks import stop

log = logging.getLogger("omnitill.core")

SWEEP_DEADLINE = 60.0
"""How long shutting down waits for a sweep already running (see core.threads): it
asks the card terminal for refunds, each under the terminal's own timeout."""

ROUTERS = [catalog_router, auth_router, scan_router, carts_router, orders_router, stock_router,
           events_router, returns_router, customers_router, tills_router, health_router,
           audit_router, giftcards_router, reports_router, privacy_router, webhooks_router,
           imports_router]


def run_sweep(db: Database, settings: CoreSettings, gateway: PaymentGateway) -> dict[str, int]:
    """Release what expired, then ask the card terminal, with no transaction open,
    for the refunds of what it cancelled and again for those still pending."""
    with refunds.refunding(db, gateway=gateway, caller=None) as session:
        done = lifecycle.sweep(session, settings=settings)
    done["card_refunds_pending"] = len(refunds.retry_pending(db, gateway=gateway))
    return done


async def _sweep_forever(db: Database, settings: CoreSettings, gateway: PaymentGateway,
                         threads: ThreadCalls) -> None:
    """Give back what expired even when nobody reads it (lazy expiry covers reads)."""
    while True:
        await asyncio.sleep(settings.sweep_seconds)
        try:
            await threads.run(run_sweep, db, settings, gateway)
        except Exception:  # a failed sweep is retried next time
            log.exception("sweep failed")


def create_app(
    settings: CoreSettings | None = None, database: Database | None = None,
    gateway: PaymentGateway | None = None,
) -> FastAPI:
    settings = settings or CoreSettings()
    db = database or Database(settings.resolved_database_url)
    gateway = gateway or SimulatedTerminal()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        sweeping = ThreadCalls()
        sweeper = asyncio.create_task(_sweep_forever(db, settings, gateway, sweeping))
        app.state.events.start()
        if app.state.webhooks is not None:
            app.state.webhooks.start()
        yield
        if app.state.webhooks is not None:
            await app.state.webhooks.close()
        await app.state.events.close()
        await stop(sweeper)
        await sweeping.drain(SWEEP_DEADLINE)  # see core.threads
        if database is None:
            db.dispose()

    app = FastAPI(
        title="Omnitill commerce core",
        version=__version__,
        summary="One catalog, one stock, every order from every channel.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.gateway = gateway
    app.state.events = EventHub(db, poll_seconds=settings.event_poll_seconds)
    app.state.webhooks = Dispatcher(db, core_secret=lambda: settings.resolved_secret, policy=Policy(
        poll_seconds=settings.webhook_poll_seconds, max_attempts=settings.webhook_max_attempts,
        backoff_seconds=settings.webhook_backoff_seconds,
        backoff_cap_seconds=settings.webhook_backoff_cap_seconds,
        timeout_seconds=settings.webhook_timeout_seconds)) if settings.webhook_dispatch else None
    db.session_info[LOW_STOCK_UNITS] = settings.low_stock_units
    install_problem_handlers(app)
    app.add_middleware(EdgeChecks)
    for router in ROUTERS:
        app.include_router(router, responses=PROBLEM_RESPONSES)
    app.include_router(fiscal_router, responses=PROBLEM_RESPONSES)
    app.include_router(receipts_router)  # a web page for customers, not part of the API
    return app
