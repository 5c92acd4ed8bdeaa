"""Gates, step by step: what each gated recurrent layer computed.

`trace(model_or_layer, inputs)` returns, for each gated recurrent layer (by
layer name), NumPy arrays of shape (batch, time, units): "update",
"reset" (where the cell has one), "candidate" and "state" (c⟨t⟩). Tracing
reruns each layer's own `recur` from its weights, outside the model, in the
zoo's one step-through loop (`zoo.stepping`), so the model and its weights are
left as they are.

Conventions:
- Arrays are indexed by input position t, also for `go_backwards` layers.
- On padded steps (mask False), "state" carries c⟨t−1⟩ over, and the gates and
  candidate are reported as 0 (Γu = 0 is "keep the memory").
- A `keras.layers.GRU` is traced through `zoo.from_keras_gru`, so its gates
  are reported in the course's convention (Γu = 1 − z).
"""

import keras
import numpy as np
from keras import ops

from zoo.interop import from_keras_gru
from zoo.recurrence import GatedCell, GatedSequence
from zoo.stepping import step_through

# The gates `trace` reports, Γu and Γr (a cell without Γr reports "update" only), and
# every per-step quantity it reports: the gates, the candidate c̃⟨t⟩ and the state c⟨t⟩.
GATES = ("update", "reset")
QUANTITIES = (*GATES, "candidate", "state")

# Within this of 0 or 1, a gate value counts as saturated: closed (Γu ≈ 0 keeps the
# memory) or open. Shared by the training dashboards and `python -m evaluate gates`, so
# that both call the same values saturated.
SATURATION_MARGIN = 0.05


def saturation(values, margin=SATURATION_MARGIN):
    """How saturated some gate values are.

    Args:
        values: Gate values in [0, 1], any shape (e.g. a traced gate at unpadded steps).
        margin: How close to 0 or 1 a value counts as saturated. Defaults to
            `SATURATION_MARGIN`.

    Returns:
        A dict: `count` (values), `mean`, and the fractions `near_0` (below `margin`),
        `near_1` (above 1 − `margin`) and `grey` (neither); NaN but `count` when
        `values` is empty.

    Example:
    >>> saturation(np.array([0.01, 0.5, 0.99, 1.0]))["near_1"]
    0.5
    """
    values = np.asarray(values, np.float64)
    if not values.size:
        nan = float("nan")
        return {"count": 0, "mean": nan, "near_0": nan, "near_1": nan, "grey": nan}
    near_0 = float(np.mean(values < margin))
    near_1 = float(np.mean(values > 1 - margin))
    return {
        "count": int(values.size),
        "mean": float(values.mean()),
        "near_0": near_0,
        "near_1": near_1,
        "grey": 1 - near_0 - near_1,
    }


def trace_sequence(cell, sequences, mask=None, initial_state=None, go_backwards=False):
    """Runs `cell.recur` over `sequences`, keeping every per-step quantity
    (`zoo.stepping.step_through`, as NumPy arrays).

    Args:
        cell: A built zoo cell (`GatedCell`).
        sequences: Inputs to the layer, shape (batch, time, features).
        mask: Optional boolean mask, shape (batch, time).
        initial_state: Optional c⟨0⟩, shape (batch, units). Defaults to zeros.
        go_backwards: Whether the layer reads the sequence backwards.

    Returns:
        A dict of NumPy arrays of shape (batch, time, units), by quantity name.
    """
    per_step = step_through(cell, sequences, mask, initial_state, go_backwards=go_backwards)
    return {name: ops.convert_to_numpy(value) for name, value in per_step.items()}


def is_traceable(layer):
    """Whether `trace` reports `layer`: a zoo sequence layer, a `keras.layers.RNN` around a
    zoo cell (how a cell is used on its own), or a `keras.layers.GRU`."""
    if isinstance(layer, GatedSequence | keras.layers.GRU):
        return True
    return isinstance(layer, keras.layers.RNN) and isinstance(layer.cell, GatedCell)


def contains_gated_layer(model) -> bool:
    """Whether `trace(model, …)` has a layer to report, also inside `Bidirectional`
    wrappers and nested models."""
    for layer in model.layers:
        if _traceable_parts(layer):
            return True
        if isinstance(layer, keras.Model) and _functional_inputs(layer):
            if contains_gated_layer(layer):
                return True
    return False


def _traceable_parts(layer):
    """`(name, part)` for each traceable layer that runs on `layer`'s own input: the
    layer itself, or both directions of a `keras.layers.Bidirectional` around one."""
    if is_traceable(layer):
        return [(layer.name, layer)]
    if isinstance(layer, keras.layers.Bidirectional) and is_traceable(layer.forward_layer):
        return [
            (f"{layer.name}/{part.name}", part)
            for part in (layer.forward_layer, layer.backward_layer)
        ]
    return []


def _trace_layer(layer, sequences, mask=None, initial_state=None):
    if isinstance(layer, keras.layers.GRU):
        layer = from_keras_gru(layer)
    return trace_sequence(layer.cell, sequences, mask, initial_state, layer.go_backwards)


def _split_layer_inputs(values):
    """Splits what a layer was called with into (sequences, mask, initial_state)."""
    values = keras.tree.flatten(values)
    mask = next((v for v in values[1:] if ops.convert_to_numpy(v).dtype == bool), None)
    states = [v for v in values[1:] if ops.convert_to_numpy(v).dtype != bool]
    return values[0], mask, states[0] if states else None


def trace(model_or_layer, inputs, mask=None, initial_state=None):
    """Returns every gated recurrent layer's per-step gates on `inputs`.

    Args:
        model_or_layer: A built Sequential or functional `keras.Model`, or a
            built gated recurrent layer (see `is_traceable`: a zoo layer, a
            `keras.layers.RNN` around a zoo cell, or `keras.layers.GRU`). In a model, layers
            inside `keras.layers.Bidirectional` and inside nested models are
            traced too, named "wrapper/layer" (e.g. "bidirectional/forward_gru").
        inputs: The model's inputs, or for a bare layer its input sequence
            (batch, time, features).
        mask: For a bare layer only: optional boolean mask (batch, time).
            Inside a model, the mask the layer receives (e.g. from
            `Embedding(mask_zero=True)`) is used.
        initial_state: For a bare layer only: optional c⟨0⟩ (batch, units).

    Returns:
        `{layer_name: {"update", "reset" (if any), "candidate", "state": array}}`,
        arrays of shape (batch, time, units).

    Raises:
        ValueError: `model_or_layer` is not built or has no gated recurrent layer.

    Example:
    >>> layer = zoo.GRU(4, name="encoder")
    >>> x = np.ones((2, 5, 3), "float32")
    >>> _ = layer(x)
    >>> trace(layer, x)["encoder"]["update"].shape
    (2, 5, 4)
    """
    if not model_or_layer.built:
        raise ValueError(
            "Received an invalid value for argument `model_or_layer`, expected a "
            f"built model or layer, got the unbuilt {model_or_layer.name!r}."
        )
    if not isinstance(model_or_layer, keras.Model):
        if not is_traceable(model_or_layer):
            raise ValueError(
                "Received an invalid value for argument `model_or_layer`, expected a "
                f"gated recurrent layer, got {type(model_or_layer).__name__}."
            )
        return {model_or_layer.name: _trace_layer(model_or_layer, inputs, mask, initial_state)}
    traced = _trace_model(model_or_layer, inputs)
    if not traced:
        raise ValueError(
            "Received an invalid value for argument `model_or_layer`, expected a "
            f"model with a gated recurrent layer, got {model_or_layer.name!r} without one."
        )
    return traced


def _trace_model(model, inputs):
    """`trace` of a model's layers, looking inside Bidirectional wrappers and nested
    models (their layers named "outer/inner")."""
    traced = {}
    for layer in model.layers:
        parts = _traceable_parts(layer)
        nested = isinstance(layer, keras.Model) and _functional_inputs(layer)
        if not parts and not nested:
            continue
        # The sub-model up to the layer's input also yields the mask it receives.
        sub_model = keras.Model(model.inputs, layer.input)
        layer_inputs = sub_model(inputs if len(model.inputs) > 1 else [inputs])
        for name, part in parts:
            traced[name] = _trace_layer(part, *_split_layer_inputs(layer_inputs))
        if nested:
            for name, quantities in _trace_model(layer, layer_inputs).items():
                traced[f"{layer.name}/{name}"] = quantities
    return traced


def _functional_inputs(model):
    """A functional or Sequential model's inputs; None for a subclassed one."""
    try:
        return model.inputs or None
    except (AttributeError, ValueError):
        return None
