"""The comparison table: one row per run, accuracy on each test split."""

from __future__ import annotations

SPLITS = ("test", "test_long")


def markdown_table(runs) -> str:
    header = "| run | model | task | seed | " + " | ".join(SPLITS) + " |"
    lines = [header, "|" + "---|" * (4 + len(SPLITS))]
    for run in runs:
        cells = [run.path.name, run.config.model, run.config.task, str(run.config.seed)]
        cells += [f"{run.metrics[split]['accuracy']:.3f}" for split in SPLITS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
