"""Per-epoch checkpoints that a killed run resumes from.

After each completed epoch the whole model, optimizer state included, is saved
to ``checkpoints/epoch-XX.keras``, written to a temporary file and renamed so a
run killed mid-write never leaves a broken checkpoint behind.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import keras

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


class EpochCheckpoint(keras.callbacks.Callback):
    """Saves the model and its optimizer state at the end of every epoch."""

    def __init__(self, checkpoint_dir: Path):
        super().__init__()
        self.checkpoint_dir = Path(checkpoint_dir)

    def on_epoch_end(self, epoch, logs=None):
        self.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        final = checkpoint_path(self.checkpoint_dir, epoch + 1)
        partial = final.with_name(final.name + ".partial.keras")
        self.model.save(partial)
        os.replace(partial, final)
