"""``omnitill webhooks``: subscribe a CRM or ERP to the core's events, from the server.

The same services as ``/v1/webhooks``, on the database directly (as ``device``
and ``staff`` do); each change is recorded in the audit trail as done from the
command line. The dispatcher of the running core picks changes up at its next
poll.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

R = TypeVar("R")

app = typer.Typer(help="Webhooks: the core's events POSTed to a CRM or ERP, signed.",
                  no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def _run(action: Callable[[Session, bytes], R], *, write: bool = True) -> R:
    """One action in one transaction, with the core's secret (webhook secrets derive
    from it); a refusal exits 1 with its reason."""
    from core.db import Database
    from core.problems import CommerceProblem
    from core.settings import CoreSettings

    settings = CoreSettings()
    db = Database(settings.resolved_database_url)
    try:
        with (db.write() if write else db.read()) as session:
            return action(session, settings.resolved_secret)
    except CommerceProblem as exc:
        raise _fail(exc.detail) from exc
    finally:
        db.dispose()


@app.command("list")
def listing() -> None:
    """Every webhook: id, URL, event types, and the last event taken into deliveries."""
    from core.webhooks import service

    rows = _run(lambda s, _k: [(w.id, w.url, ",".join(w.events), w.cursor, w.description)
                               for w in service.listing(s)], write=False)
    if not rows:
        typer.echo("no webhooks")
    for webhook_id, url, events, cursor, description in rows:
        typer.echo(f"{webhook_id:>4}  {url}  [{events}]  after event {cursor}"
                   + (f"  ({description})" if description else ""))


@app.command("add")
def add(
    url: Annotated[str, typer.Option(help="Where to POST: https://crm.example.com/omnitill")],
    event: Annotated[list[str], typer.Option(
        help="order.created, a family order.*, stock.low, or * for all; repeat for several")],
    description: Annotated[str, typer.Option(help="Whose receiver this is")] = "",
) -> None:
    """Subscribe a URL to events from now on; prints its signing secret, once."""
    from core.audit.service import command_line_actor, record
    from core.webhooks import service

    def give(session: Session, key: bytes) -> tuple[int, str]:
        created = service.add(session, url=url, events=event, description=description,
                              core_secret=key, created_by=command_line_actor())
        record(session, "webhook.added", actor=command_line_actor(),
               subject=str(created.subscription.id), url=created.subscription.url,
               events=created.subscription.events)
        return created.subscription.id, created.secret

    webhook_id, secret = _run(give)
    typer.echo(f"added webhook {webhook_id}; its secret (shown this once):")
    typer.echo(secret)


@app.command("remove")
def remove(webhook_id: Annotated[int, typer.Argument(help="From `webhooks list`")]) -> None:
    """Stop a webhook: nothing more is delivered to it; its log stays."""
    from core.audit.service import command_line_actor, record
    from core.webhooks import service

    def give(session: Session, _key: bytes) -> str:
        removed = service.remove(session, subscription_id=webhook_id)
        record(session, "webhook.removed", actor=command_line_actor(),
               subject=str(removed.id), url=removed.url)
        return removed.url

    typer.echo(f"removed webhook {webhook_id} ({_run(give)})")


@app.command("replay")
def replay(
    webhook_id: Annotated[int | None, typer.Argument(help="With --event: the webhook")] = None,
    event: Annotated[int | None, typer.Option(help="An event's number (its id without evt_)")
                     ] = None,
    delivery: Annotated[int | None, typer.Option(help="A delivery's id from `webhooks log`")
                        ] = None,
) -> None:
    """Send an event again: `replay WEBHOOK --event SEQ`, or `replay --delivery ID`."""
    from core.audit.service import command_line_actor, record
    from core.webhooks import service

    if (delivery is None) == (event is None) or (event is not None and webhook_id is None):
        raise _fail("Give either WEBHOOK --event SEQ or --delivery ID.")

    def give(session: Session, _key: bytes) -> tuple[int, int, str]:
        if delivery is not None:
            made = service.replay_delivery(session, delivery_id=delivery)
        else:
            assert webhook_id is not None and event is not None
            made = service.replay_event(session, subscription_id=webhook_id, seq=event)
        record(session, "webhook.replayed", actor=command_line_actor(),
               subject=str(made.subscription_id), event_seq=made.event_seq)
        return made.id, made.subscription_id, f"evt_{made.event_seq}"

    made_id, target, event_id = _run(give)
    typer.echo(f"delivery {made_id}: {event_id} to webhook {target}, queued")


@app.command("log")
def log(
    webhook: Annotated[int | None, typer.Option(help="One webhook's deliveries")] = None,
    status: Annotated[str | None, typer.Option(
        help="pending, delivered, failed or cancelled")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first")] = 50,
) -> None:
    """The delivery log: each delivery and its attempts (status code, error, duration)."""
    from core.webhooks import service

    def rows(session: Session, _key: bytes) -> list[str]:
        found = service.deliveries(session, subscription_id=webhook, status=status,
                                   limit=limit)
        attempts = service.attempts_of(session, [d.id for d in found])
        lines = []
        for d in found:
            lines.append(f"{d.id:>6}  webhook {d.subscription_id}  evt_{d.event_seq} "
                         f"{d.event_type}  {d.status}  {d.attempts} attempt(s)"
                         + (f"  replay of {d.replay_of}" if d.replay_of else ""))
            lines += [f"          #{a.attempt} {a.at:%Y-%m-%d %H:%M:%S}  "
                      f"{a.status_code if a.status_code is not None else '---'}  "
                      f"{a.duration_ms} ms" + (f"  {a.error}" if a.error else "")
                      for a in attempts[d.id]]
        return lines

    lines = _run(rows, write=False)
    if not lines:
        typer.echo("no deliveries")
    for line in lines:
        typer.echo(line)
