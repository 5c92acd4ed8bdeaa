"""The tables ``python -m train`` prints at the end of a run."""

from __future__ import annotations

import shlex
from pathlib import Path

from train.run_contract import CONFIG_FILE, LOGS_DIR, METRICS_FILE

SPLIT_COLUMNS = ("test", "test_long")


def accuracy_table(metrics: dict, group: str, heading: str) -> str:
    """One row per group value (e.g. each dependency length), one column per test split.

    ``metrics`` is the content of ``metrics.json``; a split that has no sentence
    of some group value shows a dash there.
    """
    splits = [split for split in SPLIT_COLUMNS if split in metrics]
    values = sorted(
        {v for split in splits for v in metrics[split][group]},
        key=lambda v: (0, int(v), "") if v.lstrip("-").isdigit() else (1, 0, v),
    )
    counts = group.replace("by_", "count_by_")
    width = max(len(heading), 6)
    lines = [f"{heading:>{width}}  " + "  ".join(f"{split:>16}" for split in splits)]
    width = max(width, *(len(value) for value in values))
    lines[0] = f"{heading:>{width}}  " + "  ".join(f"{split:>16}" for split in splits)
    for value in values:
        cells = []
        for split in splits:
            accuracy = metrics[split][group].get(value)
            if accuracy is None:
                cells.append(f"{'-':>16}")
            else:
                count = metrics[split][counts][value]
                cells.append(f"{accuracy:>8.3f} ({count:>5})")
        lines.append(f"{value:>{width}}  " + "  ".join(cells))
    overall = "  ".join(
        f"{metrics[split]['accuracy']:>8.3f} ({metrics[split]['count']:>5})" for split in splits
    )
    lines.append(f"{'all':>{width}}  " + overall)
    return "\n".join(lines)


def final_report(metrics: dict, run_dir: str) -> str:
    by_role = []
    if any("by_verb_role" in metrics.get(split, {}) for split in SPLIT_COLUMNS):
        by_role = [
            "Accuracy by verb role (every agreeing verb is scored):",
            accuracy_table(metrics, "by_verb_role", "role"),
            "",
        ]
    return "\n".join(
        [
            f"Run written to {run_dir}",
            "",
            "Accuracy by dependency length (words between the subject and its verb):",
            accuracy_table(metrics, "by_dependency_length", "length"),
            "",
            "Accuracy by number of attractors (intervening nouns of the other number):",
            accuracy_table(metrics, "by_attractors", "attractors"),
            "",
            *by_role,
            f"Trained in {metrics['train_seconds']:.1f} s.",
            f"Dashboards: tensorboard --logdir {shlex.quote(str(Path(run_dir) / LOGS_DIR))}",
        ]
    )


def sweep_summary(experiment_dir) -> str:
    """Accuracy of every finished run of a sweep, one line each, named by its directory
    and, for a model of several names, the others: ``simplified_gru-seed0 (=
    gru_no_reset_gate)``, as a sweep trains such a model once."""
    import json

    rows = []
    for metrics_path in sorted(Path(experiment_dir).glob(f"*/{METRICS_FILE}")):
        metrics = json.loads(metrics_path.read_text())
        model = json.loads((metrics_path.parent / CONFIG_FILE).read_text())["model"]
        rows.append((run_name(metrics_path.parent.name, model), metrics))
    width = max([32, *(len(name) for name, _ in rows)])
    lines = [f"{'run':<{width}} {'test':>8} {'test_long':>10}"]
    for name, metrics in rows:
        lines.append(
            f"{name:<{width}} {metrics['test']['accuracy']:>8.3f} "
            f"{metrics['test_long']['accuracy']:>10.3f}"
        )
    return "\n".join(lines)


def run_name(directory_name: str, model: str) -> str:
    """A run's directory name, with the model's other registry names if it has any."""
    from zoo.registry import aliases, canonical_name

    others = [name for name in (canonical_name(model), *aliases(model)) if name != model]
    return f"{directory_name} (= {', '.join(others)})" if others else directory_name
