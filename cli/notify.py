"""``omnitill notify``: the customer mailer, run beside the core on its database."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Annotated

import typer

__all__ = ["notify"]


def notify(
    once: Annotated[bool, typer.Option(
        "--once", help="One pass: plan the new events' mail, send what is due, exit.")] = False,
) -> None:
    """Mail customers their e-receipt, "ready for pickup" and "refunded", following
    the core's event log (OMNITILL_SMTP_* settings; stop with Ctrl-C)."""
    from pydantic import ValidationError
    from sqlalchemy.exc import OperationalError, ProgrammingError

    import core.models  # noqa: F401 - registers every table: a flush resolves every foreign key
    from core.db import Database
    from core.notify.mailer import SmtpMailer
    from core.notify.runner import Notifier
    from core.notify.settings import MailSettings
    from core.settings import CoreSettings

    try:
        settings, mail = CoreSettings(), MailSettings()
    except ValidationError as exc:
        typer.secho(f"bad mail settings: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    db = Database(settings.resolved_database_url)
    notifier = Notifier(db, core=settings, mail=mail, mailer=SmtpMailer(mail))
    try:
        if once:
            done = notifier.run_once()
            typer.echo(f"events read {done.planned}, sent {done.sent}, "
                       f"to retry {done.retrying}, failed {done.failed}, skipped {done.skipped}")
            return
        stop = threading.Event()

        def on_signal(_signum: int, _frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        notifier.run_once()  # a database without the mail tables stops here, said plainly
        typer.echo(f"mailing through {mail.smtp_host}:{mail.smtp_port} ({mail.smtp_tls}); "
                   "Ctrl-C stops")
        notifier.run(stop)
    except (OperationalError, ProgrammingError) as exc:
        typer.secho("the database has no mail tables yet: run `omnitill db upgrade` "
                    f"(or start `omnitill serve`) first ({exc.orig})", fg=typer.colors.RED,
                    err=True)
        raise typer.Exit(code=1) from exc
    finally:
        db.dispose()
