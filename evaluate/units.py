"""Is there one unit for singular/plural? Find the number units, then clamp them.

    python -m evaluate units runs/gru-seed0 --out reports/units --top 1,2,4

For each unit of the layer that feeds the head, the Pearson correlation of
c⟨t⟩ with the subject's number (0 singular, 1 plural) over the distractor span
(the steps between subject and verb), and over time since the subject. The
units with the largest |r| are then clamped to their mean value at every step
(:func:`evaluate.stack_stepping.run_stack`) and the accuracy drop is compared with
clamping as many randomly chosen units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cli_support.csv_rows import csv_text
from cli_support.errors import InputError
from cli_support.output_directories import write_outputs
from cli_support.parsing import positive_int, positive_int_list
from datasets.agreement import NUMBER
from datasets.agreement.vocabulary import word_ids
from evaluate import plots
from evaluate.spans import region_masks
from evaluate.stack_stepping import run_stack
from evaluate.trained_run import open_run
from train.run_contract import recurrent_layers

# The command line's names for find_number_units's arguments, as its errors give them.
ARGUMENTS = {"run_dir": "RUN_DIR", "examples": "--examples", "top": "--top",
             "random_draws": "--random-draws", "layer": "--layer"}  # fmt: skip


def add_arguments(parser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a trained run of task number")
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="write units.csv, units.png here"
    )
    parser.add_argument(
        "--examples", type=positive_int, default=1000, help="test sentences (default: 1000)"
    )
    parser.add_argument(
        "--top",
        type=positive_int_list,
        default=[1, 2, 4],
        help="numbers of top units to clamp (default: 1,2,4)",
    )
    parser.add_argument(
        "--random-draws",
        type=positive_int,
        default=5,
        help="random unit sets per size (default: 5)",
    )
    parser.add_argument(
        "--layer", help="recurrent layer to analyse (default: the one feeding the head)"
    )


def choose_layer(model, name: str | None, argument: str = "--layer") -> str:
    names = [layer.name for layer in recurrent_layers(model)]
    if name is None:
        return names[-1]
    if name not in names:
        raise InputError(f"{argument}: invalid choice {name!r} (choose from {', '.join(names)})")
    return name


def correlations(states: np.ndarray, labels: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Per unit: Pearson r between c⟨t⟩ and the sentence's label over the steps ``where``."""
    values = states[where]  # (steps, units)
    target = np.broadcast_to(labels[:, None], where.shape)[where].astype(np.float64)
    values = values - values.mean(0)
    target = target - target.mean()
    denominator = np.sqrt((values**2).sum(0) * (target**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (values * target[:, None]).sum(0) / denominator, 0.0)


def correlate_units(model, examples, vocab, task: str, layer: str):
    """(per-unit r over the span, states, input ids, region masks) on ``examples``."""
    from datasets import agreement

    ids, _ = agreement.task_arrays(examples, task, vocab)
    _, states = run_stack(model, ids)
    labels = np.array([e["label"] for e in examples])
    words = word_ids(ids)
    regions = region_masks(examples, words.shape, words != 0)
    return correlations(states[layer], labels, regions["span"]), states[layer], ids, regions


def mean_state(states: np.ndarray, token_ids: np.ndarray) -> np.ndarray:
    """Each unit's mean c⟨t⟩ over every word (padding left out): the value a unit is
    clamped to when it is ablated, so that it says nothing about the sentence."""
    return states[word_ids(token_ids) != 0].mean(0)


@dataclass(frozen=True, eq=False)
class UnitRanking:
    """The units of ``layer`` ranked by how well their c⟨t⟩ tells the subject's number
    (|r| over the distractor span, largest first), with the values a unit may be clamped
    to. Per-unit arrays are indexed by unit."""

    layer: str
    examples: int  # test sentences measured
    order: np.ndarray
    r_span: np.ndarray  # Pearson r of c⟨t⟩ with the subject's number over the span
    mean: np.ndarray  # mean c⟨t⟩ over every word: what `evaluate units` clamps to
    mean_singular: np.ndarray  # mean c⟨t⟩ over the spans of singular subjects
    mean_plural: np.ndarray  # … of plural subjects

    def rows(self) -> list[dict]:
        """One row per unit, by rank."""
        return [
            {
                "rank": rank + 1,
                "unit": int(u),
                "r_span": float(self.r_span[u]),
                "mean": float(self.mean[u]),
                "mean_singular": float(self.mean_singular[u]),
                "mean_plural": float(self.mean_plural[u]),
            }
            for rank, u in enumerate(self.order)
        ]


def rank_units(trained, layer=None, examples: int = 500) -> UnitRanking:
    """The units of a layer of ``trained`` (a :class:`evaluate.trained_run.TrainedRun`),
    by default the one feeding the head, ranked on its first ``examples`` test sentences:
    a :class:`UnitRanking`."""
    examples = _positive(examples, trained.argument("examples"))
    layer = choose_layer(trained.model, layer, trained.argument("layer"))
    sentences = trained.examples("test", examples)
    r_span, states, ids, regions = correlate_units(
        trained.model, sentences, trained.vocab, trained.task, layer
    )
    labels = np.array([e["label"] for e in sentences])

    def span_mean(label):
        where = regions["span"] & (labels[:, None] == label)
        return states[where].mean(0) if where.any() else np.full(states.shape[-1], np.nan)

    return UnitRanking(
        layer=layer,
        examples=len(sentences),
        order=np.argsort(-np.abs(r_span), kind="stable"),
        r_span=r_span,
        mean=mean_state(states, ids),
        mean_singular=span_mean(0),
        mean_plural=span_mean(1),
    )


@dataclass(frozen=True, eq=False)
class NumberUnits:
    """Which units of ``layer`` carry the subject's number, and what clamping them costs.

    Per-unit arrays are indexed by unit; ``order`` lists the units by |r_span|, largest first.
    """

    layer: str
    examples: int  # test sentences measured
    baseline: float  # accuracy with no unit clamped
    order: np.ndarray
    r_span: np.ndarray  # Pearson r of c⟨t⟩ with the subject's number over the distractor span
    r_subject: np.ndarray  # … at the subject
    r_before_verb: np.ndarray  # … at the last word before the verb
    # Per number k of top units clamped to their mean: k, units, baseline, top_accuracy, and
    # random_mean, random_std, random_min over as many randomly chosen units.
    ablation: tuple[dict, ...]
    # r of each top unit at each offset from the subject: unit, offset, r, count.
    over_time: tuple[dict, ...]

    def rows(self) -> list[dict]:
        """One row per unit, by rank, as ``units.csv`` holds them."""
        return [
            {
                "rank": rank + 1,
                "unit": int(u),
                "r_span": float(self.r_span[u]),
                "r_subject": float(self.r_subject[u]),
                "r_before_verb": float(self.r_before_verb[u]),
            }
            for rank, u in enumerate(self.order)
        ]

    def text(self) -> str:
        """What ``python -m evaluate units`` prints."""
        order, r_span, baseline = self.order, self.r_span, self.baseline
        best = order[0]
        lines = [
            f"layer {self.layer}: {len(order)} units, {self.examples} test sentences, accuracy {baseline:.3f}",
            f"top number unit: {best} (r = {r_span[best]:+.2f} with plural over the distractor span); next: "
            + ", ".join(f"{u} ({r_span[u]:+.2f})" for u in order[1:4]),
        ]
        for row in self.ablation:
            lines.append(
                f"clamping the top {row['k']} unit(s) [{row['units']}]: accuracy {baseline:.3f} → {row['top_accuracy']:.3f}; "
                f"{row['k']} random unit(s): {row['random_mean']:.3f} ± {row['random_std']:.3f}"
            )
        drop = baseline - self.ablation[0]["top_accuracy"]
        lines.append(
            f"headline: clamping unit {best} alone costs {drop:.3f} accuracy"
            + (
                " — one unit carries the number"
                if drop > 0.25
                else " — the number is spread over several units"
            )
        )
        return "\n".join(lines)

    def png(self) -> bytes:
        """``units.png``: |r| by unit, r over time, and the clamping's accuracy."""
        return _figure(self.r_span, self.order, self.over_time, self.ablation, self.layer)


def run(args) -> int:
    trained = open_run(args.run_dir, argument_names=ARGUMENTS)
    found = find_number_units(
        trained, args.examples, top=args.top, random_draws=args.random_draws, layer=args.layer
    )
    print(found.text())
    files = {
        "units.csv": csv_text(found.rows()),
        "ablation.csv": csv_text(list(found.ablation)),
        "units_over_time.csv": csv_text(list(found.over_time)),
        "units.png": found.png(),
    }
    write_outputs(args.out, files)
    return 0


def find_number_units(trained, examples=1000, *, top=(1, 2, 4), random_draws=5, layer=None):
    """The number units of ``trained`` (a :class:`evaluate.trained_run.TrainedRun` of
    task ``number``) on its first ``examples`` test sentences, and the accuracy with the
    top ``k`` units clamped, for each ``k`` in ``top``, against ``random_draws`` random
    sets of ``k`` units: a :class:`NumberUnits`."""
    trained.require_task((NUMBER,), "units")
    examples = _positive(examples, trained.argument("examples"))
    random_draws = _positive(random_draws, trained.argument("random_draws"))
    top = [_positive(k, trained.argument("top")) for k in _listed(top, trained.argument("top"))]
    model, vocab = trained.model, trained.vocab
    layer = choose_layer(model, layer, trained.argument("layer"))
    examples = trained.examples("test", examples)
    r_span, states, ids, regions = correlate_units(model, examples, vocab, NUMBER, layer)
    words = word_ids(ids)
    labels = np.array([e["label"] for e in examples])
    n_units = states.shape[-1]
    if max(top) > n_units:
        raise InputError(
            f"{trained.argument('top')}: at most the layer's {n_units} units, got {max(top)}"
        )
    order = np.argsort(-np.abs(r_span), kind="stable")
    clamp_values = mean_state(states, ids)
    from train.scoring import at_last_word

    logits, _ = run_stack(model, ids)
    baseline = float((at_last_word(logits, ids).argmax(-1) == labels).mean())

    def accuracy_without(units) -> float:
        clamped, _ = run_stack(model, ids, {layer: (units, clamp_values[units])})
        return float((at_last_word(clamped, ids).argmax(-1) == labels).mean())

    rng = np.random.default_rng(0)
    ablations = []
    for k in top:
        top_accuracy = accuracy_without(order[:k])
        draws = [
            accuracy_without(rng.choice(n_units, k, replace=False)) for _ in range(random_draws)
        ]
        ablations.append(
            {
                "k": k,
                "units": " ".join(map(str, order[:k])),
                "baseline": baseline,
                "top_accuracy": top_accuracy,
                "random_mean": float(np.mean(draws)),
                "random_std": float(np.std(draws)),
                "random_min": float(np.min(draws)),
            }
        )
    over_time = _over_time(states, labels, examples, words, order[: max(top)])
    last = np.zeros_like(words, bool)
    last[np.arange(len(words)), (words != 0).sum(1) - 1] = True
    return NumberUnits(
        layer=layer,
        examples=len(examples),
        baseline=baseline,
        order=order,
        r_span=r_span,
        r_subject=correlations(states, labels, regions["subject"]),
        r_before_verb=correlations(states, labels, last),
        ablation=tuple(ablations),
        over_time=tuple(over_time),
    )


def _listed(values, argument: str) -> list:
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise InputError(f"{argument}: expected a list of positive integers, got {values!r}")
    values = list(values)
    if not values:
        raise InputError(f"{argument}: expected at least one positive integer, got none")
    return values


def _positive(value, argument: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise InputError(f"{argument}: expected a positive integer, got {value!r}")
    return int(value)


def _over_time(states, labels, examples, ids, units) -> list[dict]:
    """r of each chosen unit at each offset from the subject (1 = the word after it)."""
    subject = np.array([e["subject_index"] for e in examples])
    verb = np.array([e["verb_index"] for e in examples])
    rows = []
    for offset in range(1, int((verb - subject).max())):
        where = np.zeros_like(ids, bool)
        reach = (subject + offset < verb) & (subject + offset < ids.shape[1])
        where[np.nonzero(reach)[0], (subject + offset)[reach]] = True
        if where.sum() < 10 or len(set(labels[reach])) < 2:
            continue
        r = correlations(states, labels, where)
        rows += [
            {"unit": int(u), "offset": offset, "r": float(r[u]), "count": int(where.sum())}
            for u in units
        ]
    return rows


def _figure(r_span, order, over_time, ablations, layer) -> bytes:
    figure, (left, middle, right) = plots.subplots(1, 3, figsize=(13, 3.6), dpi=100)
    left.bar(range(len(order)), np.abs(r_span[order]), color="tab:blue")
    left.set_xticks(range(len(order)), [str(u) for u in order], fontsize=6, rotation=90)
    left.set_xlabel("unit (sorted)")
    left.set_ylabel("|r| with plural over the span")
    left.set_title(f"{layer}: which units carry the number?", fontsize=9)
    for unit in order[: max(a["k"] for a in ablations)]:
        points = [(row["offset"], row["r"]) for row in over_time if row["unit"] == unit]
        if points:
            middle.plot(*zip(*points, strict=True), marker="o", markersize=2, label=f"unit {unit}")
    middle.set_xlabel("words after the subject")
    middle.set_ylabel("r with plural")
    middle.set_ylim(-1, 1)
    middle.set_title("the number held across the span", fontsize=9)
    middle.legend(fontsize=7)
    ks = [a["k"] for a in ablations]
    x = np.arange(len(ks))
    right.bar(x - 0.2, [a["top_accuracy"] for a in ablations], 0.4, label="top units clamped")
    right.bar(
        x + 0.2,
        [a["random_mean"] for a in ablations],
        0.4,
        yerr=[a["random_std"] for a in ablations],
        label="random units clamped",
    )
    right.axhline(ablations[0]["baseline"], color="black", linewidth=0.8, label="no clamp")
    right.axhline(0.5, color="grey", linewidth=0.8, linestyle=":")
    right.set_xticks(x, [str(k) for k in ks])
    right.set_xlabel("units clamped")
    right.set_ylabel("accuracy")
    right.set_ylim(0, 1.02)
    right.legend(fontsize=7)
    return plots.png_bytes(figure)
