"""zoo.trace reports every gated layer's per-step gates, leaving the model unchanged."""

import keras
import numpy as np
import pytest

import zoo

TOKENS = np.array([[1, 2, 3, 4, 5], [3, 1, 0, 0, 0], [2, 0, 0, 0, 0]], "int32")


def numpy_of(tensor):
    return keras.ops.convert_to_numpy(tensor)


def functional_model():
    tokens = keras.Input((5,), dtype="int32")
    embedded = keras.layers.Embedding(6, 3, mask_zero=True)(tokens)
    first = zoo.GRU(4, return_sequences=True, name="first")(embedded)
    second = zoo.SimplifiedGRU(2, name="second")(keras.layers.Dense(3)(first))
    return keras.Model(tokens, keras.layers.Dense(1)(second))


def sequential_model():
    return keras.Sequential(
        [
            keras.Input((5,), dtype="int32"),
            keras.layers.Embedding(6, 3, mask_zero=True),
            zoo.build("min_gru", units=4, return_sequences=True, name="first"),
            zoo.build("gru_reset_after", units=2, name="second"),
            keras.layers.Dense(1),
        ]
    )


@pytest.mark.parametrize("make_model", [functional_model, sequential_model])
def test_trace_reports_each_gated_layer_by_name_with_batch_time_units_arrays(make_model):
    model = make_model()
    traced = zoo.trace(model, TOKENS)
    assert sorted(traced) == ["first", "second"]
    for name, units in [("first", 4), ("second", 2)]:
        for quantity in ("update", "candidate", "state"):
            assert traced[name][quantity].shape == (3, 5, units)
            assert isinstance(traced[name][quantity], np.ndarray)


@pytest.mark.parametrize("make_model", [functional_model, sequential_model])
def test_traced_states_equal_the_layer_outputs_in_the_model(make_model):
    model = make_model()
    traced = zoo.trace(model, TOKENS)
    first_outputs = keras.Model(model.inputs, model.get_layer("first").output)(TOKENS)
    second_outputs = keras.Model(model.inputs, model.get_layer("second").output)(TOKENS)
    np.testing.assert_allclose(traced["first"]["state"], numpy_of(first_outputs), atol=1e-5)
    np.testing.assert_allclose(
        traced["second"]["state"][:, -1], numpy_of(second_outputs), atol=1e-5
    )


@pytest.mark.parametrize("make_model", [functional_model, sequential_model])
def test_trace_respects_the_embedding_mask(make_model):
    traced = zoo.trace(make_model(), TOKENS)["first"]
    # Row 1 has two tokens: afterwards the state is carried and the gates read 0.
    np.testing.assert_array_equal(traced["state"][1, 2:], np.repeat(traced["state"][1, 1:2], 3, 0))
    np.testing.assert_array_equal(traced["update"][1, 2:], 0.0)
    assert (traced["update"][0] > 0).all()


def test_trace_leaves_the_model_and_its_weights_unchanged():
    model = functional_model()
    weights = [w.copy() for w in model.get_weights()]
    predictions = numpy_of(model(TOKENS))
    zoo.trace(model, TOKENS)
    assert len(model.layers) == 6
    for before, after in zip(weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    np.testing.assert_array_equal(numpy_of(model(TOKENS)), predictions)


@pytest.mark.parametrize(
    "name, quantities",
    [
        ("gru", ["candidate", "reset", "state", "update"]),
        ("gru_reset_after", ["candidate", "reset", "state", "update"]),
        ("gru_no_update_gate", ["candidate", "reset", "state", "update"]),
        ("simplified_gru", ["candidate", "state", "update"]),
        ("gru_no_reset_gate", ["candidate", "state", "update"]),
        ("min_gru", ["candidate", "state", "update"]),
        ("keras_gru", ["candidate", "reset", "state", "update"]),
    ],
)
def test_trace_reports_a_reset_gate_only_where_the_cell_has_one(name, quantities):
    layer = zoo.build(name, units=3, name="layer")
    x = np.ones((2, 4, 5), "float32")
    layer(x)
    assert sorted(zoo.trace(layer, x)["layer"]) == quantities


def test_trace_of_a_go_backwards_layer_is_in_input_order():
    x = np.random.default_rng(0).normal(size=(1, 4, 2)).astype("float32")
    layer = zoo.GRU(3, go_backwards=True, return_sequences=True)
    outputs = numpy_of(layer(x))  # In reading order, as Keras returns it.
    traced = zoo.trace(layer, x)[layer.name]
    np.testing.assert_allclose(traced["state"], outputs[:, ::-1], atol=1e-6)


def test_trace_rejects_a_model_without_gated_layers():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="without one"):
        zoo.trace(model, np.ones((1, 3), "float32"))


def test_trace_looks_inside_bidirectional_wrappers_both_directions_in_input_order():
    x = np.random.default_rng(1).normal(size=(2, 5, 3)).astype("float32")
    inputs = keras.Input((5, 3))
    both = keras.layers.Bidirectional(zoo.GRU(4, return_sequences=True, name="gru"), name="both")
    model = keras.Model(inputs, both(inputs))
    traced = zoo.trace(model, x)
    assert sorted(traced) == ["both/backward_gru", "both/forward_gru"]
    outputs = numpy_of(model(x))  # forward half, then the backward half in input order
    np.testing.assert_allclose(traced["both/forward_gru"]["state"], outputs[..., :4], atol=1e-5)
    np.testing.assert_allclose(traced["both/backward_gru"]["state"], outputs[..., 4:], atol=1e-5)


def test_trace_looks_inside_nested_models_and_names_layers_by_their_path():
    x = np.random.default_rng(2).normal(size=(2, 5, 3)).astype("float32")
    encoder = keras.Sequential(
        [keras.Input((5, 3)), zoo.SimplifiedGRU(2, name="inner")], name="encoder"
    )
    inputs = keras.Input((5, 3))
    dense = keras.layers.Dense(3)
    model = keras.Model(inputs, keras.layers.Dense(1)(encoder(dense(inputs))))
    traced = zoo.trace(model, x)
    assert list(traced) == ["encoder/inner"]
    encoded = encoder(dense(x))
    np.testing.assert_allclose(
        traced["encoder/inner"]["state"][:, -1], numpy_of(encoded), atol=1e-5
    )


def test_saturation_counts_the_values_within_the_margin_of_0_and_of_1():
    values = np.array([0.0, 0.04, 0.06, 0.5, 0.94, 0.96, 1.0])
    assert zoo.tracing.SATURATION_MARGIN == 0.05
    found = zoo.tracing.saturation(values)  # within 0.05 of 0 or 1
    assert found["count"] == 7 and found["mean"] == pytest.approx(values.mean())
    assert found["near_0"] == pytest.approx(2 / 7) and found["near_1"] == pytest.approx(2 / 7)
    assert found["grey"] == pytest.approx(3 / 7)
    assert zoo.tracing.saturation(values, margin=0.1)["grey"] == pytest.approx(1 / 7)
    assert zoo.tracing.saturation(values, margin=0.01)["grey"] == pytest.approx(5 / 7)


def test_saturation_of_no_values_is_nan_but_the_count():
    found = zoo.tracing.saturation(np.zeros((0,)))
    assert found["count"] == 0
    assert all(np.isnan(found[key]) for key in ("mean", "near_0", "near_1", "grey"))


def test_every_traced_quantity_has_a_name_of_the_tracing_api():
    layer = zoo.GRU(3, name="layer")
    x = np.ones((2, 4, 5), "float32")
    layer(x)
    traced = zoo.trace(layer, x)["layer"]
    assert tuple(traced) == zoo.tracing.QUANTITIES
    assert set(zoo.tracing.GATES) < set(zoo.tracing.QUANTITIES)
