"""Offline sales the core refused, in front of a supervisor.

A refused replay is never dropped and never retried on its own: the goods have
left and the money is in the drawer, so a person decides. The supervisor sees
each one with the core's reason and either

- **resubmits** it on their own sign-in (the core then accepts it on their
  responsibility when only the cashier's sign-in was the problem; see
  :mod:`core.orders.offline`), with the sale's own Idempotency-Key, so it can
  still never become two orders; or
- **writes it off**: it stays on this till, marked handled with the
  supervisor's name and the time, and never reaches the core.

Below them, the replayed sales the core *took* although another channel had
sold the stock meanwhile (the goods had left: the core corrected the count and
noted a ``stock.discrepancy``), until the supervisor has seen each (S).

The screen is the supervisor's: a cashier who opens it is asked for a
supervisor's PIN first, and the approval it gives is what a resubmission sends.
"""

from __future__ import annotations

import base64
import json

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Label

from pos.offline.banner import OfflineBanner
from pos.offline.link import OfflineTill
from pos.offline.store import REVIEW, OutboxEntry
from pos.screens.base import StaffScreen
from shared.i18n import N_
from shared.schemas.enums import Role

WHY = N_("Refused offline sales are for a supervisor to resubmit or write off.")
"""Said in the till's language when a supervisor's PIN is asked."""


def name_in(token: str) -> str:
    """The name a staff sign-in carries (read, not verified: it only labels the
    write-off on this till; the core verifies the sign-in itself)."""
    try:
        part = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        return str(claims.get("name") or f"staff {claims.get('sub')}")
    except (IndexError, ValueError, AttributeError):
        return "a supervisor"


class OfflineReviewScreen(StaffScreen[None]):
    BINDINGS = [
        Binding("r", "resubmit", N_("Resubmit"), id="review_resubmit",
                tooltip=N_("Send the sale to the store system again, on your sign-in")),
        Binding("w", "write_off", N_("Write off"), id="review_write_off",
                tooltip=N_("Mark it handled: it never reaches the store system")),
        Binding("s", "seen", N_("Seen"), id="review_conflict_seen",
                tooltip=N_("The stock conflict of the highlighted replayed sale is seen")),
        Binding("escape", "back", N_("Back"), id="review_back", tooltip=N_("Back to the sale")),
        Binding("f1", "app.keys", N_("Keys"), id="keys", tooltip=N_("Every key of this screen")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.approver: str | None = None
        """The supervisor's sign-in this screen acts on."""
        self.rows: list[OutboxEntry] = []
        self.conflicts: list[OutboxEntry] = []

    @property
    def offline(self) -> OfflineTill:
        offline = self.app.offline
        assert offline is not None, "the review list needs the till's local store"
        return offline

    def compose(self) -> ComposeResult:
        with Vertical(id="offline-review"):
            yield OfflineBanner()
            yield Label(self.t("Refused offline sales — supervisor review"), classes="title")
            yield DataTable(id="review", cursor_type="row", zebra_stripes=True)
            yield Label("", id="review-reason")
            yield Label(self.t("Replayed, with a stock conflict (the count was corrected)"),
                        classes="title")
            yield DataTable(id="conflicts", cursor_type="row", zebra_stripes=True)
            yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#review", DataTable)
        table.add_columns(self.t("Receipt"), self.t("Sold at (UTC)"), self.t("Total"),
                          self.t("Why the store system refused it"))
        self.query_one("#conflicts", DataTable).add_columns(
            self.t("Receipt"), self.t("Order"), self.t("Conflict"))
        table.focus()
        self.refresh_rows()
        self._stop = self.offline.listen(self.refresh_rows)
        self.authorise()

    def on_unmount(self) -> None:
        self._stop()

    @work(exclusive=True, group="review-approval")
    async def authorise(self) -> None:
        """The signed-in supervisor, or a supervisor's PIN typed now; without it the
        screen closes again."""
        app = self.app
        staff = app.staff
        if staff is not None and Role(staff.role).at_least(Role.SUPERVISOR):
            self.approver = app.client.staff_token
            return
        from pos.dialogs.supervisor import SupervisorDialog

        token = await app.push_screen_wait(SupervisorDialog(self.t(WHY)))
        if token is None:
            self.dismiss()
            return
        self.approver = token

    def refresh_rows(self) -> None:
        """Called on every change of the till's link state: redrawn only when the
        list itself changed. The replay may report a change while the screen is
        being taken down (the app closing): its tables are gone, nothing to draw."""
        if not self.query("#review") or not self.query("#conflicts"):
            return
        self.refresh_conflicts()
        rows = list(reversed(self.offline.store.entries(REVIEW)))  # oldest first
        if self.is_mounted and self.rows and [e.id for e in rows] == [
                e.id for e in self.rows]:
            return
        table = self.query_one("#review", DataTable)
        row = table.cursor_row
        self.rows = rows
        table.clear()
        money = self.app.money
        for entry in self.rows:
            table.add_row(entry.offline_number, entry.created_at[:16].replace("T", " "),
                          money(entry.total_cents), entry.reason[:60], key=entry.id)
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))
        self.show_reason()

    def refresh_conflicts(self) -> None:
        conflicts = self.offline.store.conflicts()
        if [(e.id, e.conflict) for e in conflicts] == [(e.id, e.conflict)
                                                      for e in self.conflicts]:
            return
        self.conflicts = conflicts
        table = self.query_one("#conflicts", DataTable)
        table.clear()
        for entry in conflicts:
            table.add_row(entry.offline_number, entry.order_number or "",
                          entry.conflict or "", key=entry.id)

    def action_seen(self) -> None:
        table = self.query_one("#conflicts", DataTable)
        if self.approver is None or not 0 <= table.cursor_row < len(self.conflicts):
            return
        entry = self.conflicts[table.cursor_row]
        self.offline.conflict_seen(entry.id)
        self.say(self.t("{number}: conflict seen.", number=entry.offline_number))

    def on_data_table_row_highlighted(self) -> None:
        self.show_reason()

    def show_reason(self) -> None:
        entry = self._selected()
        self.query_one("#review-reason", Label).update(
            f"{entry.offline_number}: {entry.reason}" if entry else
            self.t("Nothing waits for review."))


    def _selected(self) -> OutboxEntry | None:
        table = self.query_one("#review", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_resubmit(self) -> None:
        entry = self._selected()
        if entry is None or self.approver is None:
            return
        if self.offline.active:
            self.say(self.t("Resubmitting waits for the store system: the till is offline."),
                     error=True)
            return
        if self.offline.resubmit(entry.id, self.approver):
            self.say(self.t("{number} sent again on your sign-in.", number=entry.offline_number))

    @work(exclusive=True, group="review-write-off")
    async def action_write_off(self) -> None:
        from pos.dialogs.confirm import ConfirmDialog

        entry = self._selected()
        if entry is None or self.approver is None:
            return
        yes = await self.app.push_screen_wait(ConfirmDialog(
            self.t("Write off {number}? It will never reach the store system.",
                   number=entry.offline_number), self.t("Write off")))
        if yes and self.offline.write_off(entry.id, by=name_in(self.approver),
                                          note=entry.reason):
            self.say(self.t("{number} written off.", number=entry.offline_number))

    def action_back(self) -> None:
        self.dismiss()
