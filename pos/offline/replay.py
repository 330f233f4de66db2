"""Sending the outbox to the core, oldest sale first, each exactly once.

Each sale goes with the Idempotency-Key it was given when it was made, so a
replay whose answer was lost (or a till killed between sending and marking)
gets the same order back from the core instead of a second one. A sale the core
refuses (a 4xx: it will refuse it again) is set aside for a supervisor (the
review list, :mod:`pos.screens.offline_review`) and the next one goes; a core
that stops answering (or answers 5xx) stops the replay until the next attempt.
A sale the core fails on every time (a 500, :data:`MAX_FAILURES` rounds) is set
aside too, so one bad sale never holds up the ones behind it for ever.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos.offline.store import LocalStore, OutboxEntry
from shared.client import Api, AsyncCommerceClient
from shared.errors import CommerceError, TooManyAttempts, Unavailable

MAX_FAILURES = 5
"""Rounds of 500 on one sale before it waits for a supervisor instead."""


@dataclass(slots=True)
class ReplayResult:
    sent: int = 0
    refused: int = 0
    stopped: CommerceError | None = None
    """Why the replay stopped before the outbox was empty (the core went away)."""


async def replay_one(client: AsyncCommerceClient, store: LocalStore, entry: OutboxEntry
                     ) -> str:
    """Send one sale as the cashier who made it; ``sent`` or ``refused``. Raises
    ``Unavailable`` (and ``TooManyAttempts``) for a later retry."""
    client.staff_token = entry.staff_token
    call = Api.place_order(entry.body, entry.idempotency_key)
    if entry.approver_token:
        call = call.approved_by(entry.approver_token)
    try:
        order = await client.call(call)
    except (Unavailable, TooManyAttempts) as error:
        if error.status == 500 and store.failed_attempt(entry.id) >= MAX_FAILURES:
            store.mark_refused(entry.id, {"status": error.status, "code": error.code,
                                          "detail": str(error)})
            return "refused"
        raise
    except CommerceError as error:
        store.mark_refused(entry.id, {"status": error.status, "code": error.code,
                                      "detail": str(error)})
        return "refused"
    store.mark_sent(entry.id, order.number)
    return "sent"


async def replay(client: AsyncCommerceClient, store: LocalStore, *,
                 on_step: object = None) -> ReplayResult:
    """Drain the outbox. ``client`` is the replay's own (its staff token changes
    per sale) sharing the till's connection pool."""
    result = ReplayResult()
    while batch := store.pending():
        for entry in batch:
            try:
                outcome = await replay_one(client, store, entry)
            except (Unavailable, TooManyAttempts) as error:
                result.stopped = error
                return result
            if outcome == "sent":
                result.sent += 1
            else:
                result.refused += 1
            if callable(on_step):
                on_step()
    return result


CONFLICTS = "stock.discrepancy"
CONFLICT_POSITION = "conflict_seq"
"""Meta key: the last ``stock.discrepancy`` event of this store the till has read."""


async def note_conflicts(client: AsyncCommerceClient, store: LocalStore) -> int:
    """Read the store's new ``stock.discrepancy`` events and note on each replayed
    sale the ones its order caused (the event's ``reference`` is the order number):
    the review list shows them to a supervisor. Returns how many were noted."""
    after, noted = int(store.get(CONFLICT_POSITION) or 0), 0
    while True:
        page = await client.call(Api.events(after=after, types=CONFLICTS, limit=500))
        for event in page:
            data = event.payload
            text = f"{data.get('shortfall')} × {data.get('sku')} sold elsewhere meanwhile"
            if store.note_conflict(str(data.get("reference") or ""), text):
                noted += 1
        if page:
            after = page[-1].seq
            store.put(CONFLICT_POSITION, str(after))
        if len(page) < 500:
            return noted
