"""The sale screen's keys to the till's other desks: pickups, returns, stock,
the back office, unlocking a device, refused offline sales and the till itself.

Each desk opens over the sale, which stays as it was until the cashier is back.
"""

from __future__ import annotations

from pos.screens.base import StaffScreen
from shared.schemas.enums import Role


class OtherDesks(StaffScreen[None]):
    """The sale screen's base: its actions that open another desk."""

    def action_pickups(self) -> None:
        from pos.screens.pickups import PickupsScreen

        self.app.push_screen(PickupsScreen())

    def action_stock_desk(self) -> None:
        """Ctrl+K: the stock desk (supervisor actions ask for a PIN there)."""
        from pos.screens.stock_desk import StockDeskScreen

        self.app.push_screen(StockDeskScreen())

    def action_unlock_device(self) -> None:
        """Ctrl+U: a kiosk that told its shopper to ask staff is unlocked from here."""
        from pos.dialogs.unlock_device import UnlockDeviceDialog

        self.app.push_screen(UnlockDeviceDialog())

    def action_manager(self) -> None:
        """Ctrl+O: the back office, for a supervisor (their store) or a manager."""
        from pos.screens.manager import ManagerScreen

        staff = self.app.staff
        if staff is None or not staff.role.at_least(Role.SUPERVISOR):
            self.say(self.t("The back office is for a supervisor or a manager: sign in as one "
                            "(F10) to open it."), error=True)
            return
        self.app.push_screen(ManagerScreen())

    def action_offline_review(self) -> None:
        from pos.screens.offline_review import OfflineReviewScreen

        if self.app.offline is not None:
            self.app.push_screen(OfflineReviewScreen())

    def action_till(self) -> None:
        from pos.screens.till import TillScreen

        self.app.push_screen(TillScreen())

    def action_returns(self) -> None:
        from pos.screens.returns import ReturnsScreen

        self.app.push_screen(ReturnsScreen())
