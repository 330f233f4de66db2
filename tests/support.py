"""What tests share besides fixtures: the seeded-database record, settings, and
the one way a test waits for a state."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from core.settings import CoreSettings

SECRET = "test-secret-" + "x" * 40

T = TypeVar("T")


def _late(what: str, seconds: float, context: Callable[[], str] | None) -> AssertionError:
    said = f"waited {seconds:g} s for {what}"
    return AssertionError(f"{said}; {context()}" if context else said)


def wait_for(check: Callable[[], T], what: str, seconds: float = 30.0, *,
             step: float = 0.02, context: Callable[[], str] | None = None) -> T:
    """Poll ``check`` until it returns something truthy, and return that; fail
    naming ``what`` (and ``context()``, what the test could see) after ``seconds``.

    Every test that needs a state waits through here, never with a fixed sleep: on a
    loaded machine a fixed sleep is a flake, and a deadline is what tells a slow
    state from one that never comes. ``step`` is only the pause between two looks."""
    deadline = time.monotonic() + seconds
    while not (value := check()):
        if time.monotonic() > deadline:
            raise _late(what, seconds, context)
        time.sleep(step)
    return value


async def wait_for_async(check: Callable[[], T], what: str, seconds: float = 30.0, *,
                         step: float = 0.02,
                         pause: Callable[[float], Awaitable[Any]] = asyncio.sleep,
                         context: Callable[[], str] | None = None) -> T:
    """:func:`wait_for` inside an event loop: ``pause`` lets the loop run between
    looks (a Textual test passes ``pilot.pause``, so the app handles its messages)."""
    deadline = time.monotonic() + seconds
    while not (value := check()):
        if time.monotonic() > deadline:
            raise _late(what, seconds, context)
        await pause(step)
    return value


@dataclass
class Seeded:
    """A seeded database (or a copy of one) and the device tokens its seeding printed."""

    url: str
    tokens: dict[str, dict[str, str]]


def make_settings(url: str, var_dir: Path) -> CoreSettings:
    return CoreSettings(database_url=url, var_dir=var_dir, secret=SECRET)
