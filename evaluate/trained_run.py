"""A trained run, opened once and asked questions from Python: ``evaluate.open_run(run_dir)``.

    >>> run = evaluate.open_run(run_dir)           # a directory `python -m train` wrote
    >>> run.task, run.config.model
    ('number', 'gru')
    >>> p = run.predict_plural(["The dogs near the cat", "The dog near the cats"])
    >>> p.shape, bool(((0 <= p) & (p <= 1)).all())
    ((2,), True)
    >>> trace = run.trace("The cats, which the dog chases, eat", units=[0, 3])
    >>> trace.words[:3], trace.state.shape        # c⟨t⟩ per word (rows) and unit (columns)
    (('the', 'cats', ','), (9, 2))
    >>> found = run.number_units(examples=20, top=[1], random_draws=1)
    >>> found.order.shape, found.ablation[0]["k"]
    ((16,), 1)
    >>> saturation = run.gate_saturation(examples=50)
    >>> sorted({row["gate"] for row in saturation.rows})
    ['reset', 'update']
    >>> [scores] = run.score_pairs([("The dogs near the cat are", "The dogs near the cat is")])
    >>> scores.name, len(scores.scores)
    ('pairs', 1)

Each method returns data (NumPy arrays, frozen dataclasses, lists of plain rows) and is
what the matching ``python -m evaluate`` subcommand calls before it prints and writes:
``trace`` (:func:`evaluate.trace.trace_sentence`), ``units``
(:func:`evaluate.units.find_number_units`), ``gates``
(:func:`evaluate.gates.measure_saturation`) and ``pairs``
(:func:`evaluate.pairs.score_sources`); ``read`` and ``unit_ranking`` are what the page of
``explore`` draws (:mod:`evaluate.reading`). The config, vocabulary and model are read once,
when first needed, so a run that is only asked about its config never loads Keras.

Bad input raises :class:`ValueError` (:class:`cli_support.errors.InputError`) in one line that
names the argument; problems with the run directory itself name it ``RUN_DIR``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from cli_support.errors import InputError
from datasets.agreement import NUMBER
from evaluate.runs import Run, find_runs, load_examples, load_model, load_vocab, require_task


def open_run(run_dir: str | Path, *, argument_names: Mapping[str, str] | None = None):
    """The run ``python -m train`` wrote to ``run_dir``, ready to be asked: a :class:`TrainedRun`.

    Args:
        run_dir: One run directory (with ``config.json`` and ``metrics.json``); a sweep's
            directory of several runs is refused.
        argument_names: How errors name each argument (``{"units": "--units"}``), for a
            command line whose user typed flags; by default, the methods' own parameter names.
    """
    # RUN_DIR, as the run-reading errors of evaluate.runs name the run directory.
    names = {"run_dir": "RUN_DIR", **(argument_names or {})}
    runs = find_runs([run_dir])
    if len(runs) != 1:
        raise InputError(
            f"{names['run_dir']}: {run_dir} holds {len(runs)} runs; give one run directory"
        )
    return TrainedRun(runs[0], names)


class TrainedRun:
    """A trained run: its config, metrics, vocabulary and model, and the analyses on them.

    Made by :func:`open_run`. ``model`` and ``vocab`` are loaded on first use and kept.
    """

    def __init__(self, run: Run, argument_names: Mapping[str, str] | None = None):
        self.run = run
        self._names = {"run_dir": "RUN_DIR", **(argument_names or {})}
        self._rankings = {}  # (layer, examples) → UnitRanking

    def __repr__(self) -> str:
        return f"<TrainedRun {self.config.model!r} task={self.task!r} at {str(self.path)!r}>"

    @property
    def path(self) -> Path:
        return self.run.path

    @property
    def config(self):
        """The run's :class:`train.config.TrainConfig`, as written to ``config.json``."""
        return self.run.config

    @property
    def metrics(self) -> dict:
        """``metrics.json``: the scores training wrote."""
        return self.run.metrics

    @property
    def task(self) -> str:
        return self.run.config.task

    @cached_property
    def model(self):
        """The trained Keras model (``model.keras``)."""
        from train.model import keras_xla_guard_silenced

        # In a process that has trained (a notebook), TensorFlow's op determinism is on and
        # Keras warns, while compiling the loaded model, that it turns XLA off.
        with keras_xla_guard_silenced():
            return load_model(self.run)

    @cached_property
    def vocab(self):
        """The :class:`datasets.agreement.Vocabulary` the model's inputs are encoded with."""
        return load_vocab(self.run)

    def argument(self, name: str) -> str:
        """How an error names the argument ``name``: its flag on the command line."""
        return self._names.get(name, name)

    def require_task(self, tasks: tuple[str, ...], what: str) -> None:
        """Refuses in one line a run whose task ``what`` cannot analyse."""
        require_task(self.run, tasks, what, self.argument("run_dir"))

    def examples(self, split: str = "test", n: int | None = None) -> list[dict]:
        """The first ``n`` examples of an evaluation split, exactly as training scored them
        (:func:`evaluate.runs.load_examples`)."""
        return load_examples(self.run, split, n)

    def words(self, sentence: str, argument: str = "sentence") -> list[str]:
        """``sentence`` as the model reads it: normalised as the training data was
        (:func:`datasets.agreement.text.normalise`), without punctuation the vocabulary
        lacks. Words outside the vocabulary stay and are read as ``<unk>``."""
        from datasets.agreement.text import normalise

        if not isinstance(sentence, str):
            raise InputError(
                f"{self.argument(argument)}: expected a string, got {type(sentence).__name__}"
            )
        vocab = self.vocab
        words = [w for w in normalise(sentence) if w in vocab or w[0].isalnum()]
        if not words:
            raise InputError(
                f"{self.argument(argument)}: no words left after normalising {sentence!r}"
            )
        return words

    def predict_plural(self, sentences: str | Sequence[str]):
        """P(plural): the model's probability that the subject of the verb that comes next
        is plural, read after each sentence's last word. Needs a ``number`` run.

        A string gives a float, a list of strings an array of one value per sentence.

        Example:
            >>> run.predict_plural("The dog near the cats") < 0.5 < run.predict_plural("The dogs")
            True
        """
        from train.scoring import last_word_logits

        self.require_task((NUMBER,), "predict_plural")
        one = isinstance(sentences, str)
        texts = [sentences] if one else list(sentences)
        if not texts:
            raise InputError(f"{self.argument('sentences')}: expected at least one sentence")
        words = [
            self.words(text, "sentences" if one else f"sentences[{i}]")
            for i, text in enumerate(texts)
        ]
        logits = last_word_logits(self.model, self.vocab.encode_batch(words)).astype(np.float64)
        p_plural = plural_probability(logits)
        return float(p_plural[0]) if one else p_plural

    def trace(self, sentence: str, units: Sequence[int] | None = None, *, top_units=2, layer=None):
        """Γu, Γr, c̃ and c of ``units`` at every word of ``sentence``: a
        :class:`evaluate.trace.Trace`. By default the ``top_units`` number units.

        ``layer``: a gated layer's name (default: the one feeding the head).
        """
        from evaluate.trace import trace_sentence

        return trace_sentence(self, sentence, units, top_units=top_units, layer=layer)

    def unit_ranking(self, layer=None, examples: int = 500):
        """The units of ``layer`` (default: the one feeding the head) ranked by |r| of
        their c⟨t⟩ with the subject's number over the span, on the first ``examples``
        test sentences, with their mean values: an :class:`evaluate.units.UnitRanking`.
        Computed once per layer and kept."""
        from evaluate.units import choose_layer, rank_units

        layer = choose_layer(self.model, layer, self.argument("layer"))
        key = (layer, examples)
        if key not in self._rankings:
            self._rankings[key] = rank_units(self, layer, examples)
        return self._rankings[key]

    def read(self, sentence: str, units=None, *, top_units=6, layer=None, clamp=None):
        """``sentence`` word by word: P(plural) of a verb at each word and every quantity
        of ``units`` of ``layer`` (default: its ``top_units`` number units in the layer
        feeding the head), with ``clamp`` (an :class:`evaluate.reading.Clamp`: a unit
        fixed from a word on) applied: an :class:`evaluate.reading.Reading`."""
        from evaluate.reading import read_sentence

        return read_sentence(self, sentence, units, top_units=top_units, layer=layer, clamp=clamp)

    def number_units(self, examples: int = 1000, *, top=(1, 2, 4), random_draws=5, layer=None):
        """The units that carry the subject's number, and what clamping them costs: a
        :class:`evaluate.units.NumberUnits` over the first ``examples`` test sentences."""
        from evaluate.units import find_number_units

        return find_number_units(self, examples, top=top, random_draws=random_draws, layer=layer)

    def gate_saturation(self, split: str = "test", examples: int = 1000):
        """How often each gate is near 0, near 1 or in between, by region of the
        sentence: an :class:`evaluate.gates.GateSaturation`."""
        from evaluate.gates import measure_saturation

        return measure_saturation(self, split, examples)

    def score_pairs(self, pairs, *, oov: str = "unk", group_by=None) -> list:
        """Minimal pairs scored, one :class:`evaluate.pairs.FileScores` per file.

        ``pairs``: a file, a directory of files, a suite name (``"blimp-agreement"``) or
        ``"tfds:blimp/<phenomenon>"``; a list of those; or a list of pairs, each a
        ``(good, bad)`` pair of sentences or a dict in BLiMP's format (scored as one
        file named ``pairs``). ``oov``: ``"unk"`` reads unknown words as ``<unk>``,
        ``"skip"`` leaves their pairs out. ``group_by``: the fields to group by (default:
        each file's condition fields).
        """
        from evaluate.pairs import score_sources

        return score_sources(self, pairs, oov=oov, group_by=group_by)


def plural_probability(logits: np.ndarray) -> np.ndarray:
    """P(plural) from [..., 2] number logits (singular, plural): a softmax's second entry."""
    shifted = np.exp(logits - logits.max(-1, keepdims=True))
    return shifted[..., 1] / shifted.sum(-1)
