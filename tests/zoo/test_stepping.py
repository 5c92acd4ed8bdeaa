"""zoo.step_through and zoo.state_gradients step any recurrent layer one step at a time: they
report what the equations give at each step (the NumPy reference, Keras's own layers), an
edit between steps changes exactly the steps read after it, and ∂loss/∂c⟨t⟩ equals finite
differences and closed forms, also through an edit, on the backend the tests run on
(TensorFlow or JAX)."""

import keras
import numpy as np
import pytest
from keras import ops

import zoo
from zoo import numpy_reference

MASK = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], bool)  # row 1 padded from step 3 on


def numpy_of(tensor):
    return ops.convert_to_numpy(tensor)


def random_inputs(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def random_layer(layer_class=zoo.GRU, units=3, features=2, seed=0, **kwargs):
    layer = layer_class(units, **{"return_sequences": True, **kwargs})
    layer.build((None, None, features))
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(size=w.shape).astype("float32") for w in layer.get_weights()])
    return layer


def reference_gru_states(layer, x, mask=None, after_step=None):
    """c⟨t⟩ of a zoo.GRU by the NumPy reference, one step at a time in the layer's reading
    order, `after_step(c, t)` applied to the state after the step at input position t."""
    weights = [numpy_of(w) for w in layer.get_weights()]
    batch, time, _ = x.shape
    mask = np.ones((batch, time), bool) if mask is None else mask
    c = np.zeros((batch, layer.units))
    states = [None] * time
    for t in reversed(range(time)) if layer.go_backwards else range(time):
        step = numpy_reference.gru(x[:, t : t + 1], *weights, c0=c, mask=mask[:, t : t + 1])
        c = step["state"][:, 0]
        c = c if after_step is None else after_step(c, t)
        states[t] = c
    return np.stack(states, axis=1)


# (layer class, NumPy reference): a zoo layer's per-step quantities are its `recur`'s.
FAMILIES = {
    "gru": (zoo.GRU, numpy_reference.gru),
    "simplified_gru": (zoo.SimplifiedGRU, numpy_reference.simplified_gru),
    "min_gru": (zoo.MinGRU, numpy_reference.min_gru),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("stepped", ["layer", "wrapped_cell", "bare_cell"])
def test_every_per_step_quantity_equals_the_numpy_reference(family, go_backwards, stepped):
    layer_class, reference = FAMILIES[family]
    layer = random_layer(layer_class)
    x = random_inputs((2, 5, 2))
    c0 = random_inputs((2, 3), seed=1)
    weights = [numpy_of(w) for w in layer.get_weights()]
    order = slice(None, None, -1 if go_backwards else 1)  # a backward layer reads x reversed
    expected = reference(x[:, order], *weights, c0=c0, mask=MASK[:, order])
    if stepped == "layer":
        stepped_layer = layer_class(3, go_backwards=go_backwards)
        stepped_layer.build((None, None, 2))
        stepped_layer.set_weights(layer.get_weights())
        per_step = zoo.step_through(stepped_layer, x, MASK, c0)
    elif stepped == "wrapped_cell":
        per_step = zoo.step_through(
            keras.layers.RNN(layer.cell, go_backwards=go_backwards), x, MASK, c0
        )
    else:
        per_step = zoo.step_through(layer.cell, x, MASK, c0, go_backwards=go_backwards)
    assert sorted(per_step) == sorted(expected)
    for name, value in expected.items():  # in input order, also reading backwards
        np.testing.assert_allclose(numpy_of(per_step[name]), value[:, order], atol=1e-5)


@pytest.mark.parametrize("go_backwards", [False, True])
def test_a_simple_rnn_steps_as_its_equation_h_equals_tanh_of_x_w_plus_h_u_plus_b(go_backwards):
    layer = random_layer(keras.layers.SimpleRNN, go_backwards=go_backwards)
    kernel, recurrent_kernel, bias = (numpy_of(w) for w in layer.get_weights())
    x = random_inputs((2, 5, 2))
    h, expected = np.zeros((2, 3)), np.zeros((2, 5, 3))
    for t in reversed(range(5)) if go_backwards else range(5):
        h = np.where(MASK[:, t, None], np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias), h)
        expected[:, t] = h
    per_step = zoo.step_through(layer, x, MASK)
    assert sorted(per_step) == ["state"]
    np.testing.assert_allclose(numpy_of(per_step["state"]), expected, atol=1e-5)


@pytest.mark.parametrize("go_backwards", [False, True])
def test_an_lstm_reports_h_and_c_as_the_keras_layer_computes_them(go_backwards):
    layer = random_layer(keras.layers.LSTM, go_backwards=go_backwards, return_state=True)
    x = random_inputs((2, 5, 2))
    outputs, last_h, last_c = (numpy_of(v) for v in layer(x, mask=MASK))
    per_step = {name: numpy_of(v) for name, v in zoo.step_through(layer, x, MASK).items()}
    assert sorted(per_step) == ["state", "state_1"]  # h (the output), then c
    last = 0 if go_backwards else -1  # the last step read (padded steps carry the state)
    np.testing.assert_allclose(per_step["state"][:, last], last_h, atol=1e-5)
    np.testing.assert_allclose(per_step["state_1"][:, last], last_c, atol=1e-5)
    in_reading_order = per_step["state"][:, ::-1] if go_backwards else per_step["state"]
    np.testing.assert_allclose(in_reading_order[MASK], outputs[MASK], atol=1e-5)


def test_a_clamped_unit_holds_its_value_and_every_next_step_reads_the_clamped_state():
    layer = random_layer()
    x = random_inputs((2, 5, 2))
    clamped_unit = np.array([False, True, False])

    def clamp(states, t):
        return [ops.where(clamped_unit, 0.5, states[0])]

    def clamp_reference(c, t):
        return np.where(clamped_unit, 0.5, c)

    clamped = numpy_of(zoo.step_through(layer, x, edit_states=clamp)["state"])
    np.testing.assert_allclose(
        clamped, reference_gru_states(layer, x, None, clamp_reference), atol=1e-5
    )
    assert np.all(clamped[:, :, 1] == 0.5)
    free = numpy_of(zoo.step_through(layer, x)["state"])
    assert not np.allclose(clamped[:, 1:, [0, 2]], free[:, 1:, [0, 2]], atol=1e-3)


@pytest.mark.parametrize("go_backwards", [False, True])
def test_an_edit_at_one_step_changes_only_the_steps_read_after_it(go_backwards):
    layer = random_layer(go_backwards=go_backwards)
    x = random_inputs((2, 5, 2))

    def reset_at_1(states, t):  # t is the input position, also reading backwards
        return [ops.where(ops.equal(t, 1), 0.0, states[0])]

    edited = numpy_of(zoo.step_through(layer, x, edit_states=reset_at_1)["state"])
    expected = reference_gru_states(layer, x, None, lambda c, t: 0.0 * c if t == 1 else c)
    np.testing.assert_allclose(edited, expected, atol=1e-5)
    free = numpy_of(zoo.step_through(layer, x)["state"])
    read_before = [2, 3, 4] if go_backwards else [0]
    read_after = [0] if go_backwards else [2, 3, 4]
    np.testing.assert_array_equal(edited[:, read_before], free[:, read_before])
    assert not np.allclose(edited[:, read_after], free[:, read_after], atol=1e-3)


def test_padded_steps_carry_the_state_over_unedited_and_report_zero_gates():
    layer = random_layer()
    per_step = zoo.step_through(
        layer, random_inputs((2, 5, 2)), MASK, edit_states=lambda states, t: [states[0] + 1.0]
    )
    state = numpy_of(per_step["state"])
    np.testing.assert_array_equal(state[1, 3:], np.repeat(state[1, 2:3], 2, axis=0))
    np.testing.assert_array_equal(numpy_of(per_step["update"])[1, 3:], 0.0)


@pytest.mark.parametrize("go_backwards", [False, True])
def test_state_gradients_equal_central_differences_of_the_numpy_reference(go_backwards):
    layer = random_layer(go_backwards=go_backwards)
    x = random_inputs((2, 5, 2))
    loss_weights = random_inputs((2, 5, 3), seed=2)

    def loss(per_step):  # every step's state counts, so the gradient has many paths
        return ops.sum(ops.sin(per_step["state"]) * loss_weights)

    gradients = numpy_of(zoo.state_gradients(layer, x, loss, mask=MASK)["state"])

    def row_losses(t, shift):  # Σ sin(c)·w per row, `shift` added to c⟨t⟩ after step t
        states = reference_gru_states(layer, x, MASK, lambda c, s: c + shift if s == t else c)
        return np.sum(np.sin(states) * loss_weights, axis=(1, 2))

    epsilon, expected = 1e-4, np.zeros(gradients.shape)
    for t in range(5):
        for unit in range(3):
            shift = epsilon * np.eye(3)[unit]
            expected[:, t, unit] = (row_losses(t, shift) - row_losses(t, -shift)) / (2 * epsilon)
    np.testing.assert_allclose(gradients, expected, rtol=1e-4, atol=1e-5)


def reference_edited_gru_states(layer, x, mask, edit, shifted_step=None, shift=0.0):
    """c⟨t⟩ of a zoo.GRU under an edit, by the NumPy reference in float64, as `step_through`
    defines it: c⟨t⟩ = (edit(s⟨t⟩, t) if m⟨t⟩ else c⟨t−1⟩) + δ⟨t⟩, s⟨t⟩ the reference's
    step from c⟨t−1⟩, δ⟨t⟩ = `shift` at t = `shifted_step` and 0 elsewhere."""
    weights = [numpy_of(w) for w in layer.get_weights()]
    batch, time, _ = x.shape
    c = np.zeros((batch, layer.units))
    states = [None] * time
    for t in reversed(range(time)) if layer.go_backwards else range(time):
        step = numpy_reference.gru(x[:, t : t + 1], *weights, c0=c)["state"][:, 0]
        c = np.where(mask[:, t, None], edit(step, t), c) + (shift if t == shifted_step else 0.0)
        states[t] = c
    return np.stack(states, axis=1)


@pytest.mark.parametrize("go_backwards", [False, True])
def test_an_edit_that_resets_the_state_at_step_t_makes_the_gradient_before_t_zero(go_backwards):
    # c⟨2⟩ = 0 whatever c⟨1⟩ was, so a loss of the states from step 2 on does not depend on
    # c⟨1⟩ or anything before it: ∂loss/∂c⟨t⟩ = 0 for every step read before step 2.
    layer = random_layer(go_backwards=go_backwards)
    x = random_inputs((2, 5, 2))
    read_before = [3, 4] if go_backwards else [0, 1]  # input positions, read before step 2
    loss_weights = random_inputs((2, 5, 3), seed=2)
    loss_weights[:, read_before] = 0.0

    def loss(per_step):
        return ops.sum(ops.sin(per_step["state"]) * loss_weights)

    def reset_at_2(states, t):
        return [ops.where(ops.equal(t, 2), 0.0, states[0])]

    edited = numpy_of(zoo.state_gradients(layer, x, loss, edit_states=reset_at_2)["state"])
    free = numpy_of(zoo.state_gradients(layer, x, loss)["state"])
    np.testing.assert_array_equal(edited[:, read_before], 0.0)
    assert np.all(np.abs(free[:, read_before]) > 1e-4)  # without the reset, they are not 0
    read_from_2 = [0, 1, 2] if go_backwards else [2, 3, 4]
    assert np.all(np.abs(edited[:, read_from_2]).sum(-1) > 1e-4)  # δ⟨2⟩ is added after it


@pytest.mark.parametrize("go_backwards", [False, True])
def test_state_gradients_under_an_edit_equal_central_differences_of_the_edited_reference(
    go_backwards,
):
    # The edit: every unit scaled by 0.8 at step 1, and unit 1 clamped to 0.5 from step 2 on.
    layer = random_layer(go_backwards=go_backwards)
    x = random_inputs((2, 5, 2))
    loss_weights = random_inputs((2, 5, 3), seed=2)
    clamped_unit = np.array([False, True, False])

    def edit(states, t):
        c = ops.where(ops.equal(t, 1), 0.8 * states[0], states[0])
        return [ops.where(ops.logical_and(clamped_unit, ops.greater_equal(t, 2)), 0.5, c)]

    def edit_reference(c, t):
        c = 0.8 * c if t == 1 else c
        return np.where(clamped_unit & (t >= 2), 0.5, c)

    def loss(per_step):
        return ops.sum(ops.sin(per_step["state"]) * loss_weights)

    edited = numpy_of(zoo.step_through(layer, x, MASK, edit_states=edit)["state"])
    reference = reference_edited_gru_states(layer, x, MASK, edit_reference)
    np.testing.assert_allclose(edited, reference, atol=1e-5)  # the same edited forward pass
    gradients = zoo.state_gradients(layer, x, loss, mask=MASK, edit_states=edit)["state"]
    gradients = numpy_of(gradients)

    def row_losses(t, shift):  # Σ sin(c)·w per row, `shift` added to c⟨t⟩ after the edit
        states = reference_edited_gru_states(layer, x, MASK, edit_reference, t, shift)
        return np.sum(np.sin(states) * loss_weights, axis=(1, 2))

    epsilon, expected = 1e-4, np.zeros(gradients.shape)
    for t in range(5):
        for unit in range(3):
            shift = epsilon * np.eye(3)[unit]
            expected[:, t, unit] = (row_losses(t, shift) - row_losses(t, -shift)) / (2 * epsilon)
    np.testing.assert_allclose(gradients, expected, rtol=1e-4, atol=1e-5)
    unedited = numpy_of(zoo.state_gradients(layer, x, loss, mask=MASK)["state"])
    assert not np.allclose(unedited, expected, atol=1e-3)  # the edit changes the gradient


@pytest.mark.parametrize("update_bias", [-30.0, 30.0])
def test_a_closed_update_gate_passes_the_gradient_back_unchanged_and_an_open_one_stops_it(
    update_bias,
):
    # c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩. Γu = σ(−30) ≈ 0: ∂c⟨t⟩/∂c⟨t−1⟩ ≈ I, so
    # ∂(v·c⟨T⟩)/∂c⟨t⟩ = v at every t. Γu = σ(30) ≈ 1 and no recurrent kernel: c⟨t⟩ = c̃⟨t⟩
    # reads only x⟨t⟩, so the gradient is v at T and 0 before.
    layer = random_layer(units=2, features=3)
    bias = numpy_of(layer.cell.bias)
    bias[:2] = update_bias
    layer.cell.bias.assign(bias)
    if update_bias > 0:
        layer.cell.recurrent_kernel.assign(np.zeros(layer.cell.recurrent_kernel.shape))
    v = np.array([0.7, -1.3], "float32")
    x = random_inputs((1, 6, 3))

    gradients = zoo.state_gradients(
        layer, x, lambda per_step: ops.sum(per_step["state"][:, -1] * v)
    )
    gradients = numpy_of(gradients["state"])[0]

    expected = np.tile(v, (6, 1))
    if update_bias > 0:
        expected[:-1] = 0.0
    np.testing.assert_allclose(gradients, expected, atol=1e-6)


def test_a_linear_simple_rnn_gradient_is_v_times_the_transposed_recurrent_kernel_per_step():
    # h⟨t⟩ = x⟨t⟩W + h⟨t−1⟩U + b, so ∂(v·h⟨T⟩)/∂h⟨t⟩ = v (Uᵀ)^(T−t).
    layer = random_layer(keras.layers.SimpleRNN, units=2, activation="linear")
    recurrent_kernel = numpy_of(layer.cell.recurrent_kernel).astype(np.float64)
    v = np.array([0.5, -2.0], "float32")
    x = random_inputs((1, 4, 2))
    gradients = zoo.state_gradients(
        layer, x, lambda per_step: ops.sum(per_step["state"][:, -1] * v)
    )
    expected = [v @ np.linalg.matrix_power(recurrent_kernel.T, 3 - t) for t in range(4)]
    np.testing.assert_allclose(numpy_of(gradients["state"])[0], expected, rtol=1e-5, atol=1e-6)


def test_lstm_gradients_for_h_and_c_equal_central_differences_of_the_keras_layer():
    layer = random_layer(keras.layers.LSTM, units=2, return_sequences=False, return_state=True)
    x = random_inputs((1, 4, 2))
    v = np.array([0.9, -0.4], "float32")

    def last_h_loss(h_last):
        return float(np.sum(numpy_of(h_last) * v))

    gradients = zoo.state_gradients(
        layer, x, lambda per_step: ops.sum(per_step["state"][:, -1] * v)
    )

    epsilon = 3e-3
    for which, name in enumerate(["state", "state_1"]):  # h, then c
        expected = np.zeros((4, 2))
        for t in range(4):
            _, h, c = layer(x[:, : t + 1])
            for unit in range(2):
                losses = []
                for shift in (epsilon, -epsilon):
                    states = [h, c]
                    states[which] = states[which] + shift * np.eye(2, dtype="float32")[unit]
                    h_last = states[0] if t == 3 else layer(x[:, t + 1 :], initial_state=states)[0]
                    losses.append(last_h_loss(h_last))
                expected[t, unit] = (losses[0] - losses[1]) / (2 * epsilon)
        np.testing.assert_allclose(numpy_of(gradients[name])[0], expected, atol=3e-4, err_msg=name)


def test_stepping_refuses_a_layer_that_is_not_recurrent_in_one_line():
    dense = keras.layers.Dense(2)
    with pytest.raises(ValueError, match="expected a recurrent layer .* got Dense"):
        zoo.step_through(dense, np.ones((1, 2, 3), "float32"))
