"""Bad input raises a ValueError that names the argument, Keras style."""

import numpy as np
import pytest

import zoo

SEQUENCE_LAYERS = [zoo.GRU, zoo.SimplifiedGRU, zoo.NoUpdateGateGRU, zoo.MinGRU]
CELLS = [zoo.GRUCell, zoo.SimplifiedGRUCell, zoo.NoUpdateGateGRUCell, zoo.MinGRUCell]


@pytest.mark.parametrize("layer_class", SEQUENCE_LAYERS + CELLS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("units", [0, -3, 2.5, "4", True, None])
def test_non_positive_or_non_integer_units_are_rejected(layer_class, units):
    with pytest.raises(ValueError, match=r"argument `units`, expected a positive integer, got"):
        layer_class(units)


def test_units_error_message_matches_keras_wording():
    with pytest.raises(ValueError) as error:
        zoo.GRU(0)
    assert str(error.value) == (
        "Received an invalid value for argument `units`, expected a positive integer, got 0."
    )


def test_registry_rejects_non_positive_units_for_keras_baselines_too():
    with pytest.raises(ValueError, match="argument `units`"):
        zoo.build("lstm", units=0)


@pytest.mark.parametrize("layer_class", SEQUENCE_LAYERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4, 5)])
def test_sequence_layer_rejects_inputs_that_are_not_3d(layer_class, shape):
    with pytest.raises(ValueError, match=r"argument `sequences`, expected a 3D tensor"):
        layer_class(3)(np.ones(shape, "float32"))


@pytest.mark.parametrize("cell_class", CELLS, ids=lambda c: c.__name__)
def test_cell_rejects_inputs_that_are_not_2d(cell_class):
    with pytest.raises(ValueError, match=r"argument `inputs`, expected a 2D tensor"):
        cell_class(3).build((2, 4, 5))


@pytest.mark.parametrize("layer_class", SEQUENCE_LAYERS, ids=lambda c: c.__name__)
def test_sequence_layer_rejects_sequences_without_time_steps(layer_class):
    layer = layer_class(4)
    expected = r"argument `sequences`, expected at least one time step, got shape \(2, 0, 3\)"
    with pytest.raises(ValueError, match=expected):
        layer(np.ones((2, 0, 3), "float32"))
    layer(np.ones((2, 5, 3), "float32"))  # built now: the call checks too
    with pytest.raises(ValueError, match=expected):
        layer(np.ones((2, 0, 3), "float32"))


@pytest.mark.parametrize("layer_class", SEQUENCE_LAYERS, ids=lambda c: c.__name__)
def test_sequence_layer_rejects_another_feature_count_than_it_was_built_with(layer_class):
    layer = layer_class(4)
    layer(np.ones((2, 5, 3), "float32"))
    with pytest.raises(
        ValueError, match=r"argument `sequences`, expected 3 features .* got shape \(2, 5, 7\)"
    ):
        layer(np.ones((2, 5, 7), "float32"))


@pytest.mark.parametrize("cell_class", CELLS, ids=lambda c: c.__name__)
def test_cell_rejects_another_feature_count_than_it_was_built_with(cell_class):
    import keras

    rnn = keras.layers.RNN(cell_class(4))
    rnn(np.ones((2, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"argument `inputs`, expected 3 features .* \(2, 7\)"):
        rnn(np.ones((2, 5, 7), "float32"))


def test_trace_rejects_an_unbuilt_layer():
    with pytest.raises(ValueError, match="argument `model_or_layer`"):
        zoo.trace(zoo.GRU(3), np.ones((1, 2, 3), "float32"))


def test_trace_rejects_a_layer_without_gates():
    import keras

    dense = keras.layers.Dense(2)
    dense.build((None, 3))
    with pytest.raises(ValueError, match="expected a gated recurrent layer, got Dense"):
        zoo.trace(dense, np.ones((1, 2, 3), "float32"))
