"""What every subcommand's command line shares: one-line errors and the bad-input exception.

Imports neither TensorFlow nor ``train``/``datasets``, so ``python -m evaluate`` can
dispatch to a subcommand that runs without them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

# Exit statuses: 2 for bad input (as argparse), 1 for a file that cannot be read or
# written, 130 for Ctrl-C (128 + SIGINT, as a shell reports it).
EXIT_BAD_INPUT = 2
EXIT_FILE_ERROR = 1
EXIT_INTERRUPTED = 130


class InputError(ValueError):
    """Bad input from the user: shown as one line naming the argument, exit status 2."""


class FileError(Exception):
    """A file that could not be read or written (disk full, no permission): one line
    naming it, exit status 1."""


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def describe_os_error(error: OSError) -> str:
    """``'reports/gates.png': No space left on device``: the file(s) and the reason."""
    names = [repr(str(name)) for name in (error.filename, error.filename2) if name is not None]
    reason = error.strerror or str(error)
    return f"{' -> '.join(names)}: {reason}" if names else reason


@contextlib.contextmanager
def one_line_errors(prog: str):
    """Ends what a user can cause (bad input, an unreadable or unwritable file, a file
    nested too deeply to parse, Ctrl-C) with one line on stderr and a non-zero exit
    (``SystemExit``), never a traceback. Anything else is a bug and keeps its traceback."""
    try:
        yield
    except KeyboardInterrupt:
        _exit(EXIT_INTERRUPTED, f"{prog}: interrupted")
    except BrokenPipeError:  # `... | head`: the reader left; say nothing more.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(EXIT_FILE_ERROR) from None
    except InputError as error:
        _exit(EXIT_BAD_INPUT, f"{prog}: error: {error}")
    except FileError as error:
        _exit(EXIT_FILE_ERROR, f"{prog}: error: {error}")
    except OSError as error:
        _exit(EXIT_FILE_ERROR, f"{prog}: error: {describe_os_error(error)}")
    except RecursionError:
        _exit(EXIT_FILE_ERROR, f"{prog}: error: an input is nested too deeply to read")


def _exit(status: int, line: str):
    print(line.replace("\n", " "), file=sys.stderr)
    raise SystemExit(status) from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def int_list(text: str) -> list[int]:
    """``"1,2,4"`` → [1, 2, 4], positive integers."""
    try:
        return [positive_int(part) for part in text.split(",")]
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated positive integers, got {text!r}"
        ) from None


def index_list(text: str) -> list[int]:
    """``"0,3"`` → [0, 3]: indices, numbered from 0 (units, positions)."""
    try:
        values = [int(part) for part in text.split(",")]
    except ValueError:
        values = [-1]
    if any(value < 0 for value in values):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers from 0 up, got {text!r}"
        )
    return values
