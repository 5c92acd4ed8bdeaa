"""The training configuration: one frozen dataclass, validated on construction.

Every field is a command-line flag of ``python -m train`` (``--embed-dim`` for
``embed_dim``) and a key of an optional ``--config FILE.toml``; flags override the
file, and an unset flag never overrides a default. The resolved configuration is
written whole to the run directory as ``config.json``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

STRATEGIES = ("default", "mirrored", "multiworker")
# How sentences are batched (train.batches): "shuffled", batches of each epoch's
# permutation, as long as the data's longest sentence; "by_length", sentences of similar
# length together, each batch as long as its own longest.
BATCHINGS = ("shuffled", "by_length")
# How Adam's step size moves over a run (train.model.learning_rate): "constant"; "cosine",
# from --learning-rate down to 0 along a half cosine over every step of the run, so the
# last epochs average out the noise of single batches and a run ends less by chance.
LEARNING_RATE_SCHEDULES = ("constant", "cosine")
# keras.utils.set_random_seed seeds NumPy's legacy generator, which takes 32-bit seeds.
MAX_SEED = 2**32 - 1


def _flag(help_text: str, **kwargs):
    return field(metadata={"help": help_text}, **kwargs)


@dataclass(frozen=True)
class TrainConfig:
    """What one training run does. Field docs double as ``--help`` text."""

    model: str = _flag("recurrent layer, any name of zoo.names()", default="gru")
    task: str = _flag(
        "number: predict the subject's number from the words before the verb; "
        "lm: next-word prediction; grammaticality: tell correct from wrong verb forms",
        default="number",
    )
    dataset_config: str = _flag(
        "agreement dataset config (datasets.agreement.CONFIGS)", default="default"
    )
    units: int = _flag("recurrent units per layer", default=48)
    embed_dim: int = _flag("word embedding size", default=32)
    word_dropout: float = _flag(
        "open vocabularies (english): probability that a known word is read as unknown in "
        "training, so the model learns to read number from the word's suffixes",
        default=0.1,
    )
    layers: int = _flag("stacked recurrent layers", default=1)
    epochs: int = _flag("passes over the training set", default=6)
    batch_size: int = _flag("sentences per training step", default=128)
    learning_rate: float = _flag("Adam learning rate", default=5e-3)
    learning_rate_schedule: str = _flag(
        "constant: the learning rate throughout; cosine: from the learning rate down to 0 "
        "along a half cosine over the run's steps",
        default="constant",
    )
    seed: int = _flag("seed of the data, the weights and the shuffling", default=0)
    train_size: int = _flag("training sentences", default=20000)
    batching: str = _flag(
        "shuffled: each batch a random draw, padded to the data's longest sentence; "
        "by_length: sentences of similar length batched together, each batch cut to its "
        "own longest (faster where lengths vary widely)",
        default="shuffled",
    )
    max_train_length: int | None = _flag(
        "longest dependency length in the training data (default: the dataset config's)",
        default=None,
    )
    run_dir: str | None = _flag(
        "where to write the run (default: runs/<model>-<time>)", default=None
    )
    jit: bool = _flag("compile with XLA (jit_compile=True); --no-jit turns it off", default=True)
    strategy: str = _flag("tf.distribute strategy: " + "|".join(STRATEGIES), default="default")

    def __post_init__(self):
        for spec in dataclasses.fields(self):
            _require_type(spec.name, getattr(self, spec.name))
        for name in ("units", "embed_dim", "layers", "epochs", "batch_size", "train_size"):
            _require_positive_int(name, getattr(self, name))
        if self.max_train_length is not None:
            _require_positive_int("max_train_length", self.max_train_length)
        rate = self.learning_rate
        if not (isinstance(rate, int) or math.isfinite(rate)) or not rate > 0:
            raise ValueError(
                f"{flag_name('learning_rate')}: expected a positive finite number, "
                f"got {self.learning_rate!r}"
            )
        if (
            isinstance(self.word_dropout, bool)
            or not isinstance(self.word_dropout, int | float)
            or not 0 <= self.word_dropout < 1
        ):
            raise ValueError(
                f"{flag_name('word_dropout')}: expected a probability in [0, 1), "
                f"got {self.word_dropout!r}"
            )
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError(
                f"{flag_name('seed')}: expected an integer in [0, {MAX_SEED}] (NumPy's seed "
                f"range), got {self.seed!r}"
            )
        if self.run_dir == "":  # else read as "not given", the default directory
            raise ValueError(
                f"{flag_name('run_dir')}: expected a directory to write the run to, "
                "got an empty path"
            )
        # The data owns the tasks and the dataset configs; imported here, not with this
        # module, so that the command line's help answers without reading the data's code.
        from datasets import agreement

        _require_choice("task", self.task, agreement.TASKS)
        _require_choice("strategy", self.strategy, STRATEGIES)
        _require_choice("batching", self.batching, BATCHINGS)
        _require_choice(
            "learning_rate_schedule", self.learning_rate_schedule, LEARNING_RATE_SCHEDULES
        )
        _require_choice("model", self.model, MODEL_NAMES)
        _require_choice("dataset_config", self.dataset_config, tuple(agreement.CONFIGS))

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        """The config of a ``config.json``; ValueError, in one line, if it is not one."""
        values = json.loads(text)
        if not isinstance(values, dict):
            raise ValueError(f"expected a JSON object, got {type(values).__name__}")
        _require_known_keys(values)
        return cls(**values)


# Settings a dataset config needs for its results, used where neither a flag nor the TOML
# file sets them (like the defaults above). The english data has a 20,000-word open
# vocabulary, varied sentences and a target at every agreeing verb: a larger embedding and
# memory, more sentences, and a smaller step (at a constant 0.005 its training accuracy
# falls again after the second epoch) that falls to 0 by the end, so that a run ends near
# its best rather than wherever its last batches left it (at a constant step, which pairs
# a run got wrong changed from run to run; docs/results/english-every-verb.md). Fewer
# passes over more sentences: 200,000 sentences seen 5 times were fitted (training loss
# 0.0006 against 0.0033 on validation), and the same steps over 333,000 sentences seen 3
# times generalise better. Half as many steps again, over 500,000 sentences seen 3 times,
# miss about half as many of the hand-written `constructions` pairs over six seeds (the
# counts are in docs/results/english-every-verb.md), and a run still ends well within 15
# minutes on a 2-core CPU. The sentences are drawn by a process per core. They are 24 words
# long on average and 78 at the most, so batches by length train several times faster than
# batches padded to 78.
DATASET_PRESETS = {
    "english": {
        "units": 128,
        "embed_dim": 64,
        "train_size": 500_000,
        "epochs": 3,
        "learning_rate": 0.003,
        "learning_rate_schedule": "cosine",
        "batching": "by_length",
    },
}


def with_dataset_preset(values: dict) -> dict:
    """``values`` (field → value, from flags and TOML) over its dataset config's preset."""
    preset = DATASET_PRESETS.get(values.get("dataset_config", "default"), {})
    return {**preset, **values}


def changed_settings(config: TrainConfig, changes: dict, whose: str = "the run") -> list[str]:
    """The settings of ``changes`` (field → value) that differ from ``config``'s, as flags
    with both values: ``--epochs 3 (the run has 6)``."""
    return [
        f"{flag_name(name)} {value} ({whose} has {getattr(config, name)})"
        for name, value in changes.items()
        if value != getattr(config, name)
    ]


def flag_name(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


def field_type(field_name: str) -> type:
    """The field's type, without the ``None`` of an optional field."""
    hint = typing.get_type_hints(TrainConfig)[field_name]
    if isinstance(hint, types.UnionType):
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    return hint


TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def _has_type(value, kind) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) if kind is float else isinstance(value, kind)


def _require_type(name, value):
    if value is None and name in ("max_train_length", "run_dir"):
        return
    kind = field_type(name)
    if not _has_type(value, kind):
        label = "jit" if name == "jit" else flag_name(name)  # its flag is --no-jit
        raise ValueError(
            f"{label}: expected {TYPE_NAMES[kind]}, got {value!r} ({type(value).__name__})"
        )


def _require_known_keys(values: dict, where: str = "") -> None:
    known = {f.name for f in dataclasses.fields(TrainConfig)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(
            f"unknown key {unknown[0]!r}{where} (valid keys: {', '.join(sorted(known))})"
        )


def _require_positive_int(name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{flag_name(name)}: expected a positive integer, got {value!r}")


def _require_choice(name, value, choices):
    if value not in choices:
        raise ValueError(
            f"{flag_name(name)}: invalid choice {value!r} (choose from {', '.join(choices)})"
        )


# The names `--model` accepts: those of the zoo's registry (`zoo.names()`), written out so
# that a wrong name is refused without importing Keras, and with it TensorFlow, which takes
# seconds. A test keeps the two lists equal.
MODEL_NAMES = (
    "gru",
    "gru_no_reset_gate",
    "gru_no_update_gate",
    "gru_reset_after",
    "keras_gru",
    "lstm",
    "min_gru",
    "simple_rnn",
    "simplified_gru",
)


def read_toml_overrides(path: str | Path) -> dict:
    """Reads ``--config FILE.toml``: top-level keys named like the config's fields.

    Every error is one line naming the file and, where there is one, the key.
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"--config: {str(path)!r} is a directory, not a TOML file")
    if path.exists() and not path.is_file():  # a pipe or a device: reading it could block
        raise ValueError(f"--config: {str(path)!r} is not a regular file, so not a TOML file")
    if not path.is_file():
        raise ValueError(f"--config: no such file {str(path)!r}")
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"--config: {path} is not a TOML file (not UTF-8 text)") from None
    except OSError as error:
        raise ValueError(f"--config: cannot read {path} ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"--config: {path} is not valid TOML ({error})") from None
    try:
        _require_known_keys(values, where=f" in {path}")
    except ValueError as error:
        raise ValueError(f"--config: {error}") from None
    for name, value in values.items():
        kind = field_type(name)
        if name == "model" and isinstance(value, list):
            raise ValueError(
                f"--config: key 'model' in {path}: expected a string, got a list {value!r}; "
                f'write a sweep\'s models as one string, model = "{",".join(map(str, value))}"'
            )
        if not _has_type(value, kind):
            raise ValueError(
                f"--config: key {name!r} in {path}: expected {TYPE_NAMES[kind]}, "
                f"got {value!r} ({type(value).__name__})"
            )
    return values
