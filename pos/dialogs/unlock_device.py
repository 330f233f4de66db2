"""A supervisor unlocks a kiosk (or another till) of this store from the till.

A kiosk locked by wrong codes tells its shopper to ask staff; staff come to a
till, open this (Ctrl+U), pick the device, and a supervisor types their PIN. The
PIN counts against this till's own lock, as at the till's own unlock, so the
dialog is no way round the lockout; the core records who unlocked what.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from pos.pin_shape import NOT_A_PIN, is_pin_shaped
from pos.screens.base import StaffDialog
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import N_
from shared.schemas.auth import StoreDevice


def describe(device: StoreDevice, t: Callable[..., str] = lambda message, **values:
             message.format(**values)) -> str:
    """One row of the list: the device, and what of it is locked till when (``t``:
    in the till's language)."""
    name = f"{device.name} ({device.kind.value})"
    if not device.locks:
        return t("{device} — not locked", device=name)
    locks = ", ".join(device.locks)
    if device.locked_until:
        return t("{device} — LOCKED: {locks} until {until} UTC", device=name, locks=locks,
                 until=f"{device.locked_until:%H:%M}")
    return t("{device} — LOCKED: {locks}", device=name, locks=locks)


class UnlockDeviceDialog(StaffDialog[None]):
    STATUS_LINE = "#unlock-said"
    BINDINGS = [("escape", "close", N_("Close"))]

    def __init__(self) -> None:
        super().__init__()
        self.devices: list[StoreDevice] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock-device", classes="dialog"):
            yield Label(self.t("Unlock a kiosk or till of this store"), classes="title")
            yield OptionList(id="unlock-devices")
            yield Label(self.t("Choose the device (↑ ↓), then a supervisor types their PIN and "
                               "presses Enter (Esc closes)"), id="unlock-prompt")
            yield Input(password=True, id="unlock-pin", max_length=8, restrict=r"[0-9]*")
            yield Label("", id="unlock-said")

    def on_mount(self) -> None:
        self.query_one("#unlock-pin", Input).focus()
        self.load()

    @property
    def chosen(self) -> StoreDevice | None:
        index = self.query_one("#unlock-devices", OptionList).highlighted
        return self.devices[index] if index is not None and index < len(self.devices) else None

    @work(exclusive=True, group="devices")
    async def load(self, keep: int | None = None) -> None:
        try:
            self.devices = await self.app.client.call(Api.store_devices())
        except CommerceError as error:
            self.say(self.app.explain(error))
            return
        listed = self.query_one("#unlock-devices", OptionList)
        listed.clear_options()
        listed.add_options([Option(describe(d, self.t), id=str(d.id)) for d in self.devices])
        locked = next((n for n, d in enumerate(self.devices) if d.locks), 0)
        ids = [d.id for d in self.devices]
        listed.highlighted = ids.index(keep) if keep in ids else locked

    def key_up(self) -> None:
        self.query_one("#unlock-devices", OptionList).action_cursor_up()

    def key_down(self) -> None:
        self.query_one("#unlock-devices", OptionList).action_cursor_down()

    @on(Input.Submitted, "#unlock-pin")
    def submitted(self, event: Input.Submitted) -> None:
        pin, event.input.value = event.value, ""
        device = self.chosen
        if device is None:
            self.say(self.t("Choose a device first."))
        elif pin and not is_pin_shaped(pin):
            self.say(self.t(NOT_A_PIN))
        elif pin:
            self.unlock(device, pin)

    @work(exclusive=True, group="unlock")
    async def unlock(self, device: StoreDevice, pin: str) -> None:
        try:
            done = await self.app.client.call(Api.unlock_device(pin, device.id))
        except CommerceError as error:
            self.say(self.app.explain(error))
            return
        self.say(self.t("Unlocked {device} ({what}) by {who}.", device=done.device.name,
                        what=", ".join(done.unlocked), who=done.by.name)
                 if done.unlocked else self.t("{device} was not locked.",
                                              device=done.device.name))
        self.load(keep=device.id)

    def action_close(self) -> None:
        self.dismiss(None)
