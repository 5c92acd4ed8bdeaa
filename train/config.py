"""The training configuration: one frozen dataclass, validated on construction.

Every field is a command-line flag of ``python -m train`` (``--embed-dim`` for
``embed_dim``) and a key of an optional ``--config FILE.toml``; flags override the
file, and an unset flag never overrides a default. The resolved configuration is
written whole to the run directory as ``config.json``.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

TASKS = ("number", "lm", "grammaticality")
STRATEGIES = ("default", "mirrored", "multiworker")


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
    seed: int = _flag("seed of the data, the weights and the shuffling", default=0)
    train_size: int = _flag("training sentences", default=20000)
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
        for name in ("units", "embed_dim", "layers", "epochs", "batch_size", "train_size"):
            _require_positive_int(name, getattr(self, name))
        if self.max_train_length is not None:
            _require_positive_int("max_train_length", self.max_train_length)
        if not isinstance(self.learning_rate, int | float) or not self.learning_rate > 0:
            raise ValueError(
                f"{flag_name('learning_rate')}: expected a positive number, got {self.learning_rate!r}"
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
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise ValueError(
                f"{flag_name('seed')}: expected a non-negative integer, got {self.seed!r}"
            )
        _require_choice("task", self.task, TASKS)
        _require_choice("strategy", self.strategy, STRATEGIES)
        _require_choice("model", self.model, _model_names())
        _require_choice("dataset_config", self.dataset_config, _dataset_config_names())
        if not isinstance(self.jit, bool):
            raise ValueError(f"jit: expected true or false, got {self.jit!r}")

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        return cls(**json.loads(text))


# Settings a dataset config needs for its results, used where neither a flag nor the TOML
# file sets them (like the defaults above). The english data has a 20,000-word open
# vocabulary and varied sentences: a larger embedding and memory, and more sentences.
DATASET_PRESETS = {
    "english": {"units": 128, "embed_dim": 64, "train_size": 100_000, "epochs": 4},
}


def with_dataset_preset(values: dict) -> dict:
    """``values`` (field → value, from flags and TOML) over its dataset config's preset."""
    preset = DATASET_PRESETS.get(values.get("dataset_config", "default"), {})
    return {**preset, **values}


def flag_name(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


def _require_positive_int(name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{flag_name(name)}: expected a positive integer, got {value!r}")


def _require_choice(name, value, choices):
    if value not in choices:
        raise ValueError(
            f"{flag_name(name)}: invalid choice {value!r} (choose from {', '.join(choices)})"
        )


def _model_names():
    import zoo

    return tuple(zoo.names())


def _dataset_config_names():
    from datasets import agreement

    return tuple(agreement.CONFIGS)


def read_toml_overrides(path: str | Path) -> dict:
    """Reads ``--config FILE.toml``: top-level keys named like the config's fields."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"--config: no such file {str(path)!r}")
    try:
        values = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"--config: {path} is not valid TOML ({error})") from None
    known = {f.name for f in dataclasses.fields(TrainConfig)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(
            f"--config: unknown key {unknown[0]!r} in {path} (valid keys: {', '.join(sorted(known))})"
        )
    return values
