"""The key names in the footer and the F1 list, in the cashier's language.

Textual builds a screen's bindings once per class, from ``BINDINGS``; the till's
language is known only when the app starts (``OMNITILL_TILL_LANGUAGE``). Each
screen and dialog therefore translates its own copy of the bindings when it is
made: the description and the tooltip of every binding are looked up in the
``till`` catalog (they are marked with ``N_`` where they are written), the key,
the action and the id stay as they are, so a remapped key (``OMNITILL_KEYS``)
still finds its binding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

__all__ = ["speak_bindings"]


def _said(binding: Binding, t: Callable[[str], str]) -> Binding:
    return replace(binding, description=t(binding.description) if binding.description else "",
                   tooltip=t(binding.tooltip) if binding.tooltip else "")


def speak_bindings(node: DOMNode, t: Callable[[str], str]) -> None:
    """Put ``node``'s own bindings (a copy made for it) in the language of ``t``."""
    bindings = node._bindings
    bindings.key_to_bindings = {key: [_said(binding, t) for binding in group]
                                for key, group in bindings.key_to_bindings.items()}
