"""Command-line flags read into values, or refused in one line naming the flag.

:class:`OneLineParser` is the parser of every command line; the functions below are its
argument types, each with one meaning wherever a flag uses it, and each refusing a bad
value with argparse's ``ArgumentTypeError``, which the parser prints as
``<prog>: error: argument <flag>: expected ..., got '...'``.
"""

from __future__ import annotations

import argparse
import os

from cli_support.errors import EXIT_BAD_INPUT


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr (no usage block), exit
    status 2. Its subcommands' parsers are of the same class."""

    def error(self, message):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _whole_number(text: str) -> int | None:
    """The integer ``text`` writes as Python's ``int`` reads it ("64", " 64", "+64"),
    else None."""
    try:
        return int(text)
    except ValueError:
        return None


def integer(text: str) -> int:
    """``"-3"`` → -3: any integer (its range is checked by whoever uses it)."""
    value = _whole_number(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}")
    return value


def number(text: str) -> float:
    """``"1e-3"`` → 0.001: any number, ``inf`` and ``nan`` included (its range is checked
    by whoever uses it)."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def positive_int(text: str) -> int:
    """``"64"`` → 64: an integer from 1 up."""
    value = _whole_number(text)
    if value is None or value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def non_negative_int(text: str) -> int:
    """``"0"`` → 0: an integer from 0 up (a count that may be none, a seed)."""
    value = _whole_number(text)
    if value is None or value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}")
    return value


def positive_int_list(text: str) -> list[int]:
    """``"40,200"`` → [40, 200]: comma-separated integers from 1 up."""
    return _comma_separated(text, least=1, expected="positive integers")


def index_list(text: str) -> list[int]:
    """``"0,3"`` → [0, 3]: comma-separated indices, numbered from 0 (units, positions)."""
    return _comma_separated(text, least=0, expected="integers from 0 up")


def _comma_separated(text: str, least: int, expected: str) -> list[int]:
    values = [_whole_number(part) for part in text.split(",")]
    if any(value is None or value < least for value in values):
        raise argparse.ArgumentTypeError(f"expected comma-separated {expected}, got {text!r}")
    return values


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
