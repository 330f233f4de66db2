"""The sale screen's keys, most used first.

On a narrow screen the footer cuts from the right, and F1 lists every key; the
ids are what tests and the keys dialog look the keys up by.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

SALE_KEYS: list[BindingType] = [
    # Most used first: on a narrow screen the footer cuts from the right,
    # and F1 lists every key.
    Binding("f2", "pay_cash", "Cash", id="pay_cash",
            tooltip="Take cash, give change (less than due = split tender)"),
    Binding("f3", "pay_card", "Card", id="pay_card", tooltip="Charge the card terminal"),
    Binding("f5", "more", "+1", id="qty_more", tooltip="One more of the line"),
    Binding("f7", "less", "−1", id="qty_less", tooltip="One fewer of the line"),
    Binding("f9", "customer", "Customer", id="customer",
            tooltip="Find a customer, see their history, attach them to the sale"),
    Binding("ctrl+t", "line_discount", "Disc", id="line_discount",
            tooltip="Discount the selected line (% or amount)"),
    Binding("ctrl+b", "basket_discount", "Basket%", id="basket_discount",
            tooltip="The same percentage off every line"),
    Binding("ctrl+g", "pay_credit", "Gift", id="pay_credit",
            tooltip="Pay with a gift card or store credit"),
    Binding("ctrl+l", "pay_points", "Points", id="pay_points",
            tooltip="Pay with the customer's loyalty points"),
    Binding("f4", "park", "Park", id="park",
            tooltip="Park this sale, or recall a parked one when the till is empty"),
    Binding("ctrl+n", "void", "Void", id="void_sale",
            tooltip="Cancel the sale being rung up; its stock goes back"),
    Binding("shift+f9", "detach", "No cust.", key_display="⇧F9", id="detach_customer",
            tooltip="Take the customer off this sale"),
    Binding("f6", "pickups", "Pickups", id="pickups", tooltip="Click-and-collect queue"),
    Binding("f11", "returns", "Returns", id="returns", tooltip="Returns desk"),
    # Priority: the scan field's Input would take Ctrl+K as "delete to the right".
    # A back-office key: listed under F1, kept out of the cashier's footer.
    Binding("ctrl+k", "stock_desk", "Stock", id="stock_desk", priority=True, show=False,
            tooltip="Stock desk: counts, goods received, damage, transfers"),
    Binding("ctrl+o", "manager", "Office", id="manager", priority=True, show=False,
            tooltip="Back office: figures, plots, low stock, audit (supervisor, manager)"),
    Binding("ctrl+u", "unlock_device", "Unlock", id="unlock_device", priority=True,
            show=False, tooltip="Unlock a kiosk or till of this store (a supervisor's PIN)"),
    Binding("ctrl+r", "offline_review", "Review", id="offline_review", show=False,
            tooltip="Refused offline sales: a supervisor resubmits or writes off"),
    Binding("f8", "reprint", "Reprint", id="reprint", tooltip="Print the last receipt"),
    Binding("f12", "till", "Till", id="till", tooltip="X report, cash in/out, close (Z)"),
    Binding("f10", "sign_out", "Sign out", id="sign_out", tooltip="Switch cashier"),
    Binding("f1", "app.keys", "Keys", id="keys", tooltip="Every key of this screen"),
    # The scan field keeps the focus and has no use for up and down: they
    # move the line selection, so F5/F7/Ctrl+T never need the mouse.
    Binding("up", "line(-1)", "Line up", id="line_up", show=False),
    Binding("down", "line(1)", "Line down", id="line_down", show=False),
]
