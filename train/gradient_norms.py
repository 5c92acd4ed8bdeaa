"""‖∂loss/∂c⟨t⟩‖: how much the loss at the verb still depends on the memory at step t.

With Γu ≈ 0, c⟨t⟩ = c⟨t−1⟩ + Γu ⊙ (c̃⟨t⟩ − c⟨t−1⟩) is close to the identity, so
∂c⟨t⟩/∂c⟨t−1⟩ ≈ I and the gradient reaches far back; a simple RNN multiplies
by U·diag(tanh′) at every step and the gradient shrinks with the distance.

This module steps a trained model's first recurrent layer through
:func:`zoo.stepping.state_gradients`, with the loss computed from its states through the
rest of the model, and reads the gradient of the loss with respect to each state. It
works for any layer that keeps a Keras cell in ``.cell`` (the zoo's sequence layers,
``keras.layers.SimpleRNN``, ``LSTM``, ``GRU``) in the models that
:func:`train.model.build_model` makes, on the TensorFlow and JAX backends.
"""

from __future__ import annotations

import numpy as np

from datasets.agreement.vocabulary import word_ids
from train.run_contract import embedding_layer, logits_layer, recurrent_layers


def state_gradient_norms(model, token_ids: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """‖∂loss/∂c⟨t⟩‖ for the first recurrent layer of a ``number``/``grammaticality`` model
    (for a layer with several states, an LSTM's h and c, the norm over all of them).

    Args:
        model: A model built by :func:`train.model.build_model`.
        token_ids: (batch, time) int array, right-padded with 0 (or an open vocabulary's
            (batch, time, F) inputs).
        labels: (batch,) int array of targets.

    Returns:
        (batch, time) float array; padded steps are NaN.
    """
    import keras
    from keras import ops

    from zoo.stepping import state_gradients

    token_ids = np.asarray(token_ids)
    words = word_ids(token_ids)
    mask = ops.convert_to_tensor(words != 0)
    embedded = embedding_layer(model)(ops.convert_to_tensor(token_ids))
    first, *rest = recurrent_layers(model)

    def loss(per_step):
        hidden = per_step["state"]
        for layer in rest:
            hidden = layer(hidden, mask=mask)
        if len(hidden.shape) == 3:  # The verb's logits: the last step's (padding carries it).
            hidden = hidden[:, -1]
        logits = logits_layer(model)(hidden)
        return ops.sum(
            keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)
        )

    gradients = state_gradients(first, embedded, loss, mask=mask)
    squares = sum(np.sum(np.square(ops.convert_to_numpy(g)), axis=-1) for g in gradients.values())
    return np.where(words != 0, np.sqrt(squares), np.nan)


def norms_by_distance(norms: np.ndarray, verb_index: np.ndarray) -> dict[int, float]:
    """Mean gradient norm at each distance between step t and the verb (verb_index − t)."""
    by_distance: dict[int, list[float]] = {}
    for row, verb in enumerate(verb_index):
        for t, value in enumerate(norms[row]):
            if np.isfinite(value):
                by_distance.setdefault(int(verb) - t, []).append(float(value))
    return {distance: float(np.mean(values)) for distance, values in sorted(by_distance.items())}
