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

import numpy as np

from datasets.agreement.vocabulary import word_ids
from evaluate import plots
from evaluate.cli import positive_int
from evaluate.outputs import csv_text, write_outputs
from evaluate.report import model_labels
from evaluate.runs import find_runs, load_examples, load_model, load_vocab, require_task

TASKS = ("number", "grammaticality")


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
    from train.gradients import norms_by_distance, state_gradient_norms
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


def run(args) -> int:
    import keras

    runs = find_runs(args.run_dirs)
    for trained in runs:
        require_task(trained, TASKS, "gradients")
    labels = model_labels(runs)
    rows = []
    for trained in runs:
        model, vocab = load_model(trained), load_vocab(trained)
        profile = gradient_profile(trained, model, vocab, args.examples)
        rows += [
            {"model": labels[trained.path], "run": str(trained.path), "distance": d, **v}
            for d, v in profile.items()
        ]
        keras.backend.clear_session()
    by_model = _mean_by_model(rows)
    far = far_distance(by_model)
    print(
        "‖∂loss/∂c⟨t⟩‖ on test_long sentences, at distance d = verb − t (1 = the word before the verb)"
    )
    for label, model_rows in by_model.items():
        at = {r["distance"]: r for r in model_rows}
        ratio = at[far]["gradient_norm"] / at[1]["gradient_norm"]
        updates = [r["mean_update"] for r in model_rows if r["distance"] <= far]
        update_text = (
            f"; mean Γu along the way {np.nanmean(updates):.3f}"
            if not np.all(np.isnan(updates))
            else "; no Γu (ungated)"
        )
        print(
            f"headline: {label}: ‖∂loss/∂c⟨t⟩‖ at distance {far} (reached by half the sentences) "
            f"is {ratio:.2e} of its value at distance 1{update_text}"
        )
    write_outputs(args.out, {"gradients.csv": csv_text(rows), "gradients.png": _figure(by_model)})
    return 0


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
