"""The analyses' figures, rendered headless (Agg) to PNG bytes, deterministically."""

from __future__ import annotations

import io
import math


def subplots(*args, figsize=(6.4, 3.8), dpi=100, **kwargs):
    """(figure, axes) on a matplotlib ``Figure`` of its own: pyplot's global state (its
    backend, its list of open figures) is never touched, so calling an analysis inside a
    notebook leaves the notebook's plots alone."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize, dpi=dpi)
    return figure, figure.subplots(*args, **kwargs)


def pyplot():
    """pyplot on the headless Agg backend, for code that needs pyplot itself."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def png_bytes(figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    if figure.canvas.manager is not None:  # made by pyplot: let pyplot forget it
        pyplot().close(figure)
    return buffer.getvalue()


def accuracy_lines_png(
    series: dict,
    xlabel: str,
    title: str,
    categorical: bool = False,
    log_x: bool = False,
    ticks: dict | None = None,
) -> bytes:
    """Accuracy against a grouping, one line per model with its 95% interval as a band.

    ``series``: {label: [(x, accuracy, low, high), …]}; with ``categorical`` the x
    values are labels (buckets) placed in the order of their first appearance. ``log_x``
    puts x on a log axis; ``ticks`` ({x: label}) replaces its tick marks.
    """
    figure, axes = subplots(figsize=(6.4, 3.8), dpi=100)
    order: list = []
    for points in series.values():
        order.extend(x for x, *_ in points if x not in order)
    for label, points in series.items():
        points = [p for p in points if not math.isnan(p[1])]
        xs = [order.index(p[0]) if categorical else p[0] for p in points]
        line = axes.plot(xs, [p[1] for p in points], marker="o", markersize=3, label=label)[0]
        axes.fill_between(
            xs, [p[2] for p in points], [p[3] for p in points], alpha=0.2, color=line.get_color()
        )
    if categorical:
        axes.set_xticks(range(len(order)), [str(x) for x in order], rotation=45, fontsize=8)
    if log_x:
        axes.set_xscale("log")
    if ticks:
        axes.set_xticks(list(ticks), list(ticks.values()), fontsize=8)
        axes.minorticks_off()
    axes.axhline(0.5, color="grey", linewidth=0.8, linestyle=":")
    axes.set_ylim(0.0, 1.02)
    axes.set_xlabel(xlabel)
    axes.set_ylabel("accuracy (95% interval)")
    axes.set_title(title, fontsize=10)
    axes.legend(fontsize=8)
    return png_bytes(figure)
