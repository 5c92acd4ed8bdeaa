"""Standard output and error made fit for a command line's whole run.

:func:`printable_output` lets them print the course's notation on any terminal;
:func:`reader_may_leave` lets a command finish its work when its output's reader leaves
(``| head``) or was never there (``>&-``).
"""

from __future__ import annotations

import os
import sys


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
