"""Do gates really saturate, or is everything grey? Gate values over a test set.

    python -m evaluate gates runs/gru-seed0 --out reports/gates

For each gated layer and gate (Γu, Γr), the distribution of its values over
the test sentences, and the fraction within ``zoo.tracing.SATURATION_MARGIN`` of 0
(closed: Γu ≈ 0 keeps the memory) and of 1 (open: Γu = 1 takes the candidate), at the
subject, over the distractor span, and elsewhere: the same saturation as the training
dashboards show (``zoo.tracing.saturation``).

The zoo is imported inside the functions that trace, so that ``--help`` and bad flags
answer without loading Keras.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cli_support.csv_rows import csv_text
from cli_support.errors import InputError
from cli_support.output_directories import write_outputs
from cli_support.parsing import positive_int
from datasets.agreement.vocabulary import word_ids
from evaluate import plots
from evaluate.notation import GATE_SYMBOLS
from evaluate.spans import REGIONS, region_masks
from evaluate.trained_run import open_run

# The command line's names for measure_saturation's arguments, as its errors give them.
ARGUMENTS = {"run_dir": "RUN_DIR", "split": "--split", "examples": "--examples"}
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


def gate_rows(traced, regions) -> list[dict]:
    from zoo.tracing import GATES, saturation

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


@dataclass(frozen=True, eq=False)
class GateSaturation:
    """How saturated each gate of each gated layer is, by region of the sentence."""

    model: str  # the run's model name (its config's ``model``)
    run_name: str  # the run directory's name
    split: str
    examples: int  # sentences measured
    # One row per (layer, gate, region), region "all" last: count, mean, and the
    # fractions near_0, near_1 (within zoo.tracing.SATURATION_MARGIN of 0 or 1) and grey.
    rows: tuple[dict, ...]
    # {(layer, gate): {region: the gate's values at every step of that region, 1-D}}.
    values: dict

    def text(self) -> str:
        """What ``python -m evaluate gates`` prints."""
        from zoo.tracing import SATURATION_MARGIN

        lines = [
            f"{self.model} ({self.run_name}), {self.examples} {self.split} sentences; "
            f"'≈0' and '≈1': within {SATURATION_MARGIN} of 0 or 1"
        ]
        for row in self.rows:
            if row["region"] != "all":
                lines.append(
                    f"{GATE_SYMBOLS[row['gate']]} {row['layer']:>6} {row['region']:>9}: {row['near_0']:6.1%} ≈0  "
                    f"{row['near_1']:6.1%} ≈1  {row['grey']:6.1%} grey  (mean {row['mean']:.2f}, n={row['count']})"
                )
        for row in self.rows:
            if row["region"] == "span":
                saturated = row["near_0"] + row["near_1"]
                verdict = "saturate" if saturated >= 0.5 else "are mostly grey"
                lines.append(
                    f"headline: {GATE_SYMBOLS[row['gate']]} ({row['layer']}) values over the distractor span {verdict}: "
                    f"{saturated:.1%} within {SATURATION_MARGIN} of 0 or 1 ({row['near_0']:.1%} ≈0; {CLOSED_MEANS[row['gate']]})"
                )
        return "\n".join(lines)

    def png(self) -> bytes:
        """``gates.png``: each gate's histogram per region, the saturated bands shaded."""
        return _figure(self.values)


def run(args) -> int:
    trained = open_run(args.run_dir, argument_names=ARGUMENTS)
    found = measure_saturation(trained, args.split, args.examples)
    print(found.text())
    write_outputs(args.out, {"gates.csv": csv_text(list(found.rows)), "gates.png": found.png()})
    return 0


def measure_saturation(trained, split: str = "test", examples: int = 1000) -> GateSaturation:
    """Gate values of ``trained`` (a :class:`evaluate.trained_run.TrainedRun`) on the first
    ``examples`` sentences of ``split``, traced with :func:`zoo.trace`, summarised per
    layer, gate and region: a :class:`GateSaturation`."""
    from datasets import agreement
    from zoo.tracing import GATES

    trained.require_task(agreement.TASKS, "gates")
    if split not in SPLITS:
        raise InputError(
            f"{trained.argument('split')}: invalid choice {split!r} (choose from {', '.join(SPLITS)})"
        )
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise InputError(
            f"{trained.argument('examples')}: expected a positive integer, got {examples!r}"
        )
    model, vocab = trained.model, trained.vocab
    sentences = trained.examples(split, examples)
    ids, _ = agreement.task_arrays(sentences, trained.task, vocab)
    traced = traced_gates(model, ids, trained.run)
    words = word_ids(ids)
    regions = region_masks(sentences, words.shape, words != 0)
    rows = gate_rows(traced, regions)
    if not rows:
        raise InputError(
            f"{trained.argument('run_dir')}: {trained.path}'s {trained.config.model!r} layers "
            "report no Γu or Γr"
        )
    values = {
        (layer, gate): {region: quantities[gate][regions[region]] for region in REGIONS}
        for layer, quantities in traced.items()
        for gate in GATES
        if gate in quantities
    }
    return GateSaturation(
        trained.config.model, trained.path.name, split, len(sentences), tuple(rows), values
    )


def _figure(values) -> bytes:
    from zoo.tracing import SATURATION_MARGIN

    panels = list(values)
    figure, axes = plots.subplots(
        1, len(panels), figsize=(4.5 * len(panels), 3.4), dpi=100, squeeze=False
    )
    bins = np.linspace(0, 1, 41)
    for axis, (layer, gate) in zip(axes[0], panels, strict=True):
        for region in REGIONS:
            region_values = values[layer, gate][region]
            if region_values.size:
                axis.hist(
                    region_values,
                    bins=bins,
                    density=True,
                    histtype="step",
                    linewidth=1.4,
                    label=region,
                )
        axis.axvspan(0, SATURATION_MARGIN, color="grey", alpha=0.15)
        axis.axvspan(1 - SATURATION_MARGIN, 1, color="grey", alpha=0.15)
        axis.set_yscale("log")
        axis.set_xlabel(f"{GATE_SYMBOLS[gate]} value")
        axis.set_ylabel("density (log)")
        axis.set_title(f"{layer}: {GATE_SYMBOLS[gate]} ({gate} gate)", fontsize=9)
        axis.legend(fontsize=7)
    return plots.png_bytes(figure)
