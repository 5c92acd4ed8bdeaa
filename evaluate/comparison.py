"""Markdown tables: one row per run, and one row per model (its seeds aggregated)."""

from __future__ import annotations

import math

SPLITS = ("test", "test_long")


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def markdown_table(runs, accuracies=None, columns=SPLITS) -> str:
    """One row per run: its accuracy on each test split (or other ``columns``, e.g. the
    files of a suite of minimal pairs; "–" where a run has none).

    ``accuracies``: {run path: {split: accuracy}}; by default ``metrics.json``'s.
    """
    rows = []
    for run in runs:
        scores = (
            accuracies[run.path] if accuracies else {s: run.metrics[s]["accuracy"] for s in SPLITS}
        )
        rows.append(
            [run.path.name, run.config.model, run.config.task, str(run.config.seed)]
            + [f"{scores[column]:.3f}" if column in scores else "–" for column in columns]
        )
    return markdown(["run", "model", "task", "seed", *columns], rows)


def interval_text(low: float, high: float) -> str:
    return "–" if math.isnan(low) else f"[{low:.3f}, {high:.3f}]"


def spread_text(row: dict) -> str:
    """``0.912 ± 0.010 (0.900–0.925)`` across seeds, or just the accuracy for one run."""
    if row["runs"] == 1:
        return f"{row['mean']:.3f}"
    return f"{row['mean']:.3f} ± {row['std']:.3f} ({row['min']:.3f}–{row['max']:.3f})"


def model_table(rows: list[dict], grouping: str, splits=SPLITS) -> str:
    """Per model and group: accuracy across seeds and the 95% interval of the pooled counts."""
    chosen = [r for r in rows if r["grouping"] == grouping and r["split"] in splits]
    header = ["model", "split", grouping if grouping != "all" else "sentences", "runs", "n"]
    header += ["accuracy (mean ± std, min–max)", "pooled 95% CI"]
    body = [
        [
            r["model"],
            r["split"],
            str(r["group"]),
            str(r["runs"]),
            str(r["count"]),
            spread_text(r),
            interval_text(r["ci_low"], r["ci_high"]),
        ]
        for r in chosen
    ]
    return markdown(header, body)
