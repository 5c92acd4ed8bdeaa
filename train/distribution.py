"""``--strategy``: where the training step runs.

- ``default``: this process's devices, no distribution.
- ``mirrored``: ``tf.distribute.MirroredStrategy``, one replica per local GPU.
- ``multiworker``: ``tf.distribute.MultiWorkerMirroredStrategy``; the cluster and this
  worker's place in it come from the ``TF_CONFIG`` environment variable. Every worker
  runs ``python -m train`` with the same flags (and its own ``--run-dir``); each step's
  gradients are all-reduced, so all workers hold the same model. Keras 3's ``fit`` fails
  across two or more workers (keras-team/keras#20585: its symbolic build all-reduces a
  data batch, then its metrics reduction fails), so a cluster of several workers is
  refused with that reason until it is fixed upstream; a one-worker cluster runs.

The training batches are global: tf.distribute splits each one across replicas.
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
        workers = json.loads(os.environ["TF_CONFIG"])["cluster"]["worker"]
    except (ValueError, KeyError, TypeError):
        raise StrategyUnavailable(
            "--strategy multiworker: TF_CONFIG must be JSON with cluster.worker listing the workers"
        ) from None
    if len(workers) > 1:
        import keras

        raise StrategyUnavailable(
            f"--strategy multiworker: TF_CONFIG lists {len(workers)} workers, but Keras "
            f"{keras.__version__}'s fit fails across several workers (keras-team/keras#20585); "
            "use one worker, or --strategy mirrored on one machine"
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
