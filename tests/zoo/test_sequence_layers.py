"""The fast sequence layers equal keras.layers.RNN over their cells, option by option."""

import keras
import numpy as np
import pytest

import zoo

LAYERS = [zoo.GRU, zoo.SimplifiedGRU, zoo.NoUpdateGateGRU, zoo.MinGRU]


def numpy_of(tensor):
    return keras.ops.convert_to_numpy(tensor)


def layer_and_cell_rnn(layer_class, features=3, units=4, **kwargs):
    layer = layer_class(units, bias_initializer="random_normal", **kwargs)
    layer.build((None, None, features))
    rnn = keras.layers.RNN(layer.cell, **kwargs)  # The same cell, so the same weights.
    return layer, rnn


@pytest.mark.parametrize("layer_class", LAYERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"return_sequences": True},
        {"go_backwards": True},
        {"return_sequences": True, "go_backwards": True},
        {"return_state": True},
    ],
    ids=str,
)
def test_sequence_layer_equals_keras_rnn_over_its_cell(layer_class, options):
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
    c0 = np.random.default_rng(1).normal(size=(2, 4)).astype("float32")
    layer, rnn = layer_and_cell_rnn(layer_class, **options)
    expected = keras.tree.flatten(rnn(x, initial_state=c0))
    actual = keras.tree.flatten(layer(x, initial_state=c0))
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(numpy_of(a), numpy_of(e), atol=1e-5)


@pytest.mark.parametrize("layer_class", LAYERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("go_backwards", [False, True])
def test_padded_batch_gives_the_final_states_of_sequences_run_one_by_one(layer_class, go_backwards):
    rng = np.random.default_rng(3)
    lengths = [5, 3, 1]
    x = rng.normal(size=(3, 5, 2)).astype("float32")
    mask = np.arange(5)[None, :] < np.array(lengths)[:, None]
    layer = layer_class(4, bias_initializer="random_normal", go_backwards=go_backwards)
    padded = numpy_of(layer(np.where(mask[..., None], x, 0.0), mask=mask))
    for row, length in enumerate(lengths):
        alone = numpy_of(layer(x[row : row + 1, :length]))
        np.testing.assert_allclose(padded[row : row + 1], alone, atol=1e-5)


@pytest.mark.parametrize("layer_class", LAYERS, ids=lambda c: c.__name__)
def test_padded_steps_repeat_the_state_in_the_returned_sequence(layer_class):
    x = np.random.default_rng(4).normal(size=(1, 4, 2)).astype("float32")
    mask = np.array([[True, True, False, False]])
    outputs = numpy_of(layer_class(3, return_sequences=True)(x, mask=mask))
    # The step-by-step layers copy the state; MinGRU's parallel scan computes each step's
    # state anew, exp(log), where a vectorised exp and its scalar tail may round the last
    # bits apart (seen on a CPU other than this AVX-512 Xeon).
    exact_to = 4e-7 if layer_class is zoo.MinGRU else 0  # two float32 ulps, and a bit
    np.testing.assert_allclose(outputs[0, 2], outputs[0, 1], rtol=exact_to)
    np.testing.assert_allclose(outputs[0, 3], outputs[0, 1], rtol=exact_to)


@pytest.mark.parametrize("layer_class", LAYERS, ids=lambda c: c.__name__)
def test_embedding_mask_reaches_the_layer(layer_class):
    tokens = np.array([[3, 1, 0, 0]])
    embedding = keras.layers.Embedding(5, 2, mask_zero=True)
    layer = layer_class(3)
    np.testing.assert_allclose(
        numpy_of(layer(embedding(tokens))), numpy_of(layer(embedding(tokens[:, :2]))), atol=1e-6
    )


@pytest.mark.parametrize("layer_class", LAYERS, ids=lambda c: c.__name__)
def test_stateful_layer_carries_the_state_across_calls(layer_class):
    x = np.random.default_rng(5).normal(size=(2, 6, 3)).astype("float32")
    whole = layer_class(4, bias_initializer="random_normal")
    whole.build(x.shape)
    stateful = layer_class(4, stateful=True)
    stateful.build(x[:, :3].shape)
    stateful.set_weights(whole.get_weights())
    stateful(x[:, :3])
    np.testing.assert_allclose(numpy_of(stateful(x[:, 3:])), numpy_of(whole(x)), atol=1e-5)


@pytest.mark.parametrize("layer_class", LAYERS, ids=lambda c: c.__name__)
def test_sequence_layer_config_round_trips_with_every_argument(layer_class):
    layer = layer_class(
        3, kernel_initializer="ones", go_backwards=True, return_sequences=True, name="x"
    )
    config = layer.get_config()
    assert "cell" not in config
    assert layer_class.from_config(config).get_config() == config


def test_long_min_gru_stays_finite_and_equals_its_sequential_form():
    # Large pre-activations make Γu saturate; the log-space scan must not overflow.
    x = 10 * np.random.default_rng(6).normal(size=(2, 64, 3)).astype("float32")
    layer, rnn = layer_and_cell_rnn(zoo.MinGRU, return_sequences=True)
    parallel = numpy_of(layer(x))
    assert np.isfinite(parallel).all()
    np.testing.assert_allclose(parallel, numpy_of(rnn(x)), rtol=1e-4, atol=1e-4)
