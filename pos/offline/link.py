"""Whether the till is talking to the core, and the background work that keeps the
local store useful: the catalog copied at start, the outbox replayed whenever the
core answers again.

The sale screen asks :class:`OfflineTill` two things: is the till offline now
(:attr:`OfflineTill.active`), and to keep a sale (:meth:`OfflineTill.keep`).
Everything else happens in one long-lived worker, in the ``follower`` group
like the app's event followers, so it never holds up the screen.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pos.offline.approvals import Approval, Approvers
from pos.offline.catalog_sync import apply_changes, catalog_total, full_copy, resume
from pos.offline.replay import note_conflicts, replay
from pos.offline.store import REVIEW, Builder, LocalStore, OutboxEntry
from pos.settings import PosSettings
from shared.client import Api, AsyncCommerceClient
from shared.errors import CommerceError, Unavailable
from shared.schemas.auth import StaffSession
from shared.tasks import nudged_within

if TYPE_CHECKING:
    from pos.app import PosApp

FOLLOWER_GROUP = "follower"


def default_data_dir(settings: PosSettings) -> Path:
    """``var/pos-<device>/``: named by a digest of the device token, which the till
    has even when the core cannot tell it its name (the token itself never goes
    into a file name)."""
    digest = hashlib.sha256(settings.device_token.encode()).hexdigest()[:10]
    return Path("var") / f"pos-{digest}"


def till_label(name: str, device_id: int) -> str:
    """The ``<till>`` of offline numbers: the device's name, kept to what a
    receipt and the core's pattern accept (``MI01-CASSA1``)."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "", name).upper()[:20]
    return cleaned or f"T{device_id}"


class OfflineTill:
    """The till's local store and its link state, handed to the app."""

    def __init__(self, store: LocalStore, settings: PosSettings) -> None:
        self.store = store
        self.settings = settings
        self.active = False
        """Offline: the last call to the core found nobody answering."""
        self.synced = False
        """The catalog was copied in full since the till started."""
        self.copied = 0
        self.total = 0
        """Products the copy in progress will bring (0: not known)."""
        self.pending = store.count("pending")
        self.review = store.count(REVIEW)
        """Sales the core refused, waiting for a supervisor (Ctrl+R on the sale screen)."""
        self.conflicts = len(store.conflicts())
        """Replayed sales the core took with a stock conflict, not yet seen."""
        self.till = store.get("till") or ""
        self.approvers = Approvers(store)
        """Supervisors' sign-ins sealed under their PINs: approvals offline."""
        self._listeners: list[Callable[[], None]] = []
        self._wake = asyncio.Event()
        self._client: AsyncCommerceClient | None = None

    @classmethod
    def open(cls, settings: PosSettings) -> OfflineTill:
        folder = settings.data_dir or default_data_dir(settings)
        return cls(LocalStore(Path(folder)), settings)

    # -- state the screen shows ------------------------------------------------------

    def listen(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` on every change; returns the way to stop."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners \
            else None

    def _changed(self) -> None:
        self.pending = self.store.count("pending")
        self.review = self.store.count(REVIEW)
        self.conflicts = len(self.store.conflicts())
        for callback in list(self._listeners):
            callback()

    def went_offline(self) -> None:
        if not self.active:
            self.active = True
            self._changed()
        self._wake.set()

    def back_online(self) -> None:
        if self.active:
            self.active = False
            self._changed()

    # -- selling ---------------------------------------------------------------------

    def can_sell(self) -> str | None:
        """Why a sale cannot be made offline right now, or None."""
        if not self.till:
            return "This till has never reached the store system; it cannot sell offline."
        if not self.store.product_count():
            return "No catalog on this till yet; it cannot sell offline."
        return None

    def card_allowed(self, amount_cents: int) -> bool:
        """Store-and-forward card, within the per-sale and per-day limits (both off
        by default: a card taken offline is a risk the store chooses)."""
        per_sale = self.settings.offline_card_limit_cents
        if per_sale <= 0 or amount_cents > per_sale:
            return False
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        taken = self.store.card_total_since(today.isoformat())
        return taken + amount_cents <= self.settings.offline_card_daily_cents

    def keep(self, *, key: str, staff_token: str, build: Builder,
             approver_token: str | None = None) -> OutboxEntry:
        """Commit the sale to the outbox (durable on return): call before printing
        its receipt or opening the drawer."""
        entry = self.store.enqueue(till=self.till, key=key, staff_token=staff_token,
                                   build=build, approver_token=approver_token)
        self._changed()
        return entry

    def resubmit(self, entry_id: str, approver_token: str) -> bool:
        """A supervisor sends a refused sale again, on their sign-in (see
        :mod:`core.orders.offline`); the next round replays it."""
        done = self.store.retry(entry_id, approver_token)
        self._changed()
        self._wake.set()
        return done

    def conflict_seen(self, entry_id: str) -> None:
        self.store.conflict_seen(entry_id)
        self._changed()

    def write_off(self, entry_id: str, *, by: str, note: str) -> bool:
        done = self.store.mark_handled(entry_id, by=by, note=note)
        self._changed()
        return done

    async def remember(self, pin: str, session: StaffSession) -> None:
        """A supervisor typed their PIN here online: they can approve here offline."""
        await asyncio.to_thread(self.approvers.remember, pin, session)

    async def approve(self, pin: str) -> Approval | None:
        """The supervisor approval a PIN gives while offline, or None."""
        return await asyncio.to_thread(self.approvers.check, pin)

    # -- the background worker -----------------------------------------------------

    def start(self, app: PosApp) -> None:
        client = app.client
        self._client = AsyncCommerceClient(str(client.http.base_url), client.device_token,
                                           http=client.http)
        app.run_worker(self._run(), group=FOLLOWER_GROUP, name="offline-link",
                       exclusive=False)

    async def _run(self) -> None:
        while True:
            await self.step()
            self._wake.clear()
            await nudged_within(self._wake, self.settings.offline_probe_seconds)

    async def _copy_catalog(self, client: AsyncCommerceClient) -> None:
        """The whole catalog, with a progress line in the header while it fills."""
        def progress(copied: int) -> None:
            self.copied = copied
            self._changed()

        self.copied, self.total = 0, await catalog_total(client)
        await full_copy(client, self.store, progress=progress)
        self.synced = True

    async def step(self) -> None:
        """One round: learn the till's name, copy the catalog (or apply the log's
        catalog changes since the last round), replay the outbox; whatever the core
        answers, the till's state follows."""
        assert self._client is not None
        client = self._client
        try:
            if not self.till:
                who = await client.call(Api.whoami())
                self.till = till_label(who.device.name, who.device.id)
                self.store.put("till", self.till)
            if not self.synced:
                if await resume(client, self.store):
                    self.synced = True
                else:
                    await self._copy_catalog(client)
            elif (await apply_changes(client, self.store)).refresh:
                self.synced = False  # the log says copy it all again
                await self._copy_catalog(client)
            if self.active:
                await client.call(Api.health())
            if self.store.count("pending"):
                result = await replay(client, self.store, on_step=self._changed)
                if result.sent:
                    await note_conflicts(client, self.store)
                if result.stopped is not None:
                    raise result.stopped
        except Unavailable:
            self.went_offline()
            return
        except CommerceError:
            return  # a refusal of set-up calls: try again next round
        finally:
            client.staff_token = None
        self.back_online()
        self._changed()
