"""Rerunning a model's recurrent stack one step at a time, optionally clamping units.

Tracing (``zoo.trace``) reads what the gates did; ablation needs to change it:
here every recurrent layer of a :func:`train.model.build_model` model is stepped
through :func:`zoo.stepping.step_through`, which runs any Keras cell (the zoo's cells,
``SimpleRNN``, ``GRU`` and ``LSTM``), and its ``edit_states`` hook clamps chosen units
of the state c⟨t⟩ after each step (from a given word on, if asked), before the next step
reads them. Padded steps carry c⟨t−1⟩ over, as the layers do. :func:`run_stack` gives the
logits and states; :func:`step_stack` every quantity of every layer (gates too).
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
            units of the layer's state (its first state, h for an LSTM) are set to
            ``values``. A third and fourth entry, ``start`` and ``rows``, clamp from input
            position ``start`` on only, and only the rows of the batch ``rows`` marks
            (:func:`clamping`).
    """
    from keras import ops

    stepped = step_stack(model, token_ids, clamp)
    hidden = ops.convert_to_tensor(stepped[recurrent_layers(model)[-1].name]["state"])
    head = logits_layer(model)
    # lm and every-verb number models: logits at every step
    per_step = len(model.output.shape) == 3
    logits = head(hidden if per_step else hidden[:, -1])
    return ops.convert_to_numpy(logits), {name: q["state"] for name, q in stepped.items()}


def step_stack(model, token_ids: np.ndarray, clamp: dict | None = None, *, gates=False):
    """Every recurrent layer of ``model`` stepped through ``token_ids``: {layer name:
    {quantity: (batch, time, width) array}}, the quantities :func:`zoo.stepping.step_through`
    names ("state", and a zoo cell's "update", "reset", "candidate"; "state_1" for an
    LSTM's memory cell).

    ``token_ids`` and ``clamp`` as for :func:`run_stack`. With ``gates``, a
    ``keras.layers.GRU`` is stepped as :func:`zoo.from_keras_gru` converts it, so that its
    gates are reported too, in the course's convention (Γu = 1 − z), as ``zoo.trace``
    reports them; without, each layer is stepped as it is.
    """
    import keras
    from keras import ops

    from zoo.interop import from_keras_gru
    from zoo.stepping import step_through

    clamp = clamp or {}
    token_ids = np.asarray(token_ids)
    mask = ops.convert_to_tensor(word_ids(token_ids) != 0)
    hidden = embedding_layer(model)(ops.convert_to_tensor(token_ids))
    recorded = {}
    for layer in recurrent_layers(model):
        stepped = from_keras_gru(layer) if gates and isinstance(layer, keras.layers.GRU) else layer
        edit = None
        if layer.name in clamp:
            units, values, *start_and_rows = clamp[layer.name]
            edit = clamping(units, values, stepped.cell, *start_and_rows)
        per_step = step_through(stepped, hidden, mask=mask, edit_states=edit)
        hidden = per_step["state"]
        recorded[layer.name] = {name: ops.convert_to_numpy(v) for name, v in per_step.items()}
    return recorded


def clamping(units, values, cell, start: int = 0, rows=None):
    """An ``edit_states`` hook setting ``units`` of the first state to ``values`` after
    every step from input position ``start`` on: c ⊙ keep + clamped, keep 0 on those
    units and 1 elsewhere. ``rows``: optionally, which rows of the batch to clamp (a
    boolean per row), so that one pass gives a sentence with and without the clamp."""
    from keras import ops

    from zoo.stepping import state_sizes

    width = state_sizes(cell)[0]
    keep = np.ones(width, "float32")
    keep[list(units)] = 0.0
    clamped = np.zeros(width, "float32")
    clamped[list(units)] = values
    if rows is not None:
        rows = np.asarray(rows, bool)[:, None]
        keep, clamped = np.where(rows, keep, 1.0), np.where(rows, clamped, 0.0)
        keep, clamped = keep.astype("float32"), clamped.astype("float32")

    def edit_states(states, t):
        edited = states[0] * keep + clamped
        if start > 0:  # t is the loop's step, a tensor
            edited = ops.where(t >= start, edited, states[0])
        return [edited, *states[1:]]

    return edit_states
