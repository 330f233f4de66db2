"""Typing anything into an app's fields (issue 11): what hypothesis throws at
every Input of the kiosk and the till, and the one way it is typed.

Text reaches a field as a paste (what a terminal sends for pasted text and many
scanners in keyboard mode), so the field's own ``restrict`` and ``max_length``
apply exactly as for a person; control characters, NUL and emoji get in, which
single key presses could not carry. Then Enter, and the app must still run."""

from __future__ import annotations

import os
from collections.abc import Iterable

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from tests.pos.pilot import settle

DRAWS = int(os.environ.get("OMNITILL_FUZZ_DRAWS", "4"))
"""Texts per field in one run of ``make test``; raise it for a long hunt
(``OMNITILL_FUZZ_DRAWS=50``); 40 found nothing more at the last look."""

TRICKY = [
    "moka/..", "../", "../../etc/passwd", "%", "%00", "%2e%2e%2f", "\x00", "a\x00b", "😀🛒",
    "²²²²²²²²²²²²²", "٣٣٣٣٣٣٣٣", "١٢٣٤٥٦٧٨٩٠١٢٣", "৪৪৪৪৪৪৪৪", "99999999999999999999",
    "-1", "0", "1e309", "NaN", "inf", "-0,01", "1.000.000,00", "9" * 40, "12,345,678.9",
    "OT1:", "OT1:R:", "OT1:R:1:", "OT1:R:99999999999999999999:x", "OT1:O:../..:%00",
    "OT1:L:\x00:x", "OT1:C:😀", "OT1:P:moka/..", "OT1:P:?a=b#c", "ot1:r:1:1", "OT1:X:1",
    "?", "#", "\\", "'; DROP TABLE orders; --", "%s%n", "{}", "[null]", " ", "\t",
    "\u202etxt.exe", "\ufeff1", "ℌ𝔢𝔩𝔩𝔬", "Ａ１", "a" * 500,
]

_CODE_PREFIX = st.sampled_from(["OT1:P:", "OT1:C:", "OT1:O:", "OT1:R:", "OT1:L:", "OT1:", ""])
_DIGITS = st.characters(categories=["Nd", "No"])

fuzz_text = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.text(_DIGITS, min_size=1, max_size=20),
    st.builds(lambda p, a, b: f"{p}{a}:{b}", _CODE_PREFIX, st.text(max_size=12),
              st.text(max_size=12)),
    st.builds(lambda p, n: f"{p}{n}", _CODE_PREFIX, st.integers(-(2**70), 2**70)),
    st.text(min_size=200, max_size=2000),
)
"""Unicode (control characters included), digits of other scripts, numbers past
64 bits, path tricks, things that look like our ``OT1`` codes, very long text."""


def texts(count: int) -> list[str]:
    """``count`` texts from hypothesis, to type into one running app (an app per
    example would take minutes). A failure names the field and the text, which
    becomes an explicit regression test."""
    found: list[str] = []

    @given(fuzz_text)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    def collect(text: str) -> None:
        found.append(text)

    collect()
    return found


def still_running(app: App[None]) -> None:
    """No exception escaped and nothing asked the app to quit."""
    assert app.is_running, "the app stopped"
    assert app.return_code is None, f"the app exited with {app.return_code}"
    assert app._exception is None, f"the app crashed: {app._exception!r}"


async def paste_into(app: App[None], pilot: Pilot[None], selector: str, text: str) -> None:
    """Replace the text of the field ``selector`` of the screen in front with ``text``."""
    field = app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    field.post_message(events.Paste(text))
    await pilot.pause()


async def type_and_enter(app: App[None], pilot: Pilot[None], selector: str, text: str) -> None:
    """Into the field ``selector`` of the screen in front: replace its text with
    ``text`` (pasted), press Enter, wait for what that started."""
    await paste_into(app, pilot, selector, text)
    await pilot.press("enter")
    try:
        await settle(app, pilot)
        still_running(app)
    except Exception as error:
        shown = f"{text[:120]!r}… ({len(text)} characters)" if len(text) > 120 else repr(text)
        raise AssertionError(f"{selector} ← {shown}: {error}") from error


async def back_to(app: App[None], pilot: Pilot[None], screens: Iterable[type]) -> None:
    """Close whatever the input opened (a dialog, a product, a desk) with Escape,
    as a person would, until a screen of the given kinds is in front again."""
    kinds = tuple(screens)
    for _ in range(6):
        if isinstance(app.screen, kinds):
            break
        await pilot.press("escape")
        await settle(app, pilot)
    assert isinstance(app.screen, kinds), f"Escape does not leave {app.screen!r}"
    still_running(app)
