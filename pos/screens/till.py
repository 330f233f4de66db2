"""The till session: X report at any time, cash in and out, and closing with
the counted cash (the Z report). A variance over the limit asks for a
supervisor's PIN right here instead of refusing. Cash going in or out opens the
drawer once the core has recorded it; reports print at the printer's width, in
a thread, while the screen keeps taking keys.

The count is blind for a cashier: their X report leaves out the expected cash
and what adds up to it (``report_lines(blind=True)``), and a variance over the
limit asks the supervisor without saying its size (a cashier who cancels and
counts again must not have learnt the figure). The Z report, once the count is
in, shows expected, counted and variance to everyone. A supervisor's X report
shows it all: they reconcile the drawer and approve variances."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Label, Static

from pos.dialogs.amount import AmountDialog
from pos.dialogs.supervisor import SupervisorDialog
from pos.fiscal import close_fiscal_day
from pos.printing import kick_drawer, print_document
from pos.screens.base import StaffScreen
from pos.till_report import report_lines
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import N_
from shared.receipt import WIDTH, print_lines
from shared.schemas.enums import Role
from shared.schemas.tills import CashMovementIn, TillClose, TillReport

BLIND_VARIANCE = N_("The count is off by more than the till allows: a supervisor must "
                    "approve closing with it (or count again).")
"""Said instead of the core's message, which gives the variance's size."""


class TillScreen(StaffScreen[None]):
    BINDINGS = [
        Binding("f2", "cash_in", N_("Cash in"), id="cash_in",
                tooltip=N_("Add change to the drawer")),
        Binding("f3", "cash_out", N_("Cash out"), id="cash_out",
                tooltip=N_("A cash drop to the safe or a paid-out")),
        Binding("f5", "refresh", N_("X report"), id="x_report", tooltip=N_("Refresh the X report")),
        Binding("f8", "print", N_("Print"), id="print_report", tooltip=N_("Print this report")),
        Binding("f12", "close_till", N_("Close till (Z)"), id="close_till",
                tooltip=N_("Count the drawer and close the till")),
        Binding("escape", "back", N_("Back"), id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: TillReport | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="till"):
            yield Label(self.t("Till session"), classes="title", id="till-title")
            with VerticalScroll(id="report-box"):
                yield Static(self.t("Loading…"), id="report", markup=False)
            yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()


    def _time(self, moment: object) -> str:
        store = self.app.here
        if not isinstance(moment, datetime):
            return str(moment)
        return moment.astimezone(ZoneInfo(store.timezone)).strftime("%d/%m/%Y %H:%M")

    def blind(self) -> bool:
        """Whether the one signed in counts blind: anyone below a supervisor."""
        staff = self.app.staff
        return staff is None or not Role(staff.role).at_least(Role.SUPERVISOR)

    def show(self, report: TillReport) -> None:
        self.report = report
        lines = report_lines(report, self.app.money, self._time,
                             blind=self.blind())
        self.query_one("#report", Static).update("\n".join(lines))

    @work(exclusive=True, group="till")
    async def action_refresh(self) -> None:
        if self.report is not None and self.report.kind == "Z":
            return
        try:
            self.show(await self.app.client.call(Api.till_report()))
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)

    @work(exclusive=True, group="till")
    async def move(self, kind: str) -> None:
        title = self.t("Cash into the drawer") if kind == "in" \
            else self.t("Cash out of the drawer")
        typed = await self.app.push_screen_wait(AmountDialog(title, ask_reason=True))
        if typed is None:
            return
        cents, reason = typed
        try:
            self.show(await self.app.client.call(Api.cash_movement(
                CashMovementIn(kind=kind, amount_cents=cents, reason=reason))))
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)
            return
        amount = self.app.money(cents)
        said = self.t("Cash in: {amount} ({reason}).", amount=amount, reason=reason) \
            if kind == "in" else \
            self.t("Cash out: {amount} ({reason}).", amount=amount, reason=reason)
        self.say(said)
        problem = await kick_drawer(self.app)
        if problem:
            self.say(f"{said} {problem}", error=True)

    def action_cash_in(self) -> None:
        if self._open():
            self.move("in")

    def action_cash_out(self) -> None:
        if self._open():
            self.move("out")

    def _open(self) -> bool:
        if self.report is not None and self.report.kind == "Z":
            self.say(self.t("The till is closed."), error=True)
            return False
        return True

    @work(exclusive=True, group="till")
    async def action_close_till(self) -> None:
        if not self._open():
            return
        app = self.app
        typed = await app.push_screen_wait(AmountDialog(
            self.t("Count the cash in the drawer and type the total")))
        if typed is None:
            return
        call = Api.close_till(TillClose(counted_cents=typed[0]))
        try:
            try:
                report = await app.client.call(call)
            except CommerceError as error:
                if error.code != "variance_needs_supervisor":
                    raise
                token = await app.push_screen_wait(SupervisorDialog(self.t(BLIND_VARIANCE)))
                if token is None:
                    self.say(self.t(BLIND_VARIANCE), error=True)
                    return
                report = await app.client.call(call.approved_by(token))
        except CommerceError as error:
            self.say(app.explain(error), error=True)
            return
        self.show(report)
        self.query_one("#till-title", Label).update(self.t("Till closed — Z report"))
        fiscal = await close_fiscal_day(app)  # the RT's own daily closure, with the till's
        self.say(" ".join(x for x in (self.t("Till closed."), fiscal,
                                      self.t("F8 prints the Z report; Esc signs out.")) if x))

    @work(group="print")
    async def action_print(self) -> None:
        report = self.report
        if report is None:
            return
        money, blind = self.app.money, self.blind()

        def layout(width: int) -> list[str]:
            return report_lines(report, money, self._time, width, blind=blind)

        self.say(self.t("Printing the report…"))
        printed, outcome = await print_document(
            self.app, layout(WIDTH), lambda printer: print_lines(printer, layout),
            what="report")
        self.say(outcome, error=not printed)

    def action_back(self) -> None:
        if self.report is not None and self.report.kind == "Z":
            self.app.sign_out()
        else:
            self.app.pop_screen()
