"""A command's output directory: refused before any work if it cannot be made, and its
files written all at once, after every number has been computed.

Files are first written (and flushed to disk) in a temporary directory beside
``out_dir``. A new ``out_dir`` then appears whole, by renaming that directory; into
an existing one each file is renamed over its old version, so every file is either
the old one or the new one, never half-written. On any failure (disk full, no
permission, Ctrl-C) the temporary directory and any parent directories this call
created are removed again, and the error names the file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from cli_support.atomic_files import new_directory_mode
from cli_support.errors import FileError, InputError


def check_out_dir(out_dir: str | Path, argument: str = "--out") -> None:
    """Refuses an output directory that cannot be made: an existing file, a path under a
    file, or (where the file system says so) a directory we may not write in."""
    if not str(out_dir):  # Path("") would be the working directory.
        raise InputError(f"{argument}: expected a directory, got an empty path")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{argument}: {str(out_dir)!r} exists and is not a directory")
    existing = out_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(
            f"{argument}: {str(existing)!r} is not a directory, so {str(out_dir)!r} cannot be made"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{argument}: no permission to write in {str(existing)!r}")


def write_outputs(out_dir: str | Path, files: dict, argument: str = "--out") -> list[Path]:
    """Writes ``{name: text, bytes or an open text file}`` into ``out_dir`` (created),
    replacing same-named files; an open file is copied from where it stands."""
    out_dir = Path(out_dir)
    check_out_dir(out_dir, argument)
    created = _missing_parents(out_dir)
    _refuse_links(out_dir, files, argument)
    staging, current, done = None, out_dir, False
    try:
        for parent in created:
            current = parent
            parent.mkdir()
        current = out_dir
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
        for name, content in files.items():
            current = out_dir / name
            _write_flushed(staging / name, content)
        if not out_dir.exists():
            current = out_dir
            os.chmod(staging, new_directory_mode())  # mkdtemp's 0700 → an ordinary directory
            os.rename(staging, out_dir)
            staging = None
        else:
            _refuse_links(out_dir, files, argument)
            for name in files:
                current = out_dir / name
                current.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / name, current)
        done = True
        return [out_dir / name for name in files]
    except OSError as error:
        raise FileError(f"{argument}: cannot write {str(current)!r}: {error.strerror}") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if not done:
            for parent in reversed(created):
                try:
                    parent.rmdir()
                except OSError:
                    break


def _refuse_links(out_dir: Path, files: dict, argument: str) -> None:
    """Refuses a file to write, or a folder between it and ``out_dir``, that is a symbolic
    link: the rename would replace the link, or land outside ``out_dir``. ``out_dir``
    itself may be a link the user gave on purpose."""
    for name in files:
        path = out_dir / name
        while path != out_dir:
            if path.is_symlink():
                raise FileError(
                    f"{argument}: {str(path)!r} is a symbolic link; refusing to write "
                    "through or over it (remove it)"
                )
            path = path.parent


def _missing_parents(out_dir: Path) -> list[Path]:
    """The parents of ``out_dir`` that do not exist yet, outermost first."""
    missing = []
    for parent in out_dir.parents:
        if parent.exists():
            break
        missing.append(parent)
    return missing[::-1]


def _write_flushed(path: Path, content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str | bytes):
        data = content.encode("utf-8") if isinstance(content, str) else content
        with open(path, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        shutil.copyfileobj(content, handle)
        handle.flush()
        os.fsync(handle.fileno())
