"""Rerunning a model's recurrent stack one step at a time, optionally clamping units.

Tracing (``zoo.trace``) reads what the gates did; ablation needs to change it:
here every recurrent layer of a :func:`train.model.build_model` model is rerun
from its Keras cell (``layer.cell``), so the zoo's cells, ``SimpleRNN``,
``GRU`` and ``LSTM`` all work, and after each step chosen units of the state
c⟨t⟩ can be clamped to fixed values before the next step reads them. Padded
steps carry c⟨t−1⟩ over, as the layers do.
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

    clamp = clamp or {}
    token_ids = np.asarray(token_ids)
    words = word_ids(token_ids)
    mask = ops.convert_to_tensor(words != 0)
    hidden = embedding_layer(model)(ops.convert_to_tensor(token_ids))
    recorded = {}
    for layer in recurrent_layers(model):
        cell = layer.cell
        sizes = cell.state_size if isinstance(cell.state_size, list | tuple) else [cell.state_size]
        states = [ops.zeros((len(token_ids), size)) for size in sizes]
        keep, values = None, None
        if layer.name in clamp:
            units, unit_values = clamp[layer.name]
            keep = np.ones(sizes[0], "float32")
            keep[list(units)] = 0.0
            values = np.zeros(sizes[0], "float32")
            values[list(units)] = unit_values
        outputs = []
        for t in range(words.shape[1]):
            _, new_states = cell(hidden[:, t], states)
            new_states = list(new_states) if isinstance(new_states, list | tuple) else [new_states]
            if keep is not None:
                new_states[0] = new_states[0] * keep + values
            step_mask = mask[:, t : t + 1]
            states = [
                ops.where(step_mask, new, old) for new, old in zip(new_states, states, strict=True)
            ]
            outputs.append(states[0])
        hidden = ops.stack(outputs, axis=1)
        recorded[layer.name] = ops.convert_to_numpy(hidden)
    head = logits_layer(model)
    per_step = len(model.output.shape) == 3  # lm: logits at every step
    logits = head(hidden if per_step else hidden[:, -1])
    return ops.convert_to_numpy(logits), recorded
