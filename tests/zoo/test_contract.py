"""Every registered model and every cell honours the layer contract (zoo.testing)."""

import keras
import pytest

import zoo
from zoo.testing import check_layer_contract

CELLS = [zoo.GRUCell, zoo.SimplifiedGRUCell, zoo.NoUpdateGateGRUCell, zoo.MinGRUCell]


@pytest.mark.parametrize("name", zoo.names())
def test_registered_model_honours_layer_contract(name, tmp_path):
    check_layer_contract(lambda: zoo.build(name, units=4, name=f"{name}_layer"), tmp_path)


@pytest.mark.parametrize("name", zoo.names())
def test_registered_model_accepts_return_sequences_and_name(name):
    layer = zoo.build(name, units=3, return_sequences=True, name="encoder")
    assert layer.name == "encoder"
    assert layer(keras.ops.ones((2, 4, 5))).shape == (2, 4, 3)
    assert zoo.build(name, units=3)(keras.ops.ones((2, 4, 5))).shape == (2, 3)


@pytest.mark.parametrize("cell_class", CELLS, ids=lambda c: c.__name__)
def test_cell_honours_layer_contract_inside_keras_rnn(cell_class, tmp_path):
    check_layer_contract(lambda: keras.layers.RNN(cell_class(4)), tmp_path)


@pytest.mark.parametrize("cell_class", CELLS, ids=lambda c: c.__name__)
def test_cell_config_round_trips_with_every_argument(cell_class):
    cell = cell_class(5, kernel_initializer="ones", bias_initializer="random_normal", name="c")
    restored = cell_class.from_config(cell.get_config())
    assert restored.get_config() == cell.get_config()
    assert cell.get_config()["units"] == 5
    assert cell.state_size == cell.output_size == 5
