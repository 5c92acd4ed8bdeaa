"""SIGTERM ends a training or a sweep the way Ctrl-C does.

Python raises KeyboardInterrupt for SIGINT where the main thread is; SIGTERM's default
is to end the process on the spot, silently, leaving its lock behind. Under
:func:`sigterm_raises` SIGTERM raises :class:`Terminated` there instead, so the same
``except`` clauses and clean-ups run (temporaries removed, locks released) and the
command ends in one line saying how to continue, with the shell's status for the signal.
"""

from __future__ import annotations

import contextlib
import signal

from cli_support.errors import EXIT_INTERRUPTED, EXIT_TERMINATED

STOP_STATUS = {signal.SIGINT: EXIT_INTERRUPTED, signal.SIGTERM: EXIT_TERMINATED}
# Set in a run's environment by its sweep, which stops it and says how to continue: the
# run then ends without a line of its own.
SWEEP_RUN_VARIABLE = "GATEZOO_SWEEP_RUN"


class Terminated(BaseException):
    """SIGTERM, raised where the main thread is. A BaseException, as KeyboardInterrupt
    is, so that no ``except Exception`` takes it for an error and carries on."""


def signal_of(stop: BaseException) -> signal.Signals:
    """The signal a KeyboardInterrupt or a :class:`Terminated` stands for."""
    return signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT


def _raise_terminated(signal_number, frame):
    raise Terminated


@contextlib.contextmanager
def sigterm_raises():
    """SIGTERM raises :class:`Terminated` inside the block; the previous handler after."""
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def stop_signals_handled_by(handler):
    """SIGINT and SIGTERM go to `handler` (a function, or ``signal.SIG_IGN``) inside the
    block; their previous handlers after."""
    previous = {
        signal_number: signal.signal(signal_number, handler) for signal_number in STOP_STATUS
    }
    try:
        yield
    finally:
        for signal_number, handler_before in previous.items():
            signal.signal(signal_number, handler_before)
