"""Rerunning a model's recurrent stack one step at a time, optionally clamping units.

Tracing (``zoo.trace``) reads what the gates did; ablation needs to change it:
here every recurrent layer of a :func:`train.model.build_model` model is stepped
through :func:`zoo.stepping.step_through`, which runs any Keras cell (the zoo's cells,
``SimpleRNN``, ``GRU`` and ``LSTM``), and its ``edit_states`` hook clamps chosen units
of the state c⟨t⟩ after each step, before the next step reads them. Padded steps carry
c⟨t−1⟩ over, as the layers do.
"""

from __future__ import annotations

import numpy as np

from datasets.agreement.vocabulary import word_ids
from train.run_contract import embedding_layer, logits_layer, recurrent_layers


def run_stack(model, token_ids: np.ndarray, clamp: dict | None = None):
    """Returns (logits, {layer name: c⟨t⟩ as (batch, time, units)}).

    Args:
        model: A model built by :func:`train.model.build_model`.
        token_ids: (batch, time) ints, right-padded with 0 (or an open vocabulary's
            (batch, time, F) inputs).
        clamp: Optional ``{layer name: (unit indices, values)}``: after every step those
            units of the layer's state (its first state, h for an LSTM) are set to ``values``.
    """
    from keras import ops

    from zoo.stepping import step_through

    clamp = clamp or {}
    token_ids = np.asarray(token_ids)
    mask = ops.convert_to_tensor(word_ids(token_ids) != 0)
    hidden = embedding_layer(model)(ops.convert_to_tensor(token_ids))
    recorded = {}
    for layer in recurrent_layers(model):
        edit = clamping(*clamp[layer.name], layer.cell) if layer.name in clamp else None
        hidden = step_through(layer, hidden, mask=mask, edit_states=edit)["state"]
        recorded[layer.name] = ops.convert_to_numpy(hidden)
    head = logits_layer(model)
    # lm and every-verb number models: logits at every step
    per_step = len(model.output.shape) == 3
    logits = head(hidden if per_step else hidden[:, -1])
    return ops.convert_to_numpy(logits), recorded


def clamping(units, values, cell):
    """An ``edit_states`` hook setting ``units`` of the first state to ``values``:
    c ⊙ keep + clamped, keep 0 on those units and 1 elsewhere."""
    from zoo.stepping import state_sizes

    width = state_sizes(cell)[0]
    keep = np.ones(width, "float32")
    keep[list(units)] = 0.0
    clamped = np.zeros(width, "float32")
    clamped[list(units)] = values

    def edit_states(states, t):
        return [states[0] * keep + clamped, *states[1:]]

    return edit_states
