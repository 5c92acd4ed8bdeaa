"""Files of a run written whole or not at all.

Each file is written to a hidden temporary beside it (``.NAME.partial-PID.EXT``, same
directory, so the rename never crosses file systems) and renamed over the final name
only once complete. If writing fails (a full disk, a permission, Ctrl-C) the temporary
is removed and the final name keeps its previous content or stays absent, and the
error is an ``OSError`` that names the final file.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def partial_path(path: Path) -> Path:
    """The temporary of ``path``; keeps its extension (``keras`` saves only to ``.keras``)."""
    return path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")


@contextlib.contextmanager
def replacing(path: str | Path):
    """Yields a temporary path to write; renames it to ``path`` if the block succeeds."""
    path = Path(path)
    partial = partial_path(path)
    try:
        yield partial
        os.replace(partial, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(error, OSError):
            # Keras and h5py raise the errno without a file name: name the final file.
            raise OSError(error.errno, error.strerror or str(error), str(path)) from None
        raise


def write_text(path: str | Path, text: str) -> None:
    with replacing(path) as partial:
        with open(partial, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())


def save_model(model, path: str | Path) -> None:
    """``model.save(path)``, atomically."""
    with replacing(path) as partial:
        model.save(partial)
