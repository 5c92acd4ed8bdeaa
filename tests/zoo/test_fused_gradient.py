"""The hand-written backward of zoo.GRU and zoo.SimplifiedGRU equals autodiff over their cells."""

import keras
import numpy as np
import pytest

import zoo


def one_sgd_step(layer, x, y, mask, jit):
    """The layer's weights after one SGD step (learning rate 1) on sum of sin(outputs) · y."""
    inputs = keras.Input(x.shape[1:])
    mask_input = keras.Input(mask.shape[1:], dtype="bool")
    model = keras.Model([inputs, mask_input], layer(inputs, mask=mask_input))
    model.compile(keras.optimizers.SGD(1.0), lambda y, out: keras.ops.sum(keras.ops.sin(out) * y))
    model.jit_compile = jit
    model.train_on_batch([x, mask], y)
    return [keras.ops.convert_to_numpy(w) for w in layer.weights]


@pytest.mark.parametrize("layer_class", [zoo.GRU, zoo.SimplifiedGRU], ids=lambda c: c.__name__)
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("jit", [False, True])
def test_a_training_step_equals_the_one_through_keras_rnn_over_the_cell(
    layer_class, return_sequences, go_backwards, jit
):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 6, 2)).astype("float32")
    mask = np.arange(6)[None, :] < np.array([6, 4, 1])[:, None]
    options = dict(return_sequences=return_sequences, go_backwards=go_backwards)
    fused = layer_class(4, bias_initializer="random_normal", **options)
    fused.build(x.shape)
    cell = type(fused.cell)(4)
    autodiff = keras.layers.RNN(cell, **options)
    autodiff.build(x.shape)
    autodiff.set_weights(fused.get_weights())
    y = rng.normal(size=(3, 6, 4) if return_sequences else (3, 4)).astype("float32")
    expected = one_sgd_step(autodiff, x, y, mask, jit)
    for actual, wanted in zip(one_sgd_step(fused, x, y, mask, jit), expected, strict=True):
        np.testing.assert_allclose(actual, wanted, atol=1e-5)
