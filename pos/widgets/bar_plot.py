"""A bar chart drawn in the terminal (plotext), redrawn from new figures (the
manager screen's; here so the screen file holds only the screen)."""

from __future__ import annotations

from collections.abc import Sequence

from textual_plotext import PlotextPlot


class BarPlot(PlotextPlot):
    """Labels along the bottom, one bar each; the title says the unit."""

    DEFAULT_CSS = """
    BarPlot { height: 1fr; min-height: 8; }
    """

    def show(self, title: str, labels: Sequence[str], values: Sequence[float], *,
             every: int = 1) -> None:
        """Name every ``every``-th bar: the ticks are ours, not plotext's pick
        (which changes with the moment it draws), so the picture is the same
        for the same figures."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        if labels:
            plt.bar(list(labels), list(values), width=0.6)
            shown = range(0, len(labels), every)
            plt.xticks([i + 1 for i in shown], [labels[i] for i in shown])
        self.refresh()
