"""Choosing colour and size as a shopper does in a shop: one row of colours, one
row of sizes (in size order, as the core sends them), the chosen ones lit, a
size this store has none of crossed out (still choosable: it can be ordered),
a size not made in the chosen colour greyed out. Rows wrap, so a shoe in
twelve sizes fits a narrow screen without a cap on what can be chosen."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import ItemGrid
from textual.message import Message
from textual.widgets import Button, Label, Static

from kiosk.base import KioskVertical
from shared.i18n import N_
from shared.schemas.catalog import ProductDetail, VariantOut


def _out(variants: list[VariantOut]) -> bool:
    """None of these in this store (unknown counts as there: no store, no marks)."""
    return bool(variants) and all(v.available_here == 0 for v in variants)


def has_choices(detail: ProductDetail) -> bool:
    """A product in one form (a book, a moka pot) has nothing to choose."""
    return bool(detail.colours or detail.sizes)


CROSSED_OUT = N_("Crossed out: none in this store right now (you can still order it).")


@dataclass(frozen=True, slots=True)
class _Choice:
    """One colour or size button as it should look."""

    label: str
    id: str
    kind: str
    selected: bool
    out: bool
    why: str
    not_made: bool


class VariantPicker(KioskVertical):
    DEFAULT_CSS = """
    VariantPicker { height: auto; }
    VariantPicker ItemGrid { height: auto; grid-gutter: 0 1; }
    VariantPicker Button { width: 100%; min-width: 6; margin: 0; }
    VariantPicker Button.-selected { text-style: bold; }
    VariantPicker Button.-unavailable { text-style: strike; color: $text-muted; }
    VariantPicker Button.-unavailable.-selected { text-style: bold strike; color: $text; }
    VariantPicker #variant-note { color: $text-muted; }
    """

    @dataclass
    class VariantChosen(Message):
        """The shopper chose a colour or a size: this SKU is the one they want."""

        picker: VariantPicker
        sku: str

    def __init__(self, detail: ProductDetail, sku: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.detail = detail
        self.sku = sku

    @property
    def current(self) -> VariantOut:
        variants = self.detail.variants
        return next((v for v in variants if v.sku == self.sku), variants[0])

    def _colour_name(self, colour: str | None) -> str:
        """The colour in the shopper's language (the core's ``colour_name``)."""
        return next((v.colour_name for v in self.detail.variants
                     if v.colour == colour and v.colour_name), colour or "")

    def _of_colour(self, colour: str | None) -> list[VariantOut]:
        return [v for v in self.detail.variants if v.colour == colour]

    def _with_size(self, size: str) -> VariantOut | None:
        colour = self.current.colour
        return next((v for v in self.detail.variants
                     if v.size == size and (v.colour == colour or not self.detail.colours)),
                    None)

    def _plan(self) -> tuple[dict[str, str], list[_Choice], bool]:
        """What the picker shows: its two labels' words, its buttons, and whether
        the crossed-out note is needed. Composing and updating in place share it."""
        t = self.app.t
        current = self.current
        labels: dict[str, str] = {}
        choices: list[_Choice] = []
        if self.detail.colours:
            labels["colour-label"] = (t("Colour")
                                      + f": [b]{self._colour_name(current.colour)}[/b]")
            for index, colour in enumerate(self.detail.colours):
                out = _out(self._of_colour(colour))
                choices.append(_Choice(self._colour_name(colour), f"colour-{index}", "colour",
                                       colour == current.colour, out,
                                       t(CROSSED_OUT) if out else "", False))
        if self.detail.sizes:
            labels["size-label"] = t("Size") + f": [b]{current.size or ''}[/b]"
            for index, size in enumerate(self.detail.sizes):
                variant = self._with_size(size)
                out = variant is not None and _out([variant])
                choices.append(_Choice(size, f"size-{index}", "size", size == current.size,
                                       out, t(CROSSED_OUT) if out else "", variant is None))
        return labels, choices, any(c.out for c in choices)

    def compose(self) -> ComposeResult:
        labels, choices, crossed = self._plan()
        for kind, grid in (("colour", ItemGrid(id="colours", min_column_width=14,
                                                max_column_width=22)),
                           ("size", ItemGrid(id="sizes", min_column_width=8,
                                             max_column_width=12))):
            if f"{kind}-label" not in labels:
                continue
            yield Label(labels[f"{kind}-label"], classes="section", id=f"{kind}-label")
            with grid:
                for choice in choices:
                    if choice.kind == kind:
                        yield self._button(choice)
        if crossed:
            yield Static(self.app.t(CROSSED_OUT), id="variant-note")

    def _button(self, choice: _Choice) -> Button:
        classes = " ".join(c for c in (choice.kind, "-selected" if choice.selected else "",
                                       "-unavailable" if choice.out else "") if c)
        button = Button(choice.label, id=choice.id, classes=classes,
                        variant="primary" if choice.selected else "default")
        self._dress(button, choice)
        return button

    def _dress(self, button: Button, choice: _Choice) -> None:
        """What a button says beyond its label: not made (greyed out), or crossed out."""
        button.disabled = choice.not_made
        if choice.not_made:
            button.tooltip = self.app.t("Not made in this colour")
        else:
            button.tooltip = choice.why or None

    def _update(self) -> bool:
        """Put the plan on the buttons already there; False when it needs other
        buttons (other colours or sizes, or the note comes or goes)."""
        labels, choices, crossed = self._plan()
        buttons = {b.id: b for b in self.query(Button).results(Button)}
        if ([c.id for c in choices] != list(buttons)
                or set(labels) != {w.id for w in self.query(Label).results(Label)}
                or crossed != bool(self.query("#variant-note"))):
            return False
        for id, words in labels.items():
            self.query_one(f"#{id}", Label).update(words)
        for choice in choices:
            button = buttons[choice.id]
            button.label = choice.label
            button.set_class(choice.selected, "-selected")
            button.set_class(choice.out, "-unavailable")
            button.variant = "primary" if choice.selected else "default"
            self._dress(button, choice)
        return True

    async def show(self, detail: ProductDetail, sku: str) -> None:
        """New figures (or a new choice) from the screen: draw them, on the buttons
        already there when the choices are the same ones (a new selection, or
        another product of the same colours and sizes); composing them anew is
        most of the time a change here takes."""
        self.detail, self.sku = detail, sku
        if not (self.is_mounted and self._update()):
            await self.recompose()

    @on(Button.Pressed, ".colour")
    async def colour_chosen(self, event: Button.Pressed) -> None:
        event.stop()
        colour = self.detail.colours[int((event.button.id or "colour-0").rpartition("-")[2])]
        candidates = self._of_colour(colour)
        same_size = [v for v in candidates if v.size == self.current.size]
        in_store = [v for v in candidates if v.available_here != 0]
        await self._choose((same_size or in_store or candidates)[0].sku)

    @on(Button.Pressed, ".size")
    async def size_chosen(self, event: Button.Pressed) -> None:
        event.stop()
        size = self.detail.sizes[int((event.button.id or "size-0").rpartition("-")[2])]
        variant = self._with_size(size)
        if variant is not None:
            await self._choose(variant.sku)

    async def _choose(self, sku: str) -> None:
        if sku != self.sku:
            await self.show(self.detail, sku)
            self.post_message(self.VariantChosen(self, sku))
