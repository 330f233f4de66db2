"""Finding a customer for the back office: the sale screen's customer search
(F9), where F2 chooses the customer shown instead of attaching them to a sale."""

from __future__ import annotations

from textual.binding import Binding

from pos.screens.customer import CustomerScreen


class PickCustomerScreen(CustomerScreen):
    BINDINGS = [
        Binding("f2", "attach", "Choose", id="pick_customer",
                tooltip="This customer: their data request is answered next"),
    ]
