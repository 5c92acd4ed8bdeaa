"""Why does Γu ≈ 0 stop the gradient from vanishing? ‖∂loss/∂c⟨t⟩‖ against distance to the verb.

    python -m evaluate gradients runs/gru-seed0 runs/simple_rnn-seed0 --out reports/gradients

With c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩, a closed update gate (Γu ≈ 0) makes
∂c⟨t⟩/∂c⟨t−1⟩ ≈ I, so the loss at the verb still reaches the memory many words
back; a simple RNN multiplies by U·diag(tanh′) at every step instead. For each
run, on long sentences (``test_long``), the mean ‖∂loss/∂c⟨t⟩‖ at each distance
between step t and the verb, with the mean Γu at that distance for gated cells.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cli_support.csv_rows import csv_text
from cli_support.errors import InputError
from cli_support.output_directories import write_outputs
from cli_support.parsing import positive_int
from datasets.agreement import GRAMMATICALITY, NUMBER
from datasets.agreement.vocabulary import word_ids
from evaluate import plots
from evaluate.report import model_labels
from evaluate.runs import find_runs, load_examples, load_model, load_vocab, require_task

# The tasks with one loss per sentence, whose gradient reaches back from the verb.
TASKS = (NUMBER, GRAMMATICALITY)


def add_arguments(parser) -> None:
    parser.add_argument(
        "run_dirs",
        nargs="+",
        metavar="RUN_DIR",
        help="runs (or sweeps) of task number or grammaticality",
    )
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="write gradients.csv, gradients.png here"
    )
    parser.add_argument(
        "--examples",
        type=positive_int,
        default=200,
        help="test_long sentences per run (default: 200)",
    )


def gradient_profile(run, model, vocab, n_examples: int) -> dict[int, dict]:
    """{distance: {"gradient_norm", "mean_update"}} on the run's first ``test_long`` sentences."""
    import zoo
    from datasets import agreement
    from train.gradient_norms import norms_by_distance, state_gradient_norms
    from train.run_contract import recurrent_layers
    from zoo.tracing import is_traceable

    examples = load_examples(run, "test_long", n_examples)
    ids, labels = agreement.task_arrays(examples, run.config.task, vocab, seed=run.config.seed)
    verb = np.array([e["verb_index"] for e in examples])
    norms = norms_by_distance(state_gradient_norms(model, ids, labels), verb)
    updates = {}
    first = recurrent_layers(model)[0]
    if is_traceable(first):
        traced = zoo.trace(model, ids)[first.name]
        if "update" in traced:
            mean_update = np.where(word_ids(ids) != 0, traced["update"].mean(-1), np.nan)
            updates = norms_by_distance(mean_update, verb)
    return {
        d: {
            "gradient_norm": norms[d],
            "mean_update": updates.get(d, float("nan")),
            "sentences": int(np.sum(verb >= d)),
        }
        for d in sorted(norms)
        if d > 0
    }


def far_distance(by_model) -> int:
    """The longest distance that at least half of every model's sentences reach."""
    return min(
        max(r["distance"] for r in rows if 2 * r["sentences"] >= rows[0]["sentences"])
        for rows in by_model.values()
    )


@dataclass(frozen=True, eq=False)
class GradientProfiles:
    """‖∂loss/∂c⟨t⟩‖ and the mean Γu by distance to the verb, per run and per model."""

    # Per run and distance: model (its label), run, distance, gradient_norm, mean_update,
    # sentences (how many reach that distance).
    rows: tuple[dict, ...]
    # {model label: rows by distance}: the runs' geometric mean norm and mean Γu.
    by_model: dict
    far: int  # the longest distance at least half of every model's sentences reach

    def text(self) -> str:
        """What ``python -m evaluate gradients`` prints: each model's norm at ``far``
        relative to distance 1."""
        lines = [
            "‖∂loss/∂c⟨t⟩‖ on test_long sentences, at distance d = verb − t (1 = the word before the verb)"
        ]
        far = self.far
        for label, model_rows in self.by_model.items():
            at = {r["distance"]: r for r in model_rows}
            ratio = at[far]["gradient_norm"] / at[1]["gradient_norm"]
            updates = [r["mean_update"] for r in model_rows if r["distance"] <= far]
            update_text = (
                f"; mean Γu along the way {np.nanmean(updates):.3f}"
                if not np.all(np.isnan(updates))
                else "; no Γu (ungated)"
            )
            lines.append(
                f"headline: {label}: ‖∂loss/∂c⟨t⟩‖ at distance {far} (reached by half the sentences) "
                f"is {ratio:.2e} of its value at distance 1{update_text}"
            )
        return "\n".join(lines)

    def png(self) -> bytes:
        """``gradients.png``: the norm against distance (log), and Γu along the way."""
        return _figure(self.by_model)


def run(args) -> int:
    found = profile_runs(args.run_dirs, args.examples)
    print(found.text())
    write_outputs(
        args.out, {"gradients.csv": csv_text(list(found.rows)), "gradients.png": found.png()}
    )
    return 0


def profile_runs(run_dirs, examples: int = 200) -> GradientProfiles:
    """The gradient profile of each run at ``run_dirs`` (runs or sweeps of task
    ``number`` or ``grammaticality``) on its first ``examples`` ``test_long`` sentences,
    and their means per model: a :class:`GradientProfiles`.

    Example:
        >>> profiles = profile_runs([run_dir], examples=8)
        >>> profiles.rows[0]["distance"], profiles.by_model["gru"][0]["distance"]
        (1, 1)
    """
    import keras

    if isinstance(run_dirs, str | Path):
        run_dirs = [run_dirs]
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise InputError(f"examples: expected a positive integer, got {examples!r}")
    runs = find_runs(run_dirs)
    for trained in runs:
        require_task(trained, TASKS, "gradients")
    labels = model_labels(runs)
    rows = []
    for trained in runs:
        model, vocab = load_model(trained), load_vocab(trained)
        profile = gradient_profile(trained, model, vocab, examples)
        rows += [
            {"model": labels[trained.path], "run": str(trained.path), "distance": d, **v}
            for d, v in profile.items()
        ]
        keras.backend.clear_session()
    by_model = _mean_by_model(rows)
    return GradientProfiles(tuple(rows), by_model, far_distance(by_model))


def _mean_by_model(rows) -> dict[str, list[dict]]:
    grouped = defaultdict(lambda: defaultdict(list))
    for row in rows:
        grouped[row["model"]][row["distance"]].append(row)
    return {
        label: [
            {
                "distance": d,
                # Geometric mean: norms span orders of magnitude across runs, and the ratio of
                # geometric means is the geometric mean of the runs' ratios (as quiz reports).
                "gradient_norm": float(np.exp(np.mean(np.log([r["gradient_norm"] for r in rs])))),
                "mean_update": float(np.mean([r["mean_update"] for r in rs])),
                "sentences": sum(r["sentences"] for r in rs),
            }
            for d, rs in sorted(by_distance.items())
        ]
        for label, by_distance in sorted(grouped.items())
    }


def _figure(by_model) -> bytes:
    figure, (left, right) = plots.subplots(1, 2, figsize=(10, 3.6), dpi=100)
    for label, rows in by_model.items():
        distances = [r["distance"] for r in rows]
        left.semilogy(
            distances, [r["gradient_norm"] for r in rows], marker="o", markersize=2, label=label
        )
        if not all(np.isnan(r["mean_update"]) for r in rows):
            right.plot(
                distances, [r["mean_update"] for r in rows], marker="o", markersize=2, label=label
            )
    left.set_xlabel("distance from step t to the verb")
    left.set_ylabel("‖∂loss/∂c⟨t⟩‖ (log)")
    left.set_title("How far back the loss at the verb reaches", fontsize=9)
    left.legend(fontsize=7)
    right.set_xlabel("distance from step t to the verb")
    right.set_ylabel("mean Γu")
    right.set_ylim(0, 1)
    right.set_title("Γu along the way (Γu ≈ 0 keeps the memory)", fontsize=9)
    if right.get_legend_handles_labels()[0]:
        right.legend(fontsize=7)
    return plots.png_bytes(figure)
