"""The ranked comparison on the length ladder: how far each model holds agreement.

For each model, from its seeds' counts of right answers on each rung:

- ``held_length``: the longest rung up to which every rung's accuracy, pooled over the
  seeds, has a Wilson 95% lower bound of at least 0.95 (the rung's longest length in
  words; 0 when the shortest rung already fails). A rung is held only if the shorter ones
  are: a model that fails at 61-120 words and passes at 121-250 has not shown that it
  carries the number that far, only that it guessed well there.
- ``accuracy_longest``: the pooled accuracy on the longest rung, with its Wilson interval.
- ``auc_log_length``: the area under the accuracy curve against log length, divided by the
  ladder's log-length span, so 1.0 is perfect and 0.5 is chance whatever the rungs. The
  curve is the rungs' accuracies as steps: rung [a, b] covers log a to log (b + 1), so
  adjoining rungs (31-60, 61-120) tile the axis without gaps.

Per-seed held lengths and areas give their spread across seeds (min–max). Models are
ranked by held length, then longest-rung accuracy, then area, best first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from evaluate.comparison import markdown
from evaluate.intervals import wilson

HELD_LOWER_BOUND = 0.95
COLUMNS = [
    "rank", "model", "seeds", "held_length", "held_length_min", "held_length_max",
    "longest_rung", "accuracy_longest", "accuracy_longest_low", "accuracy_longest_high",
    "auc_log_length", "auc_log_length_min", "auc_log_length_max",
]  # fmt: skip

Rung = tuple[int, int]
Counts = Mapping[Rung, tuple[float, int]]  # rung -> (hits, count)


def held_length(rungs: Sequence[Rung], counts: Counts, bound: float = HELD_LOWER_BOUND) -> int:
    """The longest length of the unbroken run of held rungs from the shortest, or 0."""
    held = 0
    for rung in sorted(rungs):
        hits, count = counts[rung]
        low, _ = wilson(hits, count)
        if not count or low < bound:
            break
        held = rung[1]
    return held


def auc_log_length(rungs: Sequence[Rung], accuracies: Mapping[Rung, float]) -> float:
    """Mean accuracy over log length: the rungs' step curve's area over its log span."""
    widths = {rung: math.log(rung[1] + 1) - math.log(rung[0]) for rung in rungs}
    return sum(accuracies[rung] * width for rung, width in widths.items()) / sum(widths.values())


def leaderboard(rungs: Sequence[Rung], counts_by_model: Mapping[str, Sequence[Counts]]):
    """Ranked rows (COLUMNS), one per model, from each model's per-seed rung counts."""
    rungs = sorted(rungs)
    longest = rungs[-1]
    rows = []
    for model, seeds in counts_by_model.items():
        pooled = {
            rung: (sum(seed[rung][0] for seed in seeds), sum(seed[rung][1] for seed in seeds))
            for rung in rungs
        }
        per_seed_held = [held_length(rungs, seed) for seed in seeds]
        per_seed_auc = [
            auc_log_length(rungs, {rung: seed[rung][0] / seed[rung][1] for rung in rungs})
            for seed in seeds
        ]
        hits, count = pooled[longest]
        low, high = wilson(hits, count)
        rows.append(
            {
                "model": model,
                "seeds": len(seeds),
                "held_length": held_length(rungs, pooled),
                "held_length_min": min(per_seed_held),
                "held_length_max": max(per_seed_held),
                "longest_rung": f"{longest[0]}-{longest[1]}",
                "accuracy_longest": hits / count,
                "accuracy_longest_low": low,
                "accuracy_longest_high": high,
                "auc_log_length": auc_log_length(rungs, {r: h / n for r, (h, n) in pooled.items()}),
                "auc_log_length_min": min(per_seed_auc),
                "auc_log_length_max": max(per_seed_auc),
            }
        )
    rows.sort(
        key=lambda row: (
            -row["held_length"],
            -row["accuracy_longest"],
            -row["auc_log_length"],
            row["model"],
        )
    )
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def leaderboard_markdown(rows: list[dict], rungs: Sequence[Rung]) -> str:
    """The ranked table, with what its columns mean."""
    ladder = ", ".join(f"{low}-{high}" for low, high in sorted(rungs))
    header = [
        "rank", "model", "seeds", "held length (seeds' min–max)",
        "accuracy at the longest rung [95% CI]", "AUC over log length (seeds' min–max)",
    ]  # fmt: skip
    body = [
        [
            str(row["rank"]),
            row["model"],
            str(row["seeds"]),
            f"{row['held_length']} ({row['held_length_min']}–{row['held_length_max']})",
            f"{row['accuracy_longest']:.3f} [{row['accuracy_longest_low']:.3f}, "
            f"{row['accuracy_longest_high']:.3f}]",
            f"{row['auc_log_length']:.3f} ({row['auc_log_length_min']:.3f}–"
            f"{row['auc_log_length_max']:.3f})",
        ]
        for row in rows
    ]
    return "\n\n".join(
        [
            "# Length ladder: leaderboard",
            f"Rungs (words between subject and verb): {ladder}. Held length: the longest rung "
            f"up to which every rung's accuracy, pooled over seeds, has a Wilson 95% lower "
            f"bound ≥ {HELD_LOWER_BOUND} (0: not even the shortest). AUC: area under accuracy "
            "against log length over the ladder's log span (1 perfect, 0.5 chance). Ranked by "
            "held length, then longest-rung accuracy, then AUC.",
            markdown(header, body),
        ]
    )
