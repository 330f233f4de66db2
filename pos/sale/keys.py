"""The sale screen's keys, most used first.

On a narrow screen the footer cuts from the right, and F1 lists every key; the
ids are what tests and the keys dialog look the keys up by.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from shared.i18n import N_

SALE_KEYS: list[BindingType] = [
    # Most used first: on a narrow screen the footer cuts from the right,
    # and F1 lists every key.
    Binding("f2", "pay_cash", N_("Cash"), id="pay_cash",
            tooltip=N_("Take cash, give change (less than due = split tender)")),
    Binding("f3", "pay_card", N_("Card"), id="pay_card", tooltip=N_("Charge the card terminal")),
    Binding("f5", "more", N_("+1"), id="qty_more", tooltip=N_("One more of the line")),
    Binding("f7", "less", N_("−1"), id="qty_less", tooltip=N_("One fewer of the line")),
    Binding("f9", "customer", N_("Customer"), id="customer",
            tooltip=N_("Find a customer, see their history, attach them to the sale")),
    Binding("ctrl+t", "line_discount", N_("Disc"), id="line_discount",
            tooltip=N_("Discount the selected line (% or amount)")),
    Binding("ctrl+b", "basket_discount", N_("Basket%"), id="basket_discount",
            tooltip=N_("The same percentage off every line")),
    Binding("ctrl+g", "pay_credit", N_("Gift"), id="pay_credit",
            tooltip=N_("Pay with a gift card or store credit")),
    Binding("ctrl+l", "pay_points", N_("Points"), id="pay_points",
            tooltip=N_("Pay with the customer's loyalty points")),
    Binding("f4", "park", N_("Park"), id="park",
            tooltip=N_("Park this sale, or recall a parked one when the till is empty")),
    Binding("ctrl+n", "void", N_("Void"), id="void_sale",
            tooltip=N_("Cancel the sale being rung up; its stock goes back")),
    Binding("shift+f9", "detach", N_("No cust."), key_display="⇧F9", id="detach_customer",
            tooltip=N_("Take the customer off this sale")),
    Binding("f6", "pickups", N_("Pickups"), id="pickups", tooltip=N_("Click-and-collect queue")),
    Binding("f11", "returns", N_("Returns"), id="returns", tooltip=N_("Returns desk")),
    # Priority: the scan field's Input would take Ctrl+K as "delete to the right".
    # A back-office key: listed under F1, kept out of the cashier's footer.
    Binding("ctrl+k", "stock_desk", N_("Stock"), id="stock_desk", priority=True, show=False,
            tooltip=N_("Stock desk: counts, goods received, damage, transfers")),
    Binding("ctrl+o", "manager", N_("Office"), id="manager", priority=True, show=False,
            tooltip=N_("Back office: figures, plots, low stock, audit (supervisor, manager)")),
    Binding("ctrl+u", "unlock_device", N_("Unlock"), id="unlock_device", priority=True,
            show=False, tooltip=N_("Unlock a kiosk or till of this store (a supervisor's PIN)")),
    Binding("ctrl+r", "offline_review", N_("Review"), id="offline_review", show=False,
            tooltip=N_("Refused offline sales: a supervisor resubmits or writes off")),
    Binding("f8", "reprint", N_("Reprint"), id="reprint", tooltip=N_("Print the last receipt")),
    Binding("f12", "till", N_("Till"), id="till", tooltip=N_("X report, cash in/out, close (Z)")),
    Binding("f10", "sign_out", N_("Sign out"), id="sign_out", tooltip=N_("Switch cashier")),
    Binding("f1", "app.keys", N_("Keys"), id="keys", tooltip=N_("Every key of this screen")),
    # The scan field keeps the focus and has no use for up and down: they
    # move the line selection, so F5/F7/Ctrl+T never need the mouse.
    Binding("up", "line(-1)", N_("Line up"), id="line_up", show=False),
    Binding("down", "line(1)", N_("Line down"), id="line_down", show=False),
]
