"""Waiting for the till the way a cashier does: until it has finished what it
was doing, or until it is asking them something (a dialog is up)."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.worker import Worker

PATIENCE_ROUNDS = 3000
"""Polls of 10 ms; a worker still busy after that is a hang, reported by name."""


def _busy(app: App[None]) -> list[Worker[object]]:
    screen = app.screen
    modal = isinstance(screen, ModalScreen)
    busy = []
    for worker in app.workers:
        if not worker.is_running:
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
