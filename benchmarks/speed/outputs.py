"""What the speed benchmark writes: the CSV columns, the Markdown tables, the figure."""

from __future__ import annotations

import io

COLUMNS = [
    "row", "backend", "jit", "jit_requested", "T", "batch", "units", "features", "status",
    "gate_max_error", "train_seq_per_s", "ratio", "ratio_to", "forward_seq_per_s",
    "train_step_s", "forward_step_s", "compile_train_s", "compile_forward_s",
    "train_gflop_per_s", "forward_gflop_per_s", "flop_fraction", "peak_memory_mb",
    "memory_source", "memory_floor_mb", "memory_over_floor", "params", "error",
]  # fmt: skip


def number(value, digits=3) -> str:
    if value is None or value == "":
        return ""
    return f"{value:.{digits}g}" if isinstance(value, float) else str(value)


def markdown_table(results: list[dict]) -> str:
    header = (
        "| row | backend | jit | T | batch | units | train seq/s | ratio | forward seq/s "
        "| compile s | GFLOP/s (train) | of peak FLOP/s | peak MB | × floor | gate |\n"
        + "|---" * 15
        + "|\n"
    )
    lines = []
    for r in results:
        status = r.get("status")
        gate = "n/a" if r.get("gate_max_error") is None else f"{r['gate_max_error']:.1e}"
        if status != "ok":
            gate = f"{status}: {r.get('error') or gate}"
        cells = [
            r["row"], r["backend"], r["jit"], r["T"], r["batch"], r["units"],
            number(r.get("train_seq_per_s"), 4), number(r.get("ratio"), 3),
            number(r.get("forward_seq_per_s"), 4), number(r.get("compile_train_s"), 2),
            number(r.get("train_gflop_per_s"), 3), number(r.get("flop_fraction"), 2),
            number(r.get("peak_memory_mb"), 3), number(r.get("memory_over_floor"), 3), gate,
        ]  # fmt: skip
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return header + "\n".join(lines) + "\n"


def fits_table(lines: list[dict]) -> str:
    header = (
        "| row | backend | jit | batch | units | ms per timestep | ms at T=0 | R² "
        "| MB per timestep | MB at T=0 | R² |\n" + "|---" * 11 + "|\n"
    )
    body = []
    for f in lines:
        memory = [number(f.get(f"memory_mb_{part}"), 4) for part in ("per_T", "at_T0", "r2")]
        body.append(
            f"| {f['row']} | {f['backend']} | {f['jit']} | {f['batch']} | {f['units']} "
            f"| {f['step_ms_per_T']:.4g} | {f['step_ms_at_T0']:.3g} | {f['step_ms_r2']:.4f} "
            f"| {' | '.join(memory)} |"
        )
    return header + "\n".join(body) + "\n"


def time_against_length_png(results: list[dict]) -> bytes:
    """Training step time against T, one panel per (batch, units), log-log."""
    import matplotlib  # Only when the figure is drawn: measuring never needs it.

    matplotlib.use("Agg")  # Headless: the figure goes to a file.
    from matplotlib import pyplot

    panels = sorted({(r["batch"], r["units"]) for r in results})
    figure, axes = pyplot.subplots(
        1, len(panels), figsize=(5.2 * len(panels), 4.2), dpi=100, squeeze=False
    )
    for axis, (batch, units) in zip(axes[0], panels, strict=True):
        series: dict = {}
        for r in results:
            if r.get("status") == "ok" and (r["batch"], r["units"]) == (batch, units):
                label = f"{r['row']} ({r['backend']}, jit {r['jit']})"
                series.setdefault(label, []).append((r["T"], 1e3 * r["train_step_s"]))
        for label, points in series.items():
            points.sort()
            axis.plot(*zip(*points, strict=True), marker="o", markersize=3, label=label)
        axis.set(xscale="log", yscale="log", xlabel="sequence length T", ylabel="ms per step")
        axis.set_title(f"training step, batch {batch}, units {units}", fontsize=9)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=6)
    figure.tight_layout()
    png = io.BytesIO()
    figure.savefig(png, format="png", metadata={"Software": None})  # The same bytes every run.
    pyplot.close(figure)
    return png.getvalue()
