"""``--strategy``: where the training step runs.

- ``default``: this process's devices, no distribution.
- ``mirrored``: ``tf.distribute.MirroredStrategy``, one replica per local GPU.
- ``multiworker``: ``tf.distribute.MultiWorkerMirroredStrategy``; the cluster and this
  worker's place in it come from the ``TF_CONFIG`` environment variable. Every worker
  runs ``python -m train`` with the same flags and its own ``--run-dir``; each step's
  gradients are all-reduced, so all workers hold the same model. Keras 3's ``fit``
  fails across several workers (keras-team/keras#20585), so this strategy trains with
  :class:`train.worker_loop.WorkerLoop` instead, which gives the callbacks what ``fit``
  would.

The training batches are global: tf.distribute shards them across workers and splits
each one across replicas.

TensorFlow's multi-worker strategy waits for every worker of the cluster inside its C++,
silently, with no limit a user sets, holding Python's interpreter lock, so that neither
Ctrl-C nor a thread of ours can act meanwhile (and SIGTERM goes to its own handler). So
the workers first meet in Python (:func:`wait_for_workers`): each listens on its own port
and tries the others' until all answer, saying which ones it waits for, giving up after
``--worker-timeout`` seconds, and stopped by Ctrl-C or SIGTERM as anywhere else.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time

# How long a worker waits for the others by default: a cluster started by hand may take
# minutes; --worker-timeout changes it.
WORKER_TIMEOUT_SECONDS = 600
PROBE_SECONDS = 0.5  # between tries of the other workers' ports


class StrategyUnavailable(ValueError):
    """``--strategy`` cannot run in this environment; raised before anything is written."""


def check_strategy(name: str) -> None:
    """Raises :class:`StrategyUnavailable` when ``--strategy name`` cannot start here."""
    if name != "multiworker":
        return
    if "TF_CONFIG" not in os.environ:
        raise StrategyUnavailable(
            "--strategy multiworker: set TF_CONFIG to describe the cluster and this worker"
        )
    try:
        cluster = json.loads(os.environ["TF_CONFIG"])
        workers = cluster["cluster"]["worker"]
        index = cluster["task"]["index"]
    except (ValueError, KeyError, TypeError):
        raise StrategyUnavailable(
            "--strategy multiworker: TF_CONFIG must be JSON with cluster.worker listing the "
            "workers and task.index naming this one"
        ) from None
    if not isinstance(workers, list) or not workers:
        raise StrategyUnavailable(
            "--strategy multiworker: TF_CONFIG's cluster.worker must list at least one worker"
        )
    if not isinstance(index, int) or not 0 <= index < len(workers):
        raise StrategyUnavailable(
            f"--strategy multiworker: TF_CONFIG's task.index must be 0 to {len(workers) - 1} "
            f"(one per worker in cluster.worker), got {index!r}"
        )


class WorkersMissing(RuntimeError):
    """The other workers of ``TF_CONFIG`` did not all start within ``--worker-timeout``."""


def make_strategy(name: str, worker_timeout: float = WORKER_TIMEOUT_SECONDS):
    """The strategy for ``--strategy name``; create it before any other TensorFlow op.

    For ``multiworker``, raises :class:`WorkersMissing` when the other workers do not all
    start within ``worker_timeout`` seconds (:func:`wait_for_workers`)."""
    import tensorflow as tf

    check_strategy(name)
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        workers, index = cluster_workers()
        wait_for_workers(workers, index, worker_timeout)
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


def cluster_workers() -> tuple[list[str], int]:
    """(the workers' addresses, this worker's index) from ``TF_CONFIG``, once checked."""
    cluster = json.loads(os.environ["TF_CONFIG"])
    return cluster["cluster"]["worker"], cluster["task"]["index"]


def wait_for_workers(workers: list[str], index: int, timeout: float, log=None) -> None:
    """Returns once every other worker answers at its address; until then this worker
    listens at its own, so that the others find it too.

    Says on stderr (or to ``log``) which workers it waits for, once each; raises
    :class:`WorkersMissing` after ``timeout`` seconds, naming those that never answered,
    and :class:`StrategyUnavailable` when this worker's own port is taken.
    """
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    others = [k for k in range(len(workers)) if k != index]
    if not others:
        return
    try:
        # All interfaces, as TensorFlow's server binds; closed before TensorFlow's server
        # takes the port.
        listener = socket.create_server(("", _port(workers[index])))
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        raise StrategyUnavailable(
            f"--strategy multiworker: this worker's address {workers[index]} (TF_CONFIG "
            f"worker {index}) cannot be listened on: {reason}"
        ) from None
    listener.setblocking(False)
    with listener:
        deadline = time.monotonic() + timeout
        announced = set()
        while True:
            _answer(listener)
            missing = [k for k in others if not is_listening(workers[k])]
            if not missing:
                return
            for k in missing:
                if k not in announced:
                    log(waiting_line(workers, k, timeout))
                    announced.add(k)
            if time.monotonic() >= deadline:
                named = ", ".join(f"worker {k} of {len(workers)} at {workers[k]}" for k in missing)
                raise WorkersMissing(
                    f"--worker-timeout: {named} did not start within {timeout:g} s; start the "
                    "same command there, with its TF_CONFIG task.index"
                )
            time.sleep(PROBE_SECONDS)


def _answer(listener: socket.socket) -> None:
    """Accepts and closes the other workers' tries: left waiting, they would fill the
    queue of pending connections, and later tries would find no one listening."""
    while True:
        try:
            connection, _ = listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        connection.close()


def waiting_line(workers: list[str], index: int, timeout: float) -> str:
    return (
        f"python -m train: waiting for worker {index} of {len(workers)} at {workers[index]} "
        f"to start (the same command, with TF_CONFIG task.index {index}); giving up after "
        f"{timeout:g} s (--worker-timeout)"
    )


def is_listening(address: str) -> bool:
    """Whether something accepts connections at ``host:port``."""
    host, _, _ = address.rpartition(":")
    try:
        connection = socket.create_connection(
            (host.strip("[]"), _port(address)), timeout=PROBE_SECONDS
        )
    except (OSError, ValueError):
        return False
    connection.close()
    return True


def _port(address: str) -> int:
    return int(address.rpartition(":")[2])
