"""Training batches whose order depends only on (seed, epoch).

Epoch e visits the training set in the permutation drawn from
``numpy.random.default_rng([seed, e])``, whatever happened before it, so a run
resumed at epoch e sees exactly the batches an uninterrupted run would.

Batched ``by_length`` (:data:`BATCHINGS`), each pool of :data:`POOL_BATCHES` batches of
that permutation is sorted by sentence length and cut into batches, the batches are
shuffled (again by (seed, epoch)), and each batch is cut to its longest sentence,
rounded up to :data:`LENGTH_STEP` steps. Every step of a recurrent layer costs the same
whether it holds a word or padding, so on data whose lengths vary widely (the english
grammar: 24 words on average, 78 at the most) this trains several times faster. The
rounding bounds the number of batch shapes, each of which XLA compiles once. The pools
keep the batches' mix of sentences random beyond their length.
"""

from __future__ import annotations

import math

import numpy as np

from train.config import BATCHINGS

POOL_BATCHES = 50
LENGTH_STEP = 8


def epoch_order(n: int, seed: int, epoch: int) -> np.ndarray:
    return np.random.default_rng([seed, epoch]).permutation(n)


def steps_per_epoch(n: int, batch_size: int) -> int:
    return math.ceil(n / batch_size)


def length_sorted_order(lengths: np.ndarray, order: np.ndarray, batch_size: int, seed: int,
                        epoch: int) -> np.ndarray:  # fmt: skip
    """``order`` rearranged so that each run of ``batch_size`` entries is a batch of
    sentences of similar length: pools of :data:`POOL_BATCHES` batches sorted by length
    (stably), their full batches shuffled by (seed, epoch), a last short batch kept last."""
    pool = POOL_BATCHES * batch_size
    pools = [order[start : start + pool] for start in range(0, len(order), pool)]
    by_length = np.concatenate([p[np.argsort(lengths[p], kind="stable")] for p in pools])
    full = len(order) // batch_size
    batches = by_length[: full * batch_size].reshape(full, batch_size)
    shuffled = batches[np.random.default_rng([seed, epoch, 1]).permutation(full)]
    return np.concatenate([shuffled.reshape(-1), by_length[full * batch_size :]])


def sentence_lengths(inputs: np.ndarray) -> np.ndarray:
    """Words per sentence of zero-padded [N, T] ids or [N, T, features] (id first)."""
    ids = inputs if inputs.ndim == 2 else inputs[..., 0]
    return (ids != 0).sum(axis=1)


def epoch_batches(
    inputs, targets, batch_size: int, seed: int, epochs: range, weights=None,
    batching: str = "shuffled",
):  # fmt: skip
    """A ``tf.data.Dataset`` of the batches of ``epochs``, one epoch after another, as
    (inputs, targets) or, with per-example or per-step ``weights``, (inputs, targets,
    weights), batched as ``batching`` says (:data:`BATCHINGS`, the module docstring).

    The batches are global: under a ``tf.distribute`` strategy each is split across the
    replicas, and across workers by element (the data is in memory, not in files).
    """
    import tensorflow as tf

    if batching not in BATCHINGS:
        raise ValueError(f"batching: expected one of {', '.join(BATCHINGS)}, got {batching!r}")
    lengths = sentence_lengths(inputs) if batching == "by_length" else None
    dataset = None
    for epoch in epochs:
        order = epoch_order(len(inputs), seed, epoch)
        if lengths is not None:
            order = length_sorted_order(lengths, order, batch_size, seed, epoch)
        arrays = (inputs[order], targets[order])
        if weights is not None:
            arrays += (weights[order],)
        one_epoch = tf.data.Dataset.from_tensor_slices(arrays).batch(batch_size)
        dataset = one_epoch if dataset is None else dataset.concatenate(one_epoch)
    if lengths is not None:
        dataset = dataset.map(_cut_to_longest)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.with_options(options)


def _cut_to_longest(*batch):
    """A batch without the padding steps that none of its sentences reaches, kept to a
    multiple of LENGTH_STEP. Per-step targets and weights ([batch, time]) are cut alike;
    per-sentence ones ([batch]) are kept whole."""
    import tensorflow as tf

    inputs = batch[0]
    ids = inputs if inputs.shape.rank == 2 else inputs[..., 0]
    longest = tf.reduce_max(tf.reduce_sum(tf.cast(ids != 0, tf.int32), axis=1))
    steps = tf.minimum(tf.shape(ids)[1], -(-longest // LENGTH_STEP) * LENGTH_STEP)
    return tuple(part[:, :steps] if part.shape.rank >= 2 else part for part in batch)
