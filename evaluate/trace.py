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

import numpy as np

from evaluate import plots
from evaluate.cli import InputError, index_list, positive_int
from evaluate.outputs import csv_text, write_outputs
from evaluate.runs import load_examples, load_model, load_vocab
from evaluate.units import choose_layer, number_units, open_single_run

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


def run(args) -> int:
    from datasets.agreement.text import normalise
    from evaluate.gates import traced_gates

    trained = open_single_run(args.run_dir, ("number", "lm", "grammaticality"), "trace")
    model, vocab = load_model(trained), load_vocab(trained)
    layer = choose_layer(model, args.layer)
    words = [w for w in normalise(args.sentence) if w in vocab or w[0].isalnum()]
    if not words:
        raise InputError(f"--sentence: no words left after normalising {args.sentence!r}")
    unknown = sorted({w for w in words if w not in vocab})
    ids = vocab.encode_batch([words])
    traced = traced_gates(model, ids, trained)
    if layer not in traced:
        raise InputError(f"--layer: {layer} is not a gated layer (gated: {', '.join(traced)})")
    quantities = {name: values[0] for name, values in traced[layer].items()}
    n_units = quantities["state"].shape[-1]
    if args.units:
        units = args.units if all(u < n_units for u in args.units) else None
        if units is None:
            raise InputError(f"--units: units are numbered 0..{n_units - 1}, got {args.units}")
        chosen_by = "chosen"
    else:
        r_span, *_ = number_units(
            model, load_examples(trained, "test", 500), vocab, trained.config.task, layer
        )
        order = np.argsort(-np.abs(r_span), kind="stable")
        units = [int(u) for u in order[: min(args.top_units, n_units)]]
        chosen_by = "top number units: " + ", ".join(f"{u} (r = {r_span[u]:+.2f})" for u in units)
    p_plural = _p_plural(model, traced, trained.config.task)

    print(f"{trained.config.model} {layer}, units {units} ({chosen_by})")
    if unknown:
        print(f"out of vocabulary (read as <unk>): {', '.join(unknown)}")
    print(
        "c⟨t⟩ = Γu·c̃⟨t⟩ + (1 − Γu)·c⟨t−1⟩   (Γu = 1 takes the candidate, Γu ≈ 0 keeps the memory)"
    )
    rows, previous = [], np.zeros(n_units)
    for t, word in enumerate(words):
        update = quantities.get("update", np.ones_like(quantities["state"]))[t]
        reset = quantities.get("reset")
        candidate, state = quantities["candidate"][t], quantities["state"][t]
        tail = f"   P(plural) = {p_plural[t]:.2f}" if p_plural is not None else ""
        print(f"t={t:<2} {word!r}{tail}")
        for u in units:
            reset_text = f"Γr={reset[t, u]:.2f} " if reset is not None else "Γr≡1 "
            print(
                f"     unit {u:>2}: Γu={update[u]:.2f} {reset_text}c̃={_signed(candidate[u])}  "
                f"c = {update[u]:.2f}·({_signed(candidate[u])}) + {1 - update[u]:.2f}·({_signed(previous[u])}) "
                f"= {_signed(state[u])}"
            )
            rows.append(
                {
                    "t": t,
                    "word": word,
                    "unit": u,
                    "update": float(update[u]),
                    "reset": float(reset[t, u]) if reset is not None else 1.0,
                    "candidate": float(candidate[u]),
                    "state_previous": float(previous[u]),
                    "state": float(state[u]),
                    "p_plural": float(p_plural[t]) if p_plural is not None else float("nan"),
                }
            )
        previous = state
    if p_plural is not None:
        verdict = "plural" if p_plural[-1] > 0.5 else "singular"
        print(
            f"headline: after {words[-1]!r} the model reads the subject as {verdict} (P(plural) = {p_plural[-1]:.2f})"
        )
    else:
        print(
            f"headline: final c of units {units}: "
            + ", ".join(_signed(quantities["state"][-1, u]) for u in units)
        )
    if args.out:
        write_outputs(
            args.out,
            {"trace.csv": csv_text(rows), "trace.png": _figure(words, quantities, units, layer)},
        )
    return 0


def _p_plural(model, traced, task):
    """P(plural) read out after each word, for a number model whose head reads its last layer."""
    if task != "number":
        return None
    from train.run_contract import logits_layer, recurrent_layers

    last = recurrent_layers(model)[-1].name
    if last not in traced:
        return None
    logits = np.asarray(logits_layer(model)(traced[last]["state"][0]))
    shifted = np.exp(logits - logits.max(-1, keepdims=True))
    return shifted[:, 1] / shifted.sum(-1)


def _figure(words, quantities, units, layer) -> bytes:
    width = min(max(6, INCHES_PER_WORD * len(words) + 2), MAX_FIGURE_INCHES)
    labelled_every = max(1, math.ceil(len(words) * INCHES_PER_WORD / (width - 2)))
    figure, (top, bottom) = plots.subplots(2, 1, figsize=(width, 5), dpi=100, sharex=True)
    steps = np.arange(len(words))
    for u in units:
        line = top.plot(
            steps, quantities["state"][:, u], marker="o", markersize=3, label=f"c, unit {u}"
        )[0]
        top.plot(
            steps,
            quantities["candidate"][:, u],
            linestyle=":",
            color=line.get_color(),
            label=f"c̃, unit {u}",
        )
        if "update" in quantities:
            bottom.plot(
                steps,
                quantities["update"][:, u],
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
