"""The suite's one table: each figure on a line, and the target it is held to
beside it with the verdict (met, or missed by how much), so nobody has to look
a target up elsewhere or do the division."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Op = Literal[">=", "<=", "<", "=="]


@dataclass(frozen=True, slots=True)
class Target:
    """A figure held to a number: ``value op wanted``."""

    name: str
    value: float
    op: Op
    wanted: float
    unit: str = ""
    """``ms``, ``x`` (a ratio), or empty for a bare number."""

    @property
    def met(self) -> bool | None:
        if math.isnan(self.value):
            return None
        return {">=": self.value >= self.wanted, "<=": self.value <= self.wanted,
                "<": self.value < self.wanted, "==": self.value == self.wanted}[self.op]

    def _num(self, value: float, *, wanted: bool = False) -> str:
        if wanted:
            text = f"{value:g}"
        elif self.unit == "x" or (not self.unit and value != int(value)):
            text = f"{value:.2f}"
        else:
            text = f"{value:.1f}" if abs(value) < 100 and value != int(value) else f"{value:,.0f}"
        return text + ("x" if self.unit == "x" else f" {self.unit}" if self.unit else "")

    @property
    def wanted_text(self) -> str:
        return f"{self.op} {self._num(self.wanted, wanted=True)}"

    @property
    def figure_text(self) -> str:
        return "not run" if math.isnan(self.value) else self._num(self.value)

    @property
    def verdict(self) -> str:
        """``met``, or how far off as a factor (or a difference, against zero)."""
        met = self.met
        if met is None:
            return "-"
        if met:
            return "met"
        if self.op == "==" or self.wanted == 0 or self.value == 0:
            return f"MISSED by {abs(self.value - self.wanted):g}"
        factor = self.wanted / self.value if self.op == ">=" else self.value / self.wanted
        return f"MISSED by {factor:.2f}x"

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"met": self.met, "verdict": self.verdict}


@dataclass(slots=True)
class Line:
    """One figure of the table; ``targets`` are printed beside it (one a line)."""

    area: str
    case: str
    figures: str
    targets: list[Target] = field(default_factory=list)
    note: str = ""
    """In place of a verdict when no target applies (``no target``, ``not run: why``)."""


def _target_text(target: Target) -> str:
    return f"{target.name} {target.figure_text} {target.wanted_text}"


def render(lines: list[Line]) -> str:
    area_w = max([len(x.area) for x in lines] + [4])
    case_w = max([len(x.case) for x in lines] + [4])
    fig_w = max([len(x.figures) for x in lines] + [7])
    target_w = max([len(_target_text(t)) for x in lines for t in x.targets] + [6])
    head = (f"{'area':{area_w}}  {'case':{case_w}}  {'figures':{fig_w}}  "
            f"{'target':{target_w}}  verdict")
    out = [head, "-" * len(head)]
    last_area = ""
    for line in lines:
        if line.area != last_area and last_area:
            out.append("")
        area = line.area if line.area != last_area else ""
        last_area = line.area
        first = f"{area:{area_w}}  {line.case:{case_w}}  {line.figures:{fig_w}}  "
        if not line.targets:
            out.append((first + f"{'':{target_w}}  {line.note}").rstrip())
            continue
        for i, target in enumerate(line.targets):
            lead = first if i == 0 else " " * len(first)
            out.append(f"{lead}{_target_text(target):{target_w}}  {target.verdict}")
    return "\n".join(out)
