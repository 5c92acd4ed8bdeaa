"""The hand-written backward of zoo.GRU and zoo.SimplifiedGRU equals autodiff over their cells,
and zoo.MinGRU's parallel scan trains as its sequential form."""

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


@pytest.mark.parametrize("time", [5, 8, 9])  # odd, even, and odd at every level of the scan
@pytest.mark.parametrize("jit", [False, True])
def test_a_min_gru_training_step_through_the_scan_equals_the_one_through_its_cell(time, jit):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, time, 2)).astype("float32")
    mask = np.arange(time)[None, :] < np.array([time, 4, 1])[:, None]
    scan = zoo.MinGRU(4, bias_initializer="random_normal", return_sequences=True)
    scan.build(x.shape)
    sequential = keras.layers.RNN(zoo.MinGRUCell(4), return_sequences=True)
    sequential.build(x.shape)
    sequential.set_weights(scan.get_weights())
    y = rng.normal(size=(3, time, 4)).astype("float32")
    expected = one_sgd_step(sequential, x, y, mask, jit)
    for actual, wanted in zip(one_sgd_step(scan, x, y, mask, jit), expected, strict=True):
        np.testing.assert_allclose(actual, wanted, atol=1e-5)


@pytest.mark.parametrize("layer_class", [zoo.GRU, zoo.SimplifiedGRU], ids=lambda c: c.__name__)
@pytest.mark.parametrize("return_sequences", [False, True])
def test_inference_without_the_saved_gates_gives_the_training_outputs(
    layer_class, return_sequences
):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 7, 2)).astype("float32")
    mask = np.arange(7)[None, :] < np.array([7, 3, 1])[:, None]
    layer = layer_class(4, bias_initializer="random_normal", return_sequences=return_sequences)
    inferred = layer(x, mask=mask, training=False)
    trained = layer(x, mask=mask, training=True)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(inferred), keras.ops.convert_to_numpy(trained), atol=1e-6
    )


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="TensorFlow's XLA loops")
@pytest.mark.parametrize("jit", [False, True])
def test_gradients_through_inference_equal_those_of_training(jit):
    """Inference (no saved gates) differentiates by autodiff of the loop that suits XLA or not."""
    import tensorflow as tf

    rng = np.random.default_rng(2)
    x = tf.constant(rng.normal(size=(3, 9, 2)).astype("float32"))
    layer = zoo.GRU(4, bias_initializer="random_normal", return_sequences=True)
    layer.build(x.shape)

    @tf.function(jit_compile=jit)
    def input_gradient(training):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_sum(tf.sin(layer(x, training=training)))
        return tape.gradient(loss, x)

    np.testing.assert_allclose(input_gradient(False), input_gradient(True), atol=1e-5)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="TensorFlow's XLA loops")
def test_the_loops_know_when_tensorflow_compiles_with_xla():
    import tensorflow as tf

    from zoo.loops import compiling_with_xla

    def inside():
        return tf.constant(compiling_with_xla())

    assert not compiling_with_xla()
    assert bool(tf.function(inside, jit_compile=True)())
    assert not bool(tf.function(inside, jit_compile=False)())
