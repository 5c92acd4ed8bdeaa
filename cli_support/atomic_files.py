"""Files written whole or not at all, and never through a symbolic link.

Each file is written to a hidden temporary beside it (``.NAME.partial-RANDOM.EXT``, same
directory, so the rename never crosses file systems) and renamed over the final name
only once complete. The temporary is made by :func:`tempfile.mkstemp`: a random name,
created with ``O_EXCL``, so a file or link already there (planted, or left by a killed
run) is never opened, only stepped around. The rename replaces the final name's
directory entry and never follows a link there; a final name that already is a link, or
anything but a regular file, is refused before anything is written. The new file keeps
the permissions of the one it replaces, or gets those an ordinary ``open`` would give.

If writing fails (a full disk, a permission, Ctrl-C) the temporary is removed and the
final name keeps its previous content or stays absent, and the error is an ``OSError``
that names the final file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path


class NotARegularFile(OSError):
    """The final name is a symbolic link, a directory or a device: refused, untouched."""


def refuse_unless_regular_or_absent(path: Path) -> None:
    """Raises :class:`NotARegularFile` if ``path`` exists and is not a regular file
    (a symbolic link is refused whatever it points to)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise NotARegularFile(
            errno.ELOOP, "is a symbolic link where a regular file is expected; refusing to "
            "write through or over it (remove it)", str(path)
        )  # fmt: skip
    if not stat.S_ISREG(mode):
        raise NotARegularFile(
            errno.EEXIST, "exists and is not a regular file; refusing to replace it", str(path)
        )


def _umask() -> int:
    """The process's umask, which can only be read by setting it (and setting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The permissions ``open`` gives a new file (``mkstemp`` gives 0600)."""
    return 0o666 & ~_umask()


def new_directory_mode() -> int:
    """The permissions ``mkdir`` gives a new directory (``mkdtemp`` gives 0700)."""
    return 0o777 & ~_umask()


def _temporary(path: Path) -> tuple[int, Path]:
    """A new, empty, exclusively created temporary beside ``path`` (keeps its extension:
    ``keras`` saves only to ``.keras``)."""
    descriptor, name = tempfile.mkstemp(
        prefix=f".{path.stem}.partial-", suffix=path.suffix, dir=path.parent
    )
    return descriptor, Path(name)


@contextlib.contextmanager
def _replacing(path: Path):
    """Yields (descriptor, temporary path); renames the temporary to ``path`` on success."""
    partial = None
    try:
        refuse_unless_regular_or_absent(path)
        try:
            mode = stat.S_IMODE(os.lstat(path).st_mode)
        except FileNotFoundError:
            mode = new_file_mode()
        descriptor, partial = _temporary(path)
        try:
            yield descriptor, partial
            os.fchmod(descriptor, mode)  # set once written: a read-only mode would stop Keras
        finally:
            with contextlib.suppress(OSError):
                os.close(descriptor)
        refuse_unless_regular_or_absent(path)
        os.replace(partial, path)  # replaces the entry at ``path``; never follows it
        partial = None
    except BaseException as error:
        if partial is not None:
            with contextlib.suppress(OSError):
                partial.unlink()
        if isinstance(error, NotARegularFile):
            raise
        if isinstance(error, OSError):
            # Keras and h5py raise the errno without a file name: name the final file.
            raise OSError(error.errno, error.strerror or str(error), str(path)) from None
        raise


@contextlib.contextmanager
def replacing(path: str | Path):
    """Yields a temporary path to write; renames it to ``path`` if the block succeeds.

    The temporary already exists (empty, created by this process): write it by name, as
    ``keras``'s ``save`` does.
    """
    with _replacing(Path(path)) as (_, partial):
        yield partial


@contextlib.contextmanager
def _replacing_text(path: Path):
    """A UTF-8 text stream on the descriptor ``mkstemp`` opened (the name is never opened
    again), flushed to disk before the rename."""
    with _replacing(path) as (descriptor, _):
        with open(descriptor, "w", encoding="utf-8", newline="\n", closefd=False) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())


def write_text(path: str | Path, text: str) -> None:
    """Writes ``text`` to ``path`` as UTF-8, whole or not at all."""
    with _replacing_text(Path(path)) as file:
        file.write(text)


@contextlib.contextmanager
def text_output(path: str | Path):
    """A UTF-8 text stream for a command's output file, written as it comes.

    A regular file, or a new one, is replaced whole once the block succeeds (as
    :func:`write_text`); a device or a pipe (``/dev/stdout``, a named pipe, also through
    a link) cannot be replaced and is written to as a stream.
    """
    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        return
    with _replacing_text(path) as file:
        yield file


def save_model(model, path: str | Path) -> None:
    """``model.save(path)``, atomically."""
    with replacing(path) as partial:
        model.save(partial)
