"""Per-epoch checkpoints that a killed run resumes from.

After each completed epoch the whole model, optimizer state included, is saved
to ``checkpoints/epoch-XX.keras``, written to a temporary file and renamed so a
run killed mid-write never leaves a broken checkpoint behind. A checkpoint damaged
afterwards (a truncated copy, a bad disk) is found by :func:`set_aside_unreadable`
before a resume, which then continues from the newest readable one. A complete archive
that still is not this run's model, or that Keras's ``safe_mode`` refuses to load (a
class it does not know, a ``Lambda`` layer: code that would run on loading), is set
aside the same way by :func:`load_newest` when training resumes, and training continues
from the newest checkpoint that loads, or from epoch 1 if none does. A checkpoint set
aside is renamed ``*.unreadable``, never deleted, and each is reported in one line.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

import keras

from cli_support import atomic_files
from datasets.agreement import TASKS
from train.run_contract import EMBEDDING_LAYER, VOCAB_FILE, recurrent_layer_name

CHECKPOINT_PATTERN = re.compile(r"^epoch-(\d+)\.keras$")


def checkpoint_path(checkpoint_dir: Path, epoch: int) -> Path:
    """The checkpoint written after ``epoch`` epochs (counting from 1)."""
    return checkpoint_dir / f"epoch-{epoch:02d}.keras"


def completed_epochs(checkpoint_dir: Path) -> dict[int, Path]:
    """Checkpoints by the number of epochs completed when they were written."""
    found = {}
    if checkpoint_dir.is_dir():
        for path in checkpoint_dir.iterdir():
            match = CHECKPOINT_PATTERN.match(path.name)
            if match:
                found[int(match.group(1))] = path
    return dict(sorted(found.items()))


def is_readable(path: Path) -> bool:
    """Whether a ``.keras`` checkpoint is a complete zip archive holding a Keras model.

    Every member's CRC is checked, so truncation and flipped bytes are both found
    without loading Keras.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            return "config.json" in archive.namelist() and archive.testzip() is None
    except (OSError, zipfile.BadZipFile, EOFError):
        return False


def architecture_mismatch(path: Path, config, vocab_size: int | None = None) -> str | None:
    """How the model in ``path`` (a checkpoint or ``model.keras``) differs from the one
    ``config`` (the run's ``config.json``) describes, naming the setting: its cell and
    task (the model's name), the number of recurrent layers, their units, the embedding
    size and, given ``vocab_size``, the vocabulary it reads; None if it matches or if
    the archive's own ``config.json`` cannot be read (:func:`is_readable` judges that).
    Read from the archive's JSON, without loading the model."""
    try:
        with zipfile.ZipFile(path) as archive:
            model = json.loads(archive.read("config.json"))["config"]
        layers = {layer["config"]["name"]: layer["config"] for layer in model["layers"]}
        name = model["name"]
    except (OSError, zipfile.BadZipFile, KeyError, TypeError, ValueError, RecursionError):
        return None
    if name != f"{config.model}_{config.task}":  # build_model names it so
        task = next((task for task in TASKS if str(name).endswith(f"_{task}")), None)
        if task is None:
            return f"model {name} (the run has {config.model}_{config.task})"
        if task != config.task:
            return f"a model of task {task} (the run has --task {config.task})"
        cell = name.removesuffix(f"_{task}")
        return f"a model of cell {cell} (the run has --model {config.model})"
    recurrent = 0
    while recurrent_layer_name(recurrent) in layers:
        recurrent += 1
    if recurrent != config.layers:
        return f"{recurrent} recurrent layers (the run has --layers {config.layers})"
    for index in range(recurrent):
        units = layers[recurrent_layer_name(index)].get("units")
        if units != config.units:
            return f"{units} units (the run has --units {config.units})"
    embedding = layers.get(EMBEDDING_LAYER, {})
    embed_dim = embedding.get("output_dim", embedding.get("embed_dim", config.embed_dim))
    if embed_dim != config.embed_dim:
        return f"an embedding of {embed_dim} (the run has --embed-dim {config.embed_dim})"
    # keras.layers.Embedding calls it input_dim, train.embedding.WordAndSuffixEmbedding vocab_size.
    words = embedding.get("input_dim", embedding.get("vocab_size", vocab_size))
    if vocab_size is not None and words != vocab_size:
        return f"a vocabulary of {words} words (the run's {VOCAB_FILE} has {vocab_size})"
    return None


def set_aside_unreadable(checkpoint_dir: Path) -> tuple[list[Path], int]:
    """Renames the newest checkpoints that cannot be read to ``*.unreadable``.

    Returns the checkpoints set aside (by their former names) and the epoch training
    can continue after (0 when no checkpoint is readable). Older checkpoints are left alone: only the newest
    readable one is needed.
    """
    set_aside = []
    for epoch, path in reversed(completed_epochs(checkpoint_dir).items()):
        if is_readable(path):
            return set_aside, epoch
        set_aside_as_unreadable(path)
        set_aside.append(path)
    return set_aside, 0


def set_aside_as_unreadable(path: Path) -> None:
    """Renames a checkpoint that cannot be resumed from to ``<name>.unreadable``: kept for
    whoever wants to look at it, never found again as a checkpoint."""
    path.replace(path.with_name(path.name + ".unreadable"))


def load_newest(checkpoint_dir: Path, config, vocab_size: int):
    """The newest checkpoint that loads as this run's model, and the epochs it completed;
    ``(None, 0)`` when none does.

    A newer checkpoint of another model (:func:`architecture_mismatch`, the vocabulary
    included) or one that Keras refuses to load (``safe_mode`` stops a class it does not
    know and a ``Lambda`` layer before any of their code runs) is set aside as
    ``*.unreadable`` and reported on stderr in one line with the epoch training continues
    after. Called within the distribution strategy's scope, where the model must be built.
    """
    refused = []
    for epoch, path in reversed(completed_epochs(checkpoint_dir).items()):
        why = architecture_mismatch(path, config, vocab_size)
        if why is None:
            try:
                model = keras.saving.load_model(path)
            except (ValueError, TypeError, KeyError, AttributeError, OSError, EOFError) as error:
                # Keras appends whole configurations to its messages: the first sentence says it.
                why = str(error).strip().split(". ")[0].splitlines()[0][:200]
            else:
                _report_set_aside(refused, f"continuing after epoch {epoch}")
                return model, epoch
        set_aside_as_unreadable(path)
        refused.append(f"{path} ({why})")
    _report_set_aside(refused, "starting again from epoch 1")
    return None, 0


def _report_set_aside(refused: list[str], continuing: str) -> None:
    if refused:
        print(
            f"python -m train: cannot resume from {'; '.join(refused)}: set aside as "
            f"*.unreadable, {continuing}",
            file=sys.stderr,
        )


class EpochCheckpoint(keras.callbacks.Callback):
    """Saves the model and its optimizer state at the end of every epoch."""

    def __init__(self, checkpoint_dir: Path):
        super().__init__()
        self.checkpoint_dir = Path(checkpoint_dir)

    def on_epoch_end(self, epoch, logs=None):
        self.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        atomic_files.save_model(self.model, checkpoint_path(self.checkpoint_dir, epoch + 1))
