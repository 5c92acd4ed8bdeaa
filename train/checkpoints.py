"""Per-epoch checkpoints that a killed run resumes from.

After each completed epoch the whole model, optimizer state included, is saved
to ``checkpoints/epoch-XX.keras``, written to a temporary file and renamed so a
run killed mid-write never leaves a broken checkpoint behind. A checkpoint damaged
afterwards (a truncated copy, a bad disk) is found by :func:`set_aside_unreadable`
before a resume, which then continues from the newest readable one.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import keras

from train import atomic_files

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
        path.replace(path.with_name(path.name + ".unreadable"))
        set_aside.append(path)
    return set_aside, 0


class EpochCheckpoint(keras.callbacks.Callback):
    """Saves the model and its optimizer state at the end of every epoch."""

    def __init__(self, checkpoint_dir: Path):
        super().__init__()
        self.checkpoint_dir = Path(checkpoint_dir)

    def on_epoch_end(self, epoch, logs=None):
        self.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        atomic_files.save_model(self.model, checkpoint_path(self.checkpoint_dir, epoch + 1))
