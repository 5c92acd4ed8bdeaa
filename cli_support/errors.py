"""How a command line ends on what a user can cause: one line on stderr, never a traceback.

Bad input (a flag out of range, an output directory that cannot be made) ends in
``<prog>: error: <flag>: <what is wrong>`` and exit status 2, as argparse's own errors
do; a file that cannot be read or written, in one line naming it and status 1; Ctrl-C in
``<prog>: interrupted`` and status 130. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import typing

EXIT_BAD_INPUT = 2
EXIT_FILE_ERROR = 1
# 128 + the signal's number, as a shell reports a process the signal ended.
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM


class InputError(ValueError):
    """Bad input from the user: shown as one line naming the argument, exit status 2."""


class FileError(Exception):
    """A file that could not be read or written (disk full, no permission): one line
    naming it, exit status 1."""


def describe_os_error(error: OSError) -> str:
    """``'reports/gates.png': No space left on device``: the file(s) and the reason."""
    names = [repr(str(name)) for name in (error.filename, error.filename2) if name is not None]
    reason = error.strerror or str(error)
    return f"{' -> '.join(names)}: {reason}" if names else reason


def fail(prog: str, message: str, status: int = EXIT_BAD_INPUT) -> typing.NoReturn:
    """Ends the command with ``<prog>: error: <message>`` on stderr, on one line."""
    _exit(status, f"{prog}: error: {message}")


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
        fail(prog, str(error), EXIT_BAD_INPUT)
    except FileError as error:
        fail(prog, str(error), EXIT_FILE_ERROR)
    except OSError as error:
        fail(prog, describe_os_error(error), EXIT_FILE_ERROR)
    except RecursionError:
        fail(prog, "an input is nested too deeply to read", EXIT_FILE_ERROR)


def _exit(status: int, line: str) -> typing.NoReturn:
    print(line.replace("\n", " "), file=sys.stderr)
    raise SystemExit(status) from None
