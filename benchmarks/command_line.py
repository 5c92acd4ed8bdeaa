"""What a benchmark's command line needs: one-line errors, never a traceback.

Bad input (a flag out of range, an output directory that cannot be made) ends in
``<prog>: error: <flag>: <what is wrong>`` on stderr and exit status 2; a file that
cannot be written, in one line naming it and status 1; Ctrl-C in status 130.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

# Exit statuses: 2 for bad input (as argparse), 1 for a file that cannot be written,
# 130 for Ctrl-C (128 + SIGINT, as a shell reports it).
EXIT_STATUS = {"input": 2, "file": 1, "interrupted": 130}


class InputError(ValueError):
    """Bad input from the user: one line naming the flag, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message):
        self.exit(EXIT_STATUS["input"], f"{self.prog}: error: {message}\n")


@contextlib.contextmanager
def one_line_errors(prog: str):
    """Turns an `InputError`, an `OSError` (which names its file) or Ctrl-C into one line
    on stderr and `SystemExit` with the status of `EXIT_STATUS`."""
    try:
        yield
    except (InputError, OSError, KeyboardInterrupt) as error:
        if isinstance(error, KeyboardInterrupt):
            kind, line = "interrupted", f"{prog}: interrupted"
        else:
            kind = "input" if isinstance(error, InputError) else "file"
            line = f"{prog}: error: {error}"
        print(line.replace("\n", " "), file=sys.stderr)
        raise SystemExit(EXIT_STATUS[kind]) from None


def positive_int(text: str) -> int:
    """``"64"`` → 64; an argparse type for a positive integer."""
    if not (text.strip().isdecimal() and int(text) > 0):
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


def positive_int_list(text: str) -> list[int]:
    """``"40,200"`` → [40, 200]; an argparse type for comma-separated positive integers."""
    parts = text.split(",")
    if not all(part.strip().isdecimal() and int(part) > 0 for part in parts):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated positive integers, got {text!r}"
        )
    return [int(part) for part in parts]


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
