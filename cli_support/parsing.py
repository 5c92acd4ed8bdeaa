"""Command-line values checked before TensorFlow meets them: paths it can encode."""

from __future__ import annotations

import argparse
import os


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
