"""‖∂loss/∂c⟨t⟩‖: how much the loss at the verb still depends on the memory at step t.

With Γu ≈ 0, c⟨t⟩ = c⟨t−1⟩ + Γu ⊙ (c̃⟨t⟩ − c⟨t−1⟩) is close to the identity, so
∂c⟨t⟩/∂c⟨t−1⟩ ≈ I and the gradient reaches far back; a simple RNN multiplies
by U·diag(tanh′) at every step and the gradient shrinks with the distance.

This module reruns a trained model's recurrent layer one step at a time under a
``tf.GradientTape`` and reads the gradient of the loss with respect to each
state. It works for any layer that keeps a Keras cell in ``.cell`` (the zoo's
sequence layers, ``keras.layers.SimpleRNN``, ``LSTM``, ``GRU``) in the models
that :func:`train.model.build_model` makes, on the TensorFlow backend.
"""

from __future__ import annotations

import numpy as np

from datasets.agreement.vocabulary import word_ids
from train.run_contract import embedding_layer, logits_layer, recurrent_layers


def state_gradient_norms(model, token_ids: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """‖∂loss/∂c⟨t⟩‖ for the first recurrent layer of a ``number``/``grammaticality`` model.

    Args:
        model: A model built by :func:`train.model.build_model`.
        token_ids: (batch, time) int array, right-padded with 0 (or an open vocabulary's
            (batch, time, F) inputs).
        labels: (batch,) int array of targets.

    Returns:
        (batch, time) float array; padded steps are NaN.
    """
    import keras
    import tensorflow as tf

    token_ids = np.asarray(token_ids)
    words = word_ids(token_ids)
    mask = tf.constant(words != 0)
    embedded = embedding_layer(model)(tf.constant(token_ids))
    first, *rest = recurrent_layers(model)
    cell = first.cell
    batch, steps = words.shape
    states = [tf.zeros((batch, size)) for size in _state_sizes(cell)]
    with tf.GradientTape() as tape:
        per_step = []
        for t in range(steps):
            _, new_states = cell(embedded[:, t], states)
            new_states = new_states if isinstance(new_states, list | tuple) else [new_states]
            keep = mask[:, t : t + 1]
            states = [tf.where(keep, new, old) for new, old in zip(new_states, states, strict=True)]
            per_step.append(states)
        hidden = per_step[-1][0]
        if rest:
            hidden = tf.stack([s[0] for s in per_step], axis=1)
            for layer in rest:
                hidden = layer(hidden, mask=mask)
        logits = logits_layer(model)(hidden)
        loss = tf.reduce_sum(
            keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)
        )
    gradients = tape.gradient(loss, per_step)
    norms = np.stack(
        [
            np.sqrt(
                sum(np.sum(np.square(g.numpy()), axis=-1) for g in step_gradients if g is not None)
            )
            for step_gradients in gradients
        ],
        axis=1,
    )
    return np.where(words != 0, norms, np.nan)


def _state_sizes(cell):
    sizes = cell.state_size
    return list(sizes) if isinstance(sizes, list | tuple) else [sizes]


def norms_by_distance(norms: np.ndarray, verb_index: np.ndarray) -> dict[int, float]:
    """Mean gradient norm at each distance between step t and the verb (verb_index − t)."""
    by_distance: dict[int, list[float]] = {}
    for row, verb in enumerate(verb_index):
        for t, value in enumerate(norms[row]):
            if np.isfinite(value):
                by_distance.setdefault(int(verb) - t, []).append(float(value))
    return {distance: float(np.mean(values)) for distance, values in sorted(by_distance.items())}
