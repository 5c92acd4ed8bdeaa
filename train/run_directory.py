"""Run directories that are safe to write: where they may go, what ``--overwrite`` may
delete, and one writer at a time.

A run directory belongs to ``python -m train`` only if everything in it is a file a run
writes, by name *and by content* (:func:`foreign_entry`): ``config.json`` is a
:class:`TrainConfig` with every one of its keys, ``vocab.json`` a gatezoo vocabulary
(its ``format`` marker), ``metrics.json`` a JSON object, ``model.keras`` and the
checkpoints zip archives, and ``logs/`` holds only TensorBoard event files. A sweep's
experiment directory holds an ``experiment.json`` with exactly a sweep's keys and, besides
its event files, only the run directories that file lists, each empty or a run as above.
``--overwrite`` deletes nothing else: not the working directory or a directory above it,
not a directory with a file a run never writes, nor a user's own ``config.json``.

The writer's lock is ``RUN_DIR/.lock``, held with ``fcntl.flock``: the kernel releases it
when the process ends however it ends (``kill -9`` included), so a lock left by a dead
process is recognised and taken over, and a live writer is never displaced. The file
holds the writer's process id for the message a second writer gets.
"""

from __future__ import annotations

import atexit
import dataclasses
import errno
import fcntl
import json
import os
import re
import shutil
import stat
import sys
import zipfile
from pathlib import Path

from train.config import TrainConfig
from train.run_contract import (
    CHECKPOINTS_DIR,
    CONFIG_FILE,
    EXPERIMENT_FILE,
    LOGS_DIR,
    METRICS_FILE,
    MODEL_FILE,
    VOCAB_FILE,
)

LOCK_FILE = ".lock"
RUN_FILES = (CONFIG_FILE, VOCAB_FILE, MODEL_FILE, METRICS_FILE)
RUN_SUBDIRECTORIES = (CHECKPOINTS_DIR, LOGS_DIR)
# Temporaries of atomic writes (cli_support.atomic_files) and of older versions' checkpoints,
# left only by a process killed mid-write.
PARTIAL_FILE = re.compile(r"^\..+\.partial-\w+(\.\w+)?$|^.+\.partial\.keras$")
LOCK_CONTENT = re.compile(rb"\d{1,20}\n?")  # what a lock of ours holds: a process id
CHECKPOINT_FILE = re.compile(r"^epoch-\d+\.keras(\.unreadable)?$")
CHECKPOINT_PATTERN = re.compile(r"^epoch-\d+\.keras$")
EVENT_FILE = re.compile(r"^events\.out\.tfevents\.")


class RunDirError(ValueError):
    """The run directory cannot be used as asked (a file, not a run, in use, ...)."""


def check_location(run_dir: Path, flag: str) -> None:
    """Refuses a run directory that is a file, lies under a file, or cannot be created.

    Checks only; creates nothing.
    """
    if run_dir.is_symlink() and not run_dir.exists():  # a loop, or a link to nowhere
        raise RunDirError(f"{flag}: {run_dir} is a symbolic link that leads to no directory")
    if run_dir.exists() and not run_dir.is_dir():
        raise RunDirError(f"{flag}: {run_dir} is a file, not a directory")
    existing = run_dir
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
        if existing.exists() and not existing.is_dir():
            raise RunDirError(f"{flag}: {run_dir} lies under {existing}, which is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise RunDirError(f"{flag}: cannot write in {existing} (permission denied or read-only)")


def make_directory(run_dir: Path, flag: str) -> None:
    """``mkdir -p`` that removes what it made if it fails part-way, with a one-line error."""
    missing = []
    probe = run_dir
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    made = []
    try:
        for directory in reversed(missing):
            directory.mkdir()
            made.append(directory)
    except FileExistsError:
        pass  # another process made it meanwhile; the lock decides who writes
    except OSError as error:
        for directory in reversed(made):
            directory.rmdir()
        raise RunDirError(f"{flag}: cannot create {run_dir} ({error.strerror})") from None


def _foreign_in_logs(logs: Path) -> Path | None:
    for path in sorted(logs.rglob("*")):
        if path.is_file() and not EVENT_FILE.match(path.name):
            return path
        if path.is_symlink():
            return path
    return None


VOCABULARY_FORMAT = "gatezoo-agreement-vocabulary/1"
# "config", the sweep's settings, is what `--resume SWEEP` continues it with; a sweep
# written before sweeps could be continued lacks it.
EXPERIMENT_KEYS = {"config", "models", "seeds", "runs"}


def _json_object(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def config_problem(values) -> str | None:
    """What keeps ``values`` from being a whole :class:`TrainConfig` as ``python -m train``
    writes one (every key, no other, with values it accepts), in one line; None if
    nothing does."""
    if not isinstance(values, dict):
        return f"expected a JSON object, got {type(values).__name__}"
    missing = sorted({spec.name for spec in dataclasses.fields(TrainConfig)} - set(values))
    if missing:
        return f"missing key {missing[0]!r}"
    try:
        TrainConfig.from_json(json.dumps(values))
    except (ValueError, TypeError) as error:
        return str(error)
    return None


def is_run_config(path: Path) -> bool:
    """Whether ``path`` is a ``config.json`` that ``python -m train`` wrote."""
    values = _json_object(path)
    return values is not None and config_problem(values) is None


def _written_by_a_run(path: Path) -> bool:
    """Whether the content of a run file named like one of ours is what a run writes."""
    name = path.name
    if name == CONFIG_FILE:
        return is_run_config(path)
    if name == VOCAB_FILE:
        vocabulary = _json_object(path)
        return vocabulary is not None and vocabulary.get("format") == VOCABULARY_FORMAT
    if name == METRICS_FILE:
        return _json_object(path) is not None
    if name == MODEL_FILE or CHECKPOINT_PATTERN.match(name):
        return zipfile.is_zipfile(path)
    return True  # a lock (RunLock checks it), a temporary, a checkpoint set aside


def foreign_entry(run_dir: Path) -> Path | None:
    """The first thing in ``run_dir`` that a run never writes, by name or content, or None."""
    for entry in sorted(run_dir.iterdir()):
        name = entry.name
        if entry.is_symlink():
            return entry
        if entry.is_file() and (name in RUN_FILES or name == LOCK_FILE or PARTIAL_FILE.match(name)):
            if not _written_by_a_run(entry):
                return entry
            continue
        if entry.is_dir() and name == CHECKPOINTS_DIR:
            for checkpoint in sorted(entry.iterdir()):
                if (
                    checkpoint.is_symlink()
                    or not checkpoint.is_file()
                    or not (
                        CHECKPOINT_FILE.match(checkpoint.name)
                        or PARTIAL_FILE.match(checkpoint.name)
                    )
                    or not _written_by_a_run(checkpoint)
                ):
                    return checkpoint
            continue
        if entry.is_dir() and name == LOGS_DIR:
            found = _foreign_in_logs(entry)
            if found is not None:
                return found
            continue
        return entry
    return None


def experiment_problem(grid) -> str | None:
    """What keeps ``grid`` (a parsed ``experiment.json``) from being one a sweep wrote, in
    one line naming the key; None if nothing does. One written before sweeps could be
    continued, without ``config``, is still a sweep's."""
    if not isinstance(grid, dict):
        return "expected a JSON object"
    if set(grid) not in (EXPERIMENT_KEYS, EXPERIMENT_KEYS - {"config"}):
        return f"expected exactly the keys {', '.join(sorted(EXPERIMENT_KEYS))}"
    if not isinstance(grid["runs"], list) or not all(
        isinstance(run, str) and run for run in grid["runs"]
    ):
        return "'runs': expected a list of run directories"
    if not isinstance(grid["models"], list) or not all(
        isinstance(model, str) for model in grid["models"]
    ):
        return "'models': expected a list of model names"
    if not isinstance(grid["seeds"], int) or isinstance(grid["seeds"], bool) or grid["seeds"] < 1:
        return "'seeds': expected a positive integer"
    if "config" in grid and config_problem(grid["config"]) is not None:
        return f"'config': {config_problem(grid['config'])}"
    return None


def experiment_runs(experiment_file: Path) -> set[str] | None:
    """The names of the run directories a sweep's ``experiment.json`` lists, or None if
    the file is not one a sweep wrote (:func:`experiment_problem`)."""
    grid = _json_object(experiment_file)
    if grid is None or experiment_problem(grid) is not None:
        return None
    return {Path(run).name for run in grid["runs"]}


def foreign_entry_of_experiment(experiment_dir: Path) -> Path | None:
    """The first thing in a sweep's experiment directory that no sweep writes, or None.

    Only the runs its ``experiment.json`` lists may be there, each empty (a run not
    started yet) or a run of ours by content (:func:`foreign_entry`).
    """
    runs = experiment_runs(experiment_dir / EXPERIMENT_FILE)
    if runs is None:
        return experiment_dir / EXPERIMENT_FILE
    for entry in sorted(experiment_dir.iterdir()):
        if entry.is_symlink():
            return entry
        if entry.is_file() and (
            entry.name in (EXPERIMENT_FILE, LOCK_FILE)
            or EVENT_FILE.match(entry.name)
            or PARTIAL_FILE.match(entry.name)
        ):
            continue
        if entry.is_dir() and entry.name in runs:
            contents = [path for path in entry.iterdir() if path.name != LOCK_FILE]
            if contents and not is_run_config(entry / CONFIG_FILE):
                return entry / CONFIG_FILE
            found = foreign_entry(entry)
            if found is not None:
                return found
            continue
        return entry
    return None


def refuse_links(run_dir: Path, flag: str) -> None:
    """Refuses a run directory whose files, ``checkpoints/`` or ``logs/`` (or anything in
    them) are symbolic links: a write there would land outside the run directory.

    The run directory itself may be a link the user passed on purpose.
    """
    for name in (*RUN_FILES, CHECKPOINTS_DIR, LOGS_DIR):
        entry = run_dir / name
        found = entry if entry.is_symlink() else None
        if found is None and name in RUN_SUBDIRECTORIES and entry.is_dir():
            # Temporaries are never opened by name once made (cli_support.atomic_files), so a
            # link at such a name is harmless; a checkpoint or anything under logs/ is not.
            found = next(
                (
                    path
                    for path in sorted(entry.rglob("*"))
                    if path.is_symlink()
                    and not (name == CHECKPOINTS_DIR and PARTIAL_FILE.match(path.name))
                ),
                None,
            )
        if found is not None:
            raise RunDirError(
                f"{flag}: {found} is a symbolic link where python -m train writes its own "
                "files; nothing was written: replace it with the file itself or remove it"
            )


def refuse_unless_deletable(directory: Path, flag: str, experiment: bool = False) -> None:
    """Raises RunDirError naming why ``--overwrite`` may not delete ``directory``."""
    resolved = directory.resolve()
    if resolved == Path.cwd().resolve() or resolved in Path.cwd().resolve().parents:
        raise RunDirError(
            f"{flag}: refusing to overwrite {directory}: it is the working directory "
            "or one above it"
        )
    if resolved == Path.home().resolve():
        raise RunDirError(f"{flag}: refusing to overwrite {directory}: it is the home directory")
    marker = EXPERIMENT_FILE if experiment else CONFIG_FILE
    if not (directory / marker).is_file() or (directory / marker).is_symlink():
        kind = "a sweep's experiment directory" if experiment else "a run directory"
        raise RunDirError(
            f"{flag}: refusing to overwrite {directory}: it is not {kind} (no {marker})"
        )
    found = (foreign_entry_of_experiment if experiment else foreign_entry)(directory)
    if found is not None:
        raise RunDirError(
            f"{flag}: refusing to overwrite {directory}: {found} is not a file that "
            "python -m train writes (by its name or its content); move it away first"
        )


def clear(directory: Path) -> None:
    """Deletes everything in ``directory`` but its lock file (which the caller holds)."""
    for entry in directory.iterdir():
        if entry.name == LOCK_FILE:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


class RunLock:
    """The exclusive writer's lock of one directory, held until :meth:`release`.

    The lock file is opened with ``O_NOFOLLOW`` and must be a regular file with one name
    holding nothing but a process id (or nothing): a symbolic link, a hard link or a
    user's own ``.lock`` is refused untouched, never truncated, written or printed.
    """

    def __init__(self, directory: Path, flag: str):
        self.path = directory / LOCK_FILE
        self.stale_pid = None  # the process id a dead writer left behind, if any
        while True:
            descriptor = self._open(flag)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                holder = self._process_id(descriptor) or "unknown"
                os.close(descriptor)
                if error.errno in (errno.EWOULDBLOCK, errno.EACCES):
                    raise RunDirError(
                        f"{flag}: {directory} is in use by another training (process "
                        f"{holder}); wait for it to end"
                    ) from None
                raise
            # The previous holder may have unlinked the file between our open and flock;
            # then we hold a lock nobody else can see: start again on the new file.
            try:
                same_file = os.path.samestat(os.fstat(descriptor), os.lstat(self.path))
            except FileNotFoundError:
                same_file = False
            if same_file:
                break
            os.close(descriptor)
        left_behind = self._process_id(descriptor)
        if left_behind is None:
            os.close(descriptor)
            raise self._not_ours(flag, "holds something other than a process id")
        if left_behind and left_behind != str(os.getpid()):
            self.stale_pid = left_behind
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        self.descriptor = descriptor

    def _not_ours(self, flag: str, why: str) -> RunDirError:
        return RunDirError(
            f"{flag}: {self.path} {why}, so it is not a lock python -m train made; "
            "it was left untouched: move it away first"
        )

    def _open(self, flag: str) -> int:
        try:
            descriptor = os.open(
                self.path,
                os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                0o644,
            )
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise self._not_ours(flag, "is a symbolic link") from None
            raise RunDirError(
                f"{flag}: cannot open the lock {self.path} ({error.strerror})"
            ) from None
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            os.close(descriptor)
            why = (
                "is not a regular file"
                if not stat.S_ISREG(info.st_mode)
                else "has other names (a hard link)"
            )
            raise self._not_ours(flag, why)
        return descriptor

    @staticmethod
    def _process_id(descriptor: int) -> str | None:
        """The process id the lock holds, "" if empty, None if it holds anything else."""
        content = os.pread(descriptor, 64, 0)
        if not content:
            return ""
        return content.decode().strip() if LOCK_CONTENT.fullmatch(content) else None

    def release(self) -> None:
        if self.descriptor is None:
            return
        try:
            if os.path.samestat(os.fstat(self.descriptor), os.lstat(self.path)):
                self.path.unlink()
        except FileNotFoundError:
            pass
        os.close(self.descriptor)  # closing releases the flock
        self.descriptor = None


_held: dict[Path, RunLock] = {}


def hold_lock(directory: Path, flag: str) -> RunLock:
    """Locks ``directory`` for this process until it ends (or :func:`release_lock`).

    Taking it again in the same process returns the lock already held: the guard is
    against a second process, and a library caller may prepare a run twice.
    """
    key = directory.resolve()
    if key not in _held or _held[key].descriptor is None:
        _held[key] = RunLock(directory, flag)
        if _held[key].stale_pid:
            print(
                f"python -m train: {directory} was locked by process {_held[key].stale_pid}, "
                "which has ended; lock taken over",
                file=sys.stderr,
            )
    return _held[key]


def release_lock(directory: Path) -> None:
    lock = _held.pop(directory.resolve(), None)
    if lock is not None:
        lock.release()


@atexit.register
def _release_all() -> None:
    """A run that ends normally leaves no lock file; a killed one leaves a stale one."""
    for lock in _held.values():
        lock.release()
    _held.clear()
