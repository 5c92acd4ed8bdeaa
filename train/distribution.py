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
"""

from __future__ import annotations

import json
import os


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


def make_strategy(name: str):
    """The strategy for ``--strategy name``; create it before any other TensorFlow op."""
    import tensorflow as tf

    check_strategy(name)
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()
