"""TensorFlow imported without its C++ start-up lines, unless the user asks for them.

The project's command lines (``python -m train``, ``python -m evaluate``, ``python -m
benchmarks.speed``) share this; it imports nothing of the project, so every package may
use it.

Importing TensorFlow writes lines from C++ to the process's standard error (file
descriptor 2) before its logging reads ``TF_CPP_MIN_LOG_LEVEL``: absl's "All log
messages before absl::InitializeLog() ..." notice, oneDNN's note on round-off, "Could not
find cuda drivers" on a machine without a GPU. Later C++ messages (a failed ``cuInit``,
NodeDef attributes that an older runtime does not know) do obey the level.

So each command line calls :func:`import_tensorflow` once, after their flags are read:
when the user has not set ``TF_CPP_MIN_LOG_LEVEL``, it is set to 3 (fatal errors only)
and the import runs with descriptor 2 sent to a temporary file, from which every line
that is not one of TensorFlow's C++ log lines is copied back to standard error (a Python
warning raised during the import is kept). A user who sets ``TF_CPP_MIN_LOG_LEVEL``
(``=0`` shows everything) gets TensorFlow's output untouched.

The same command lines check what TensorFlow will meet before importing it: a
``KERAS_BACKEND`` they run on, an output that prints the course's notation, and
command-line paths TensorFlow can encode.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
import tempfile

LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL"
BACKEND_VARIABLE = "KERAS_BACKEND"
# The Keras backends the project's command lines run on: the data pipeline is tf.data and
# the zoo's step-through engine supports TensorFlow and JAX (torch fails in it mid-run).
SUPPORTED_BACKENDS = ("tensorflow", "jax")
FATAL_ONLY = "3"

# absl's C++ log line: severity letter, MMDD, time (seconds since the epoch before absl is
# initialised, so not two digits), thread id, file:line] message.
_CPP_LOG_LINE = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ [^\s\]]+:\d+\] ")
_CPP_NOTICES = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    # The second line of cpu_feature_guard's message about instructions it was not built for.
    "To enable the following instructions:",
)


def printable_output() -> None:
    """Lets standard output and error print the course's notation (Γu, c⟨t⟩, "–") on a
    terminal that cannot: with an ASCII locale or ``PYTHONIOENCODING=ascii`` such
    characters are written as escapes (\\u0393) instead of ending the command with a
    UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "Γ⟨⟩–".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")


def reader_may_leave() -> None:
    """Lets a command finish its work when its output's reader leaves or was never there.

    ``python -m train | head -3`` closes the pipe after three lines; Python then raises
    BrokenPipeError at the next write, which would end a training midway, or after it
    finished, reported as a failure. From this call on, standard output goes on quietly
    instead: the first write that finds its reader gone sends it to the null device
    (further lines are dropped, as the reader asked), and the command runs to its end,
    its files whole, with its own exit status. Descriptors 0, 1 and 2 that were closed
    (``>&-``) are opened on the null device first, so that no file the command opens
    takes their place and receives what is printed or TensorFlow's C++ logs.
    """
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != descriptor:
                os.dup2(null, descriptor)
                os.close(null)
    if sys.stdout is None:  # Python found descriptor 1 closed at start
        sys.stdout = open(1, "w", closefd=False)
    if sys.stderr is None:
        sys.stderr = open(2, "w", closefd=False)
    if not isinstance(sys.stdout, _ReaderMayLeave):
        sys.stdout = _ReaderMayLeave(sys.stdout)


class _ReaderMayLeave:
    """A text stream that drops what it is given once its reader has gone: see
    :func:`reader_may_leave`. Everything but writing is the wrapped stream's."""

    def __init__(self, stream):
        self._stream = stream
        self._gone = False  # the reader left and the stream has no descriptor to redirect

    def write(self, text: str) -> int:
        if self._gone:
            return len(text)
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._reader_left()
            return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._gone:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._reader_left()

    def _reader_left(self) -> None:
        """Points the stream's descriptor at the null device: what is still buffered, and
        all that follows, goes there, and the pipe's end is closed."""
        try:
            descriptor = self._stream.fileno()
        except (OSError, ValueError):  # a stream without one (io.UnsupportedOperation)
            self._gone = True
            return
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, descriptor)
        finally:
            os.close(null)
        try:
            self._stream.flush()
        except (OSError, ValueError):
            self._gone = True

    def __getattr__(self, name):
        return getattr(self._stream, name)


def unsupported_backend() -> str | None:
    """A one-line reason when ``KERAS_BACKEND`` names a backend the command lines do not
    run on (Keras itself answers a misspelt one with a traceback at import), else None."""
    chosen = os.environ.get(BACKEND_VARIABLE)
    if chosen is None or chosen in SUPPORTED_BACKENDS:
        return None
    return (
        f"{BACKEND_VARIABLE}: expected one of {', '.join(SUPPORTED_BACKENDS)} (or unset), "
        f"got {chosen!r}"
    )


def undecodable_path(path: str) -> str | None:
    """Why TensorFlow cannot take ``path``, when it is not valid UTF-8 (a name such as
    ``b'run\\xff'``, which Python keeps as surrogate escapes), else None. TensorFlow's
    file writers and the reports encode every path as UTF-8 and would fail on it mid-run,
    after the run directory was made."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return (
            f"{os.fsencode(path)!r} is not valid UTF-8, which TensorFlow needs in a path; rename it"
        )
    return None


def undecodable_argument(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str | None:
    """A one-line reason, naming the flag or argument, when a parsed command-line value is
    not valid UTF-8 (:func:`undecodable_path`), else None."""
    for action in parser._actions:  # argparse's list of what it parsed into ``args``
        values = getattr(args, action.dest, None)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and undecodable_path(value):
                name = (action.option_strings or [action.metavar or action.dest])[-1]
                return f"{name}: {undecodable_path(value)}"
    return None


def is_tensorflow_log_line(line: str) -> bool:
    return bool(_CPP_LOG_LINE.match(line)) or line.startswith(_CPP_NOTICES)


_level_set_here = False  # whether this process, not its user, set LEVEL_VARIABLE


def user_environment() -> dict[str, str]:
    """The environment as the user gave it, for a child process (a sweep's runs): without
    the level this module set, which the child would take for the user's choice and then
    print TensorFlow's start-up lines unfiltered."""
    environment = dict(os.environ)
    if _level_set_here:
        environment.pop(LEVEL_VARIABLE, None)
    return environment


def import_tensorflow() -> None:
    """Imports TensorFlow (if installed) with its start-up lines filtered out, as above."""
    global _level_set_here
    if "tensorflow" in sys.modules or importlib.util.find_spec("tensorflow") is None:
        return
    if LEVEL_VARIABLE in os.environ:
        import tensorflow  # noqa: F401  (the user chose the level: nothing is filtered)

        return
    os.environ[LEVEL_VARIABLE] = FATAL_ONLY
    _level_set_here = True
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
        finally:
            sys.stderr.flush()
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
            captured.seek(0)
            lines = captured.read().decode("utf-8", errors="replace").splitlines(keepends=True)
            sys.stderr.write("".join(line for line in lines if not is_tensorflow_log_line(line)))
            sys.stderr.flush()
