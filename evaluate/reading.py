"""One sentence read by a run, word by word, with units clamped if asked: ``TrainedRun.read``.

    >>> reading = run.read("The dogs near the cat", units=[3, 7])
    >>> reading.words, reading.quantities["update"].shape   # (words, units)
    (('the', 'dogs', 'near', 'the', 'cat'), (5, 2))
    >>> bool(reading.p_plural_at[-1] > 0.5)    # a verb after "the dogs near the": plural
    True
    >>> ranking = run.unit_ranking()               # units by |r| with the subject's number
    >>> top = int(ranking.order[0])
    >>> clamped = run.read("The dogs near the cat", clamp=Clamp(top, 0.0, start=1))
    >>> clamped.p_plural_at.shape, clamped.p_plural_at_unclamped.shape
    ((5,), (5,))
    >>> top_3 = ranking.order[:3]            # three units together, at their singular means
    >>> three = Clamp(top_3, ranking.mean_singular[top_3], start=1)
    >>> run.read("The dogs near the cat", clamp=three).clamp.units == tuple(top_3)
    True

What ``python -m evaluate explore`` shows of a sentence. For each word, P(plural) of a
verb standing there, read from the words before it; and for the units of one recurrent
layer, every quantity :func:`zoo.stepping.step_through` gives at each word: Γu, Γr, c̃
and c of a gated cell (of a ``keras.layers.GRU`` in the course's convention, as
:func:`zoo.trace` reports it); the states of a Keras LSTM (a⟨t⟩ = h and its memory cell
c⟨t⟩) or SimpleRNN, whose gates the loop does not expose.

A :class:`Clamp` fixes the first state (c; h for an LSTM) of one unit or several to values
after every word from ``start`` on, before the next word reads it: for one sentence, what
``evaluate units`` does to a whole test set when it ablates its top units (there from the
first word, to each unit's mean).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cli_support.errors import InputError
from datasets.agreement import NUMBER, TASKS
from evaluate.notation import GATE_SYMBOLS
from evaluate.trained_run import plural_probability

# step_through's quantities, in the order a page shows them (gates first, as the
# course's equations read), and their symbols. An LSTM's first state is its output h,
# the course's a⟨t⟩; its second is the memory cell c⟨t⟩.
ORDER = ("update", "reset", "candidate", "state", "state_1")
LSTM_SYMBOLS = {"state": "a", "state_1": "c"}


@dataclass(frozen=True)
class Clamp:
    """Set the first state of ``units`` (a unit, or several) to ``values`` (one value, or
    one per unit) after each word from word ``start`` on (numbered from 0), in the layer
    being read. Several units, because a model may spread the subject's number over a few
    of them: clamping the top one alone then moves P(plural) without flipping it, and
    clamping the top few together asks whether they hold the number between them."""

    units: int | tuple[int, ...]
    values: float | tuple[float, ...]
    start: int = 0


@dataclass(frozen=True, eq=False)
class Reading:
    """One sentence through a run: per word, P(plural), and the quantities of ``units``
    of ``layer``, each a (words, units) array, a row per word and a column per unit."""

    run: str  # the run directory's name
    model: str  # its config's ``model``
    words: tuple[str, ...]  # as the model read them (normalised)
    unknown: tuple[str, ...]  # words outside the vocabulary, read as <unk>
    open_vocabulary: bool  # whether the model also reads each word's suffixes (<unk> too)
    layer: str
    layers: tuple[str, ...]  # the model's recurrent layers, first to last
    units: tuple[int, ...]
    unit_r: tuple[float, ...]  # r of each unit with the subject's number over the span
    quantities: dict  # name → (words, units) array, in ORDER; with the clamp applied
    symbols: dict  # name → its symbol in the course's notation
    # P(plural) after each word: of the subject of a verb that would come next. None for a
    # run that does not answer number (lm, grammaticality).
    p_plural: np.ndarray | None
    clamp: Clamp | None
    p_plural_unclamped: np.ndarray | None  # the same without the clamp, where there is one

    @property
    def p_plural_at(self) -> np.ndarray | None:
        """P(plural) of a verb at each word, read from the words before it: the value at
        the last word of "The dogs near the cat are" is the model's answer for "are".
        NaN at the first word, which has none before it."""
        return None if self.p_plural is None else _shifted(self.p_plural)

    @property
    def p_plural_at_unclamped(self) -> np.ndarray | None:
        return None if self.p_plural_unclamped is None else _shifted(self.p_plural_unclamped)

    def rows(self) -> list[dict]:
        """One row per (word, unit): every quantity, and P(plural) of a verb at the word."""
        p_at = self.p_plural_at
        rows = []
        for t, word in enumerate(self.words):
            for column, unit in enumerate(self.units):
                row = {"t": t, "word": word, "unit": unit}
                row |= {name: float(v[t, column]) for name, v in self.quantities.items()}
                row["p_plural_at_word"] = float(p_at[t]) if p_at is not None else math.nan
                rows.append(row)
        return rows

    def to_json(self) -> dict:
        """The reading as JSON-ready lists and numbers (NaN as None)."""

        def numbers(values):
            return None if values is None else _json_numbers(np.asarray(values, np.float64))

        return {
            "run": self.run,
            "model": self.model,
            "words": list(self.words),
            "unknown": list(self.unknown),
            "open_vocabulary": self.open_vocabulary,
            "layer": self.layer,
            "layers": list(self.layers),
            "units": list(self.units),
            "unit_r": numbers(self.unit_r),
            "quantities": {name: numbers(v) for name, v in self.quantities.items()},
            "symbols": dict(self.symbols),
            "p_plural_at": numbers(self.p_plural_at),
            "p_plural_at_unclamped": numbers(self.p_plural_at_unclamped),
            "clamp": None
            if self.clamp is None
            else {
                "units": list(self.clamp.units),
                "values": list(self.clamp.values),
                "start": self.clamp.start,
            },
        }


def _shifted(p_plural: np.ndarray) -> np.ndarray:
    return np.concatenate([[np.nan], p_plural[:-1]])


def _json_numbers(values: np.ndarray):
    return np.where(np.isfinite(values), values, None).tolist()


def read_sentence(trained, sentence: str, units=None, *, top_units=6, layer=None, clamp=None):
    """``sentence`` read by ``trained`` (a :class:`evaluate.trained_run.TrainedRun`) for
    ``units`` of ``layer`` (default: the layer feeding the head, and its ``top_units``
    number units), with ``clamp`` (a :class:`Clamp`) applied: a :class:`Reading`."""
    from evaluate.stack_stepping import step_stack
    from evaluate.units import choose_layer
    from train.run_contract import recurrent_layers

    trained.require_task(TASKS, "read")
    model, vocab = trained.model, trained.vocab
    layer = choose_layer(model, layer, trained.argument("layer"))
    words = trained.words(sentence)
    ids = vocab.encode_batch([words])
    n_units = _layer_width(model, layer)
    ranking = trained.unit_ranking(layer)
    if units is None:
        count = _count(top_units, trained.argument("top_units"))
        units = [int(u) for u in ranking.order[: min(count, n_units)]]
    else:
        units = _units(units, n_units, trained.argument("units"))
    row, p_plural_unclamped = 0, None
    if clamp is None:
        stepped = step_stack(model, ids, gates=True)
    else:
        clamp = _checked(clamp, n_units, len(words), trained.argument("clamp"))
        # One pass: the sentence twice, clamped in the second row only.
        edit = {layer: (list(clamp.units), list(clamp.values), clamp.start, [False, True])}
        stepped = step_stack(model, np.concatenate([ids, ids]), edit, gates=True)
        row, p_plural_unclamped = 1, _p_plural(trained, stepped, 0)
    quantities = {
        name: stepped[layer][name][row][:, units] for name in ORDER if name in stepped[layer]
    }
    symbols = {name: GATE_SYMBOLS.get(name, name) for name in quantities}
    if "state_1" in quantities:
        symbols |= LSTM_SYMBOLS
    return Reading(
        run=trained.path.name,
        model=trained.config.model,
        words=tuple(words),
        unknown=tuple(sorted({w for w in words if w not in vocab})),
        open_vocabulary=vocab.suffixes is not None,
        layer=layer,
        layers=tuple(part.name for part in recurrent_layers(model)),
        units=tuple(units),
        unit_r=tuple(float(ranking.r_span[u]) for u in units),
        quantities=quantities,
        symbols=symbols,
        p_plural=_p_plural(trained, stepped, row),
        clamp=clamp,
        p_plural_unclamped=p_plural_unclamped,
    )


def _layer_width(model, layer: str) -> int:
    """The width of ``layer``'s first state (c; h for an LSTM): its units."""
    from zoo.stepping import state_sizes

    return state_sizes(model.get_layer(layer).cell)[0]


def _p_plural(trained, stepped, row: int) -> np.ndarray | None:
    """P(plural) after each word of ``row`` from the last layer's states, through the
    model's head."""
    if trained.task != NUMBER:
        return None
    from keras import ops

    from train.run_contract import logits_layer, recurrent_layers

    last = recurrent_layers(trained.model)[-1].name
    logits = logits_layer(trained.model)(ops.convert_to_tensor(stepped[last]["state"][row]))
    return plural_probability(ops.convert_to_numpy(logits).astype(np.float64))


def _is_int(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _count(value, argument: str) -> int:
    if not _is_int(value) or value < 1:
        raise InputError(f"{argument}: expected a positive integer, got {value!r}")
    return int(value)


def _units(units, n_units: int, argument: str) -> list[int]:
    if isinstance(units, str | bytes) or not hasattr(units, "__iter__"):
        raise InputError(f"{argument}: expected a list of unit numbers, got {units!r}")
    units = list(units)
    if not units:
        raise InputError(f"{argument}: expected at least one unit, got none")
    if not all(_is_int(u) and 0 <= u < n_units for u in units):
        raise InputError(f"{argument}: units are numbered 0..{n_units - 1}, got {units}")
    return [int(u) for u in units]


def _as_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, tuple | list | np.ndarray) else (value,)


def _checked(clamp, n_units: int, n_words: int, argument: str) -> Clamp:
    """``clamp`` with its units and values as tuples (one value per unit), or an error."""
    if not isinstance(clamp, Clamp):
        raise InputError(f"{argument}: expected a Clamp(units, values, start), got {clamp!r}")
    units, values = _as_tuple(clamp.units), _as_tuple(clamp.values)
    if not units or not all(_is_int(u) and 0 <= u < n_units for u in units):
        raise InputError(f"{argument}: units are numbered 0..{n_units - 1}, got {clamp.units!r}")
    if len(set(units)) < len(units):
        raise InputError(f"{argument}: each unit once, got {clamp.units!r}")
    if len(values) == 1:
        values = values * len(units)
    if len(values) != len(units):
        raise InputError(
            f"{argument}: expected one value, or one per unit ({len(units)}), got {len(values)}"
        )
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise InputError(f"{argument}: expected a number to clamp to, got {value!r}")
        if not math.isfinite(value):
            raise InputError(f"{argument}: expected a finite value, got {value!r}")
    if not _is_int(clamp.start) or not 0 <= clamp.start < n_words:
        raise InputError(
            f"{argument}: the sentence's words are numbered 0..{n_words - 1}, "
            f"got start={clamp.start!r}"
        )
    return Clamp(tuple(int(u) for u in units), tuple(float(v) for v in values), int(clamp.start))
