"""Where a benchmark writes: an output directory refused before any work if it cannot be
made or written in."""

from __future__ import annotations

import os
from pathlib import Path

from cli_support.errors import InputError


def check_out_dir(out_dir: str, flag: str = "--out") -> None:
    """Refuses, before any work, an output directory that cannot be made or written in."""
    if not str(out_dir):  # Path("") would be the working directory.
        raise InputError(f"{flag}: expected a directory, got an empty path")
    existing = Path(out_dir)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(
            f"{flag}: cannot make or write in {str(out_dir)!r} ({str(existing)!r} is "
            "not a directory this user may write in)"
        )
