"""`zoo.trace` reads a zoo cell wherever it runs: in `keras.layers.RNN`, alone or in a model."""

import keras
import numpy as np
import pytest

import zoo


@pytest.mark.parametrize("cell_class", [zoo.GRUCell, zoo.SimplifiedGRUCell, zoo.MinGRUCell])
def test_a_cell_in_keras_rnn_is_traced_and_its_states_are_the_layers_outputs(cell_class):
    x = np.random.default_rng(0).normal(size=(2, 6, 3)).astype("float32")
    layer = keras.layers.RNN(cell_class(4), return_sequences=True, name="wrapped")
    outputs = keras.ops.convert_to_numpy(layer(x))
    traced = zoo.trace(layer, x)["wrapped"]
    assert np.allclose(traced["state"], outputs, atol=1e-5)
    assert traced["update"].shape == (2, 6, 4) and (traced["update"] > 0).all()


def test_a_wrapped_cell_inside_a_model_is_traced_with_the_models_mask():
    tokens = keras.Input((None,), dtype="int32")
    hidden = keras.layers.Embedding(10, 3, mask_zero=True)(tokens)
    outputs = keras.layers.RNN(zoo.GRUCell(4), return_sequences=True, name="rnn")(hidden)
    model = keras.Model(tokens, outputs)
    ids = np.array([[3, 4, 5, 0, 0]])
    traced = zoo.trace(model, ids)["rnn"]
    assert np.allclose(
        traced["state"][0, :3], keras.ops.convert_to_numpy(model(ids))[0, :3], atol=1e-5
    )
    assert (traced["update"][0, 3:] == 0).all()  # padded steps keep the memory
    assert np.allclose(traced["state"][0, 3], traced["state"][0, 2])
