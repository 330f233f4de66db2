"""Finding a customer for the back office: the sale screen's customer search
(F9), where F2 chooses the customer shown instead of attaching them to a sale."""

from __future__ import annotations

from textual.binding import Binding

from pos.screens.customer import CustomerScreen
from shared.i18n import N_


class PickCustomerScreen(CustomerScreen):
    BINDINGS = [
        Binding("f2", "attach", N_("Choose"), id="pick_customer",
                tooltip=N_("This customer: their data request is answered next")),
    ]
