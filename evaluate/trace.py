"""One sentence, step by step: each word with Γu, Γr, c̃ and c, like a worked calculation.

    python -m evaluate trace runs/gru-seed0 --sentence "The cats, which already ate the fish, were full"
    python -m evaluate trace runs/gru-seed0 --sentence "…" --units 3,7 --out reports/trace

For each word and chosen unit: c⟨t⟩ = Γu·c̃⟨t⟩ + (1 − Γu)·c⟨t−1⟩ with the
numbers filled in. The default units are the run's top number units (largest
|r| with the subject's number over the distractor span, as ``units`` finds
them). For a ``number`` run, the model's P(plural) after each word is shown too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cli_support.csv_rows import csv_text
from cli_support.errors import InputError
from cli_support.output_directories import write_outputs
from cli_support.parsing import index_list, positive_int
from datasets.agreement import NUMBER, TASKS
from evaluate import plots
from evaluate.trained_run import open_run, plural_probability
from evaluate.units import choose_layer

# The command line's names for trace_sentence's arguments, as its errors give them.
ARGUMENTS = {"run_dir": "RUN_DIR", "sentence": "--sentence", "units": "--units",
             "top_units": "--top-units", "layer": "--layer"}  # fmt: skip

DEFAULT_SENTENCE = "the cats , which already ate the fish , were full ."
# trace.png grows with the sentence up to this width; beyond it, steps are drawn closer
# together and only every k-th word is labelled (a 5000-word sentence would otherwise
# make a figure 225,000 pixels wide).
INCHES_PER_WORD = 0.45
MAX_FIGURE_INCHES = 30


def add_arguments(parser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a trained run of a gated cell")
    parser.add_argument(
        "--sentence", default=DEFAULT_SENTENCE, help=f"the sentence (default: {DEFAULT_SENTENCE!r})"
    )
    parser.add_argument(
        "--units",
        type=index_list,
        help="units to show, numbered from 0, e.g. 0,7 (default: the top number units)",
    )
    parser.add_argument(
        "--top-units",
        type=positive_int,
        default=2,
        help="how many top number units by default (default: 2)",
    )
    parser.add_argument("--layer", help="gated layer to show (default: the one feeding the head)")
    parser.add_argument("--out", metavar="DIR", help="also write trace.csv and trace.png here")


def _signed(x: float) -> str:
    return f"{x:+.3f}".replace("-", "−")


@dataclass(frozen=True, eq=False)
class Trace:
    """One sentence through one gated layer: each quantity is (words, units), a row per
    word and a column per unit of ``units``.

    c⟨t⟩ = Γu·c̃⟨t⟩ + (1 − Γu)·c⟨t−1⟩ holds row by row, from c⟨−1⟩ = 0. The values are
    those of :func:`zoo.trace` on the sentence.
    """

    model: str  # the run's model name (its config's ``model``)
    words: tuple[str, ...]  # as the model read them (normalised)
    layer: str
    units: tuple[int, ...]
    update: np.ndarray | None  # Γu; None for a cell without one (Γu ≡ 1)
    reset: np.ndarray | None  # Γr; None for a cell without one (Γr ≡ 1)
    candidate: np.ndarray  # c̃⟨t⟩
    state: np.ndarray  # c⟨t⟩
    # P(plural) after each word: number runs, where the head reads the last layer's state.
    p_plural: np.ndarray | None
    unknown: tuple[str, ...]  # words outside the vocabulary, read as <unk>
    # r of each unit with the subject's number over the distractor span, where the units
    # were chosen as the top number units; None where the caller chose them.
    unit_r: tuple[float, ...] | None

    @property
    def state_previous(self) -> np.ndarray:
        """c⟨t−1⟩ of each row: the row above, zeros for the first word."""
        return np.concatenate([np.zeros_like(self.state[:1]), self.state[:-1]])

    def rows(self) -> list[dict]:
        """One row per (word, unit), as ``trace.csv`` holds them."""
        update = self.update if self.update is not None else np.ones_like(self.state)
        previous, rows = self.state_previous, []
        for t, word in enumerate(self.words):
            for column, u in enumerate(self.units):
                rows.append(
                    {
                        "t": t,
                        "word": word,
                        "unit": u,
                        "update": float(update[t, column]),
                        "reset": float(self.reset[t, column]) if self.reset is not None else 1.0,
                        "candidate": float(self.candidate[t, column]),
                        "state_previous": float(previous[t, column]),
                        "state": float(self.state[t, column]),
                        "p_plural": (
                            float(self.p_plural[t]) if self.p_plural is not None else float("nan")
                        ),
                    }
                )
        return rows

    def text(self) -> str:
        """The worked calculation ``python -m evaluate trace`` prints."""
        units = list(self.units)
        chosen_by = (
            "chosen"
            if self.unit_r is None
            else "top number units: "
            + ", ".join(f"{u} (r = {r:+.2f})" for u, r in zip(units, self.unit_r, strict=True))
        )
        lines = [f"{self.model} {self.layer}, units {units} ({chosen_by})"]
        if self.unknown:
            lines.append(f"out of vocabulary (read as <unk>): {', '.join(self.unknown)}")
        lines.append(
            "c⟨t⟩ = Γu·c̃⟨t⟩ + (1 − Γu)·c⟨t−1⟩   (Γu = 1 takes the candidate, Γu ≈ 0 keeps the memory)"
        )
        update = self.update if self.update is not None else np.ones_like(self.state)
        previous, p_plural = self.state_previous, self.p_plural
        for t, word in enumerate(self.words):
            tail = f"   P(plural) = {p_plural[t]:.2f}" if p_plural is not None else ""
            lines.append(f"t={t:<2} {word!r}{tail}")
            for column, u in enumerate(units):
                gate, candidate = update[t, column], self.candidate[t, column]
                before, state = previous[t, column], self.state[t, column]
                reset_text = (
                    f"Γr={self.reset[t, column]:.2f} " if self.reset is not None else "Γr≡1 "
                )
                lines.append(
                    f"     unit {u:>2}: Γu={gate:.2f} {reset_text}c̃={_signed(candidate)}  "
                    f"c = {gate:.2f}·({_signed(candidate)}) + {1 - gate:.2f}·({_signed(before)}) "
                    f"= {_signed(state)}"
                )
        if p_plural is not None:
            verdict = "plural" if p_plural[-1] > 0.5 else "singular"
            lines.append(
                f"headline: after {self.words[-1]!r} the model reads the subject as {verdict} (P(plural) = {p_plural[-1]:.2f})"
            )
        else:
            lines.append(
                f"headline: final c of units {units}: "
                + ", ".join(_signed(self.state[-1, column]) for column in range(len(units)))
            )
        return "\n".join(lines)

    def png(self) -> bytes:
        """``trace.png``: c and c̃ of each unit over the words, and Γu below."""
        return _figure(self)


def run(args) -> int:
    trained = open_run(args.run_dir, argument_names=ARGUMENTS)
    found = trace_sentence(
        trained, args.sentence, args.units, top_units=args.top_units, layer=args.layer
    )
    print(found.text())
    if args.out:
        write_outputs(args.out, {"trace.csv": csv_text(found.rows()), "trace.png": found.png()})
    return 0


def trace_sentence(trained, sentence: str, units=None, *, top_units: int = 2, layer=None) -> Trace:
    """``sentence`` traced through a gated layer of ``trained`` (a
    :class:`evaluate.trained_run.TrainedRun`) for ``units``, by default its ``top_units``
    number units (largest |r| with the subject's number over the span, on 500 test
    sentences). ``layer``: default the one feeding the head."""
    from evaluate.gates import traced_gates

    trained.require_task(TASKS, "trace")
    model, vocab = trained.model, trained.vocab
    layer = choose_layer(model, layer, trained.argument("layer"))
    words = trained.words(sentence)
    unknown = tuple(sorted({w for w in words if w not in vocab}))
    traced = traced_gates(model, vocab.encode_batch([words]), trained.run)
    if layer not in traced:
        raise InputError(
            f"{trained.argument('layer')}: {layer} is not a gated layer (gated: {', '.join(traced)})"
        )
    quantities = {name: values[0] for name, values in traced[layer].items()}
    n_units = quantities["state"].shape[-1]
    unit_r = None
    if units:
        units = [_unit_index(u, trained.argument("units")) for u in units]
        if not all(0 <= u < n_units for u in units):
            raise InputError(
                f"{trained.argument('units')}: units are numbered 0..{n_units - 1}, got {units}"
            )
    else:
        top_units = _unit_index(top_units, trained.argument("top_units"))
        if top_units < 1:
            raise InputError(
                f"{trained.argument('top_units')}: expected a positive integer, got {top_units}"
            )
        ranking = trained.unit_ranking(layer, 500)
        units = [int(u) for u in ranking.order[: min(top_units, n_units)]]
        unit_r = tuple(float(ranking.r_span[u]) for u in units)

    def columns(name):
        return quantities[name][:, units] if name in quantities else None

    return Trace(
        model=trained.config.model,
        words=tuple(words),
        layer=layer,
        units=tuple(units),
        update=columns("update"),
        reset=columns("reset"),
        candidate=columns("candidate"),
        state=columns("state"),
        p_plural=_p_plural(model, traced, trained.task),
        unknown=unknown,
        unit_r=unit_r,
    )


def _unit_index(value, argument: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InputError(f"{argument}: expected integers, got {value!r}")
    return int(value)


def _p_plural(model, traced, task):
    """P(plural) read out after each word, for a number model whose head reads its last layer."""
    if task != NUMBER:
        return None
    from train.run_contract import logits_layer, recurrent_layers

    last = recurrent_layers(model)[-1].name
    if last not in traced:
        return None
    return plural_probability(np.asarray(logits_layer(model)(traced[last]["state"][0])))


def _figure(trace: Trace) -> bytes:
    words, layer = trace.words, trace.layer
    width = min(max(6, INCHES_PER_WORD * len(words) + 2), MAX_FIGURE_INCHES)
    labelled_every = max(1, math.ceil(len(words) * INCHES_PER_WORD / (width - 2)))
    figure, (top, bottom) = plots.subplots(2, 1, figsize=(width, 5), dpi=100, sharex=True)
    steps = np.arange(len(words))
    for column, u in enumerate(trace.units):
        line = top.plot(
            steps, trace.state[:, column], marker="o", markersize=3, label=f"c, unit {u}"
        )[0]
        top.plot(
            steps,
            trace.candidate[:, column],
            linestyle=":",
            color=line.get_color(),
            label=f"c̃, unit {u}",
        )
        if trace.update is not None:
            bottom.plot(
                steps,
                trace.update[:, column],
                marker="o",
                markersize=3,
                color=line.get_color(),
                label=f"Γu, unit {u}",
            )
    top.axhline(0, color="grey", linewidth=0.6)
    top.set_ylabel("value")
    top.set_title(f"{layer}: memory c and candidate c̃", fontsize=9)
    top.legend(fontsize=7, ncol=2)
    bottom.set_ylim(-0.02, 1.02)
    bottom.set_ylabel("Γu")
    labelled = steps[::labelled_every]
    bottom.set_xticks(labelled, [words[t] for t in labelled], rotation=60, fontsize=8)
    bottom.legend(fontsize=7)
    return plots.png_bytes(figure)
