"""Outputs and traced gates equal an independent NumPy implementation of the course's equations
(`zoo.numpy_reference`)."""

import keras
import numpy as np
import pytest

import zoo
from zoo import numpy_reference

# name → (layer class, layer kwargs, reference function name, reference kwargs)
FAMILIES = {
    "gru": (zoo.GRU, {}, "gru", {}),
    "gru_reset_after": (zoo.GRU, {"reset_after": True}, "gru", {"reset_after": True}),
    "simplified_gru": (zoo.SimplifiedGRU, {}, "simplified_gru", {}),
    "gru_no_update_gate": (zoo.NoUpdateGateGRU, {}, "no_update_gate_gru", {}),
    "min_gru": (zoo.MinGRU, {}, "min_gru", {}),
}
SHAPES = [(1, 1, 1, 1), (2, 4, 3, 5), (3, 7, 2, 3)]  # (batch, time, features, units)


def random_layer(family, features, units, rng):
    layer_class, layer_kwargs, _, _ = FAMILIES[family]
    layer = layer_class(units, return_sequences=True, **layer_kwargs)
    layer.build((None, None, features))
    layer.set_weights([rng.normal(size=w.shape).astype("float32") for w in layer.get_weights()])
    return layer


def reference_quantities(family, layer, x, c0=None, mask=None):
    _, _, function_name, reference_kwargs = FAMILIES[family]
    weights = [keras.ops.convert_to_numpy(w) for w in layer.get_weights()]
    return getattr(numpy_reference, function_name)(
        x, *weights, c0=c0, mask=mask, **reference_kwargs
    )


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("with_initial_state", [False, True])
def test_outputs_and_traced_gates_equal_numpy_reference(family, shape, with_initial_state):
    batch, time, features, units = shape
    rng = np.random.default_rng(sum(shape))
    layer = random_layer(family, features, units, rng)
    x = rng.normal(size=(batch, time, features)).astype("float32")
    c0 = rng.normal(size=(batch, units)).astype("float32") if with_initial_state else None
    expected = reference_quantities(family, layer, x, c0)

    outputs = layer(x, initial_state=c0)
    traced = zoo.trace(layer, x, initial_state=c0)[layer.name]

    np.testing.assert_allclose(keras.ops.convert_to_numpy(outputs), expected["state"], atol=1e-5)
    assert sorted(traced) == sorted(expected)
    for quantity, value in expected.items():
        np.testing.assert_allclose(traced[quantity], value, atol=1e-5, err_msg=quantity)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_cell_in_keras_rnn_equals_numpy_reference(family):
    rng = np.random.default_rng(1)
    layer = random_layer(family, features=3, units=4, rng=rng)
    x = rng.normal(size=(2, 6, 3)).astype("float32")
    rnn = keras.layers.RNN(layer.cell, return_sequences=True)
    expected = reference_quantities(family, layer, x)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(rnn(x)), expected["state"], atol=1e-5)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_padded_steps_keep_the_state_and_report_zero_gates(family):
    rng = np.random.default_rng(2)
    layer = random_layer(family, features=2, units=3, rng=rng)
    x = rng.normal(size=(3, 5, 2)).astype("float32")
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]], bool)
    expected = reference_quantities(family, layer, x, mask=mask)

    traced = zoo.trace(layer, x, mask=mask)[layer.name]

    for quantity, value in expected.items():
        np.testing.assert_allclose(traced[quantity], value, atol=1e-5, err_msg=quantity)
    np.testing.assert_allclose(traced["state"][1, 4], traced["state"][1, 2])


def test_gru_with_zero_weights_halves_the_state_each_step():
    # All weights 0: Γu = Γr = σ(0) = 1/2 and c̃ = tanh(0) = 0, so c⟨t⟩ = c⟨t−1⟩ / 2. (Γu = 1/2
    # cannot tell Γu from 1 − Γu: the update-gate test below does.)
    layer = zoo.GRU(
        2, return_sequences=True, kernel_initializer="zeros", recurrent_initializer="zeros"
    )
    x = np.ones((1, 3, 4), "float32")
    outputs = layer(x, initial_state=np.ones((1, 2), "float32"))
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(outputs)[0], [[0.5, 0.5], [0.25, 0.25], [0.125, 0.125]]
    )
    traced = zoo.trace(layer, x, initial_state=np.ones((1, 2), "float32"))[layer.name]
    np.testing.assert_allclose(traced["update"], 0.5)
    np.testing.assert_allclose(traced["candidate"], 0.0)


# The update gate's convention, c⟨t⟩ = Γu·c̃⟨t⟩ + (1 − Γu)·c⟨t−1⟩: Γu = 1 takes the candidate,
# Γu = 0 keeps the memory. With every weight 0 but the biases, Γu = σ(b_u) and the candidate is
# its activation of b_c at every step, whatever the input.
UPDATE_GATED = {
    "gru": (zoo.GRU, {}, np.tanh),
    "gru_reset_after": (zoo.GRU, {"reset_after": True}, np.tanh),
    "simplified_gru": (zoo.SimplifiedGRU, {}, np.tanh),
    # minGRU's g(v) = v + 0.5 for v >= 0, σ(v) otherwise.
    "min_gru": (zoo.MinGRU, {}, lambda v: np.where(v >= 0, v + 0.5, 1 / (1 + np.exp(-v)))),
}


@pytest.mark.parametrize("family", sorted(UPDATE_GATED))
@pytest.mark.parametrize("update_bias", [30.0, -30.0])
def test_an_open_update_gate_takes_the_candidate_and_a_closed_one_keeps_the_memory(
    family, update_bias
):
    layer_class, layer_kwargs, activation = UPDATE_GATED[family]
    layer = layer_class(2, return_sequences=True, **layer_kwargs)
    layer.build((None, None, 3))
    candidate_bias = np.array([0.4, -1.2], "float32")
    for weight in layer.weights:
        values = np.zeros(weight.shape, "float32")
        if weight.name == "bias":
            input_bias = values[0] if values.ndim == 2 else values  # reset_after: row 0
            input_bias[:2] = update_bias
            input_bias[-2:] = candidate_bias
        weight.assign(values)
    x = np.random.default_rng(3).normal(size=(2, 4, 3)).astype("float32")
    c0 = np.array([[0.3, -0.7], [0.9, 0.1]], "float32")

    states = keras.ops.convert_to_numpy(layer(x, initial_state=c0))

    if update_bias > 0:  # Γu = σ(30) = 1: c⟨t⟩ = c̃⟨t⟩ at every step
        expected = np.broadcast_to(activation(candidate_bias), states.shape)
    else:  # Γu = σ(−30) = 0: c⟨t⟩ = c⟨t−1⟩ = c⟨0⟩
        expected = np.broadcast_to(c0[:, None, :], states.shape)
    np.testing.assert_allclose(states, expected, atol=1e-6)
