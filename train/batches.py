"""Training batches whose order depends only on (seed, epoch).

Epoch e visits the training set in the permutation drawn from
``numpy.random.default_rng([seed, e])``, whatever happened before it, so a run
resumed at epoch e sees exactly the batches an uninterrupted run would.
"""

from __future__ import annotations

import math

import numpy as np


def epoch_order(n: int, seed: int, epoch: int) -> np.ndarray:
    return np.random.default_rng([seed, epoch]).permutation(n)


def steps_per_epoch(n: int, batch_size: int) -> int:
    return math.ceil(n / batch_size)


def epoch_batches(inputs, targets, batch_size: int, seed: int, epochs: range, weights=None):
    """A ``tf.data.Dataset`` of the batches of ``epochs``, one epoch after another, as
    (inputs, targets) or, with per-example or per-step ``weights``, (inputs, targets,
    weights).

    The batches are global: under a ``tf.distribute`` strategy each is split across the
    replicas, and across workers by element (the data is in memory, not in files).
    """
    import tensorflow as tf

    dataset = None
    for epoch in epochs:
        order = epoch_order(len(inputs), seed, epoch)
        arrays = (inputs[order], targets[order])
        if weights is not None:
            arrays += (weights[order],)
        one_epoch = tf.data.Dataset.from_tensor_slices(arrays).batch(batch_size)
        dataset = one_epoch if dataset is None else dataset.concatenate(one_epoch)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.with_options(options)
