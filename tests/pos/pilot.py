"""Driving the till the way a cashier does: type, wait until it has finished
what it was doing or is asking something (a dialog is up), read the screen."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static
from textual.worker import Worker

from tests.support import wait_for_async

PATIENCE_ROUNDS = 3000
"""Polls of 10 ms; a worker still busy after that is a hang, reported by name."""

FOLLOWER_GROUP = "follower"
"""Workers that follow the core's event stream for the app's whole life: never
"finished", so nobody waits for them."""


def _busy(app: App[None]) -> list[Worker[object]]:
    screen = app.screen
    modal = isinstance(screen, ModalScreen)
    busy = []
    for worker in app.workers:
        if not worker.is_running or worker.group == FOLLOWER_GROUP:
            continue
        # A worker waiting for the answer to the dialog on top is waiting for a person.
        if modal and worker.node is not screen and screen not in worker.node.ancestors:
            continue
        busy.append(worker)
    return busy


async def settle(app: App[None], pilot: Pilot[None]) -> None:
    for _ in range(PATIENCE_ROUNDS):
        await pilot.pause(0.01)
        if not _busy(app):
            await pilot.pause()
            if not _busy(app):
                return
    raise AssertionError(f"the till is still busy: {_busy(app)}")


async def sign_in(app: App[None], pilot: Pilot[None], pin: str = "1111") -> None:
    """Type a PIN on the login screen as the cashier does."""
    await pilot.press(*pin, "enter")
    await settle(app, pilot)


def text_of(app: App[None], selector: str) -> str:
    """What a label on the current screen says."""
    return str(app.screen.query_one(selector, Label | Static).render())


def status(app: App[None]) -> str:
    return text_of(app, "#status")


async def wait_until(app: App[None], pilot: Pilot[None], ready: Callable[[], bool], *,
                     what: str, seconds: float = 10.0) -> None:
    """Wait for a state the screen should reach, with a deadline (never a fixed sleep)."""
    await wait_for_async(ready, what, seconds, pause=pilot.pause)


async def tap(app: App[None], pilot: Pilot[None], selector: str) -> None:
    """Press a button as a person does: once it is enabled and has finished showing
    the previous press. (A Textual button ignores a click while its 0.2 s press
    effect lasts, so two quick taps add one; a test must not tap inside it.)"""
    button = app.screen.query_one(selector, Button)
    await wait_until(app, pilot, lambda: not button.disabled and not button.has_class("-active"),
                     what=f"{selector} to be ready for a press")
    assert await pilot.click(selector), f"the click on {selector} landed elsewhere"
