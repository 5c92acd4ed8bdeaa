"""What every subcommand's command line shares: one-line errors and the bad-input exception.

Imports neither TensorFlow nor ``train``/``datasets``, so ``python -m evaluate`` can
dispatch to a subcommand that runs without them.
"""

from __future__ import annotations

import argparse


class InputError(ValueError):
    """Bad input from the user: shown as one line naming the argument, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


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
