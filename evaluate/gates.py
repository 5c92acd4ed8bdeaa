"""Do gates really saturate, or is everything grey? Gate values over a test set.

    python -m evaluate gates runs/gru-seed0 --out reports/gates

For each gated layer and gate (Γu, Γr), the distribution of its values over
the test sentences, and the fraction within 0.05 of 0 (closed: Γu ≈ 0 keeps the
memory) and of 1 (open: Γu = 1 takes the candidate), at the subject, over the
distractor span, and elsewhere.
"""

from __future__ import annotations

import numpy as np

from datasets.agreement.vocabulary import word_ids
from evaluate import plots
from evaluate.cli import InputError, positive_int
from evaluate.notation import GATE_SYMBOLS, SATURATION_MARGIN
from evaluate.outputs import csv_text, write_outputs
from evaluate.runs import load_examples, load_model, load_vocab
from evaluate.spans import REGIONS, region_masks
from evaluate.units import open_single_run

GATES = ("update", "reset")
CLOSED_MEANS = {"update": "Γu ≈ 0 keeps the memory", "reset": "Γr ≈ 0 hides c⟨t−1⟩ from c̃"}
SPLITS = ("test", "test_long")


def add_arguments(parser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a trained run of a gated cell")
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="write gates.csv, gates.png here"
    )
    parser.add_argument(
        "--split", choices=SPLITS, default="test", help="test split (default: test)"
    )
    parser.add_argument(
        "--examples", type=positive_int, default=1000, help="sentences (default: 1000)"
    )


def traced_gates(model, token_ids, run) -> dict:
    """``zoo.trace`` of the model, or a one-line error if it has no gated layer."""
    import zoo
    from zoo.tracing import contains_gated_layer

    if not contains_gated_layer(model):
        raise InputError(
            f"RUN_DIR: {run.path} is a {run.config.model!r} model, which has no gates to trace "
            "(gated models: the zoo's GRU family, minGRU, keras_gru)"
        )
    return zoo.trace(model, token_ids)


def saturation(values: np.ndarray) -> dict:
    values = np.asarray(values, np.float64)
    if not values.size:
        return {
            "count": 0,
            "mean": float("nan"),
            "near_0": float("nan"),
            "near_1": float("nan"),
            "grey": float("nan"),
        }
    near_0 = float(np.mean(values < SATURATION_MARGIN))
    near_1 = float(np.mean(values > 1 - SATURATION_MARGIN))
    return {
        "count": int(values.size),
        "mean": float(values.mean()),
        "near_0": near_0,
        "near_1": near_1,
        "grey": 1 - near_0 - near_1,
    }


def gate_rows(traced, regions) -> list[dict]:
    rows = []
    for layer, quantities in traced.items():
        for gate in GATES:
            if gate not in quantities:
                continue
            for region in (*REGIONS, "all"):
                where = (
                    regions[region] if region != "all" else np.any(list(regions.values()), axis=0)
                )
                rows.append(
                    {
                        "layer": layer,
                        "gate": gate,
                        "region": region,
                        **saturation(quantities[gate][where]),
                    }
                )
    return rows


def run(args) -> int:
    from datasets import agreement

    trained = open_single_run(args.run_dir, ("number", "lm", "grammaticality"), "gates")
    model, vocab = load_model(trained), load_vocab(trained)
    examples = load_examples(trained, args.split, args.examples)
    ids, _ = agreement.task_arrays(examples, trained.config.task, vocab)
    traced = traced_gates(model, ids, trained)
    words = word_ids(ids)
    regions = region_masks(examples, words.shape, words != 0)
    rows = gate_rows(traced, regions)
    if not rows:
        raise InputError(
            f"RUN_DIR: {trained.path}'s {trained.config.model!r} layers report no Γu or Γr"
        )
    print(
        f"{trained.config.model} ({trained.path.name}), {len(examples)} {args.split} sentences; "
        f"'≈0' and '≈1': within {SATURATION_MARGIN} of 0 or 1"
    )
    for row in rows:
        if row["region"] != "all":
            print(
                f"{GATE_SYMBOLS[row['gate']]} {row['layer']:>6} {row['region']:>9}: {row['near_0']:6.1%} ≈0  "
                f"{row['near_1']:6.1%} ≈1  {row['grey']:6.1%} grey  (mean {row['mean']:.2f}, n={row['count']})"
            )
    for row in rows:
        if row["region"] == "span":
            saturated = row["near_0"] + row["near_1"]
            verdict = "saturate" if saturated >= 0.5 else "are mostly grey"
            print(
                f"headline: {GATE_SYMBOLS[row['gate']]} ({row['layer']}) values over the distractor span {verdict}: "
                f"{saturated:.1%} within {SATURATION_MARGIN} of 0 or 1 ({row['near_0']:.1%} ≈0; {CLOSED_MEANS[row['gate']]})"
            )
    write_outputs(args.out, {"gates.csv": csv_text(rows), "gates.png": _figure(traced, regions)})
    return 0


def _figure(traced, regions) -> bytes:
    panels = [(layer, gate) for layer, q in traced.items() for gate in GATES if gate in q]
    figure, axes = plots.subplots(
        1, len(panels), figsize=(4.5 * len(panels), 3.4), dpi=100, squeeze=False
    )
    bins = np.linspace(0, 1, 41)
    for axis, (layer, gate) in zip(axes[0], panels, strict=True):
        for region in REGIONS:
            values = traced[layer][gate][regions[region]]
            if values.size:
                axis.hist(
                    values, bins=bins, density=True, histtype="step", linewidth=1.4, label=region
                )
        axis.axvspan(0, SATURATION_MARGIN, color="grey", alpha=0.15)
        axis.axvspan(1 - SATURATION_MARGIN, 1, color="grey", alpha=0.15)
        axis.set_yscale("log")
        axis.set_xlabel(f"{GATE_SYMBOLS[gate]} value")
        axis.set_ylabel("density (log)")
        axis.set_title(f"{layer}: {GATE_SYMBOLS[gate]} ({gate} gate)", fontsize=9)
        axis.legend(fontsize=7)
    return plots.png_bytes(figure)
