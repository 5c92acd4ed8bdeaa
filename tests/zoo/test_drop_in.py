"""zoo.GRU and zoo.SimplifiedGRU are drop-ins for keras.layers.GRU: every argument of
Keras's signature is taken with Keras's meaning or refused with its reason, and with
converted weights the outputs, losses, gradients and constrained updates are Keras's."""

import inspect
import re

import keras
import numpy as np
import pytest

import zoo
from zoo.testing import contract_batch

# A value other than the default for each argument of keras.layers.GRU(Cell) that the zoo
# takes: a new Keras argument fails the signature test until it is added here or refused.
SAMPLES = {
    "activation": "relu",
    "recurrent_activation": "hard_sigmoid",
    "use_bias": False,
    "kernel_initializer": "ones",
    "recurrent_initializer": "zeros",
    "bias_initializer": "ones",
    "kernel_regularizer": "l2",
    "recurrent_regularizer": "l1",
    "bias_regularizer": "l1",
    "activity_regularizer": "l2",
    "kernel_constraint": "max_norm",
    "recurrent_constraint": "unit_norm",
    "bias_constraint": "non_neg",
    "dropout": 0.2,
    "recurrent_dropout": 0.3,
    "seed": 7,
    "return_sequences": True,
    "return_state": True,
    "go_backwards": True,
    "stateful": True,
    "unroll": True,
    "reset_after": True,
}
DROP_INS = [
    (zoo.GRU, zoo.GRUCell, keras.layers.GRU),
    (zoo.SimplifiedGRU, zoo.SimplifiedGRUCell, keras.layers.GRU),
    (zoo.GRUCell, zoo.GRUCell, keras.layers.GRUCell),
    (zoo.SimplifiedGRUCell, zoo.SimplifiedGRUCell, keras.layers.GRUCell),
]


def keras_arguments(keras_class):
    """The arguments of `keras_class`'s signature, and `implementation`, which Keras
    reads from **kwargs."""
    names = inspect.signature(keras_class).parameters
    return sorted({*names, "implementation"} - {"units", "kwargs"})


@pytest.mark.parametrize(
    "zoo_class, cell_class, keras_class, argument",
    [
        (zoo_class, cell_class, keras_class, argument)
        for zoo_class, cell_class, keras_class in DROP_INS
        for argument in keras_arguments(keras_class)
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_every_argument_of_keras_gru_is_taken_with_its_meaning_or_refused_with_a_reason(
    zoo_class, cell_class, keras_class, argument
):
    refused = cell_class.refused_arguments
    if argument in refused:
        assert len(refused[argument]) > 20  # a reason, not a word
        expected = rf"argument `{argument}`, got .*: {re.escape(refused[argument])}\.$"
        with pytest.raises(ValueError, match=expected):
            zoo_class(3, **{argument: 1 if argument == "implementation" else True})
        return
    assert argument in SAMPLES, f"keras.layers.GRU takes {argument}: support or refuse it"
    layer = zoo_class(3, **{argument: SAMPLES[argument]})
    config = layer.get_config()
    assert (
        config[argument] == keras_class(3, **{argument: SAMPLES[argument]}).get_config()[argument]
    )
    assert zoo_class.from_config(config).get_config() == config


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_use_cudnn_auto_or_false_runs_the_zoo_loop(use_cudnn):
    assert zoo.GRU(3, use_cudnn=use_cudnn)(np.ones((2, 4, 3), "float32")).shape == (2, 3)


def numpy_of(tensor):
    return keras.ops.convert_to_numpy(tensor)


def one_sgd_step(layer, x, y):
    """The training loss (with the penalties) of one SGD step on the layer alone, and its
    weights after the step (constraints applied)."""
    model = keras.Sequential([keras.Input(x.shape[1:]), layer])
    model.compile(keras.optimizers.SGD(0.5), "mse", jit_compile=False)
    loss = model.train_on_batch(x, y)
    return loss, [numpy_of(w) for w in layer.weights]


def keras_gru_and_its_conversion(x, **arguments):
    keras_gru = keras.layers.GRU(
        4, return_sequences=True, bias_initializer="random_normal", **arguments
    )
    keras_gru.build(x.shape)
    return keras_gru, zoo.from_keras_gru(keras_gru)


@pytest.mark.parametrize(
    "arguments",
    [
        # Trained by autodiff of the loop (other activations), without biases.
        dict(activation="relu", recurrent_activation="hard_sigmoid", use_bias=False),
        dict(
            activation="relu", recurrent_activation="hard_sigmoid", use_bias=False, reset_after=True
        ),
        # Trained by the hand-written backward.
        dict(
            kernel_regularizer="l2",
            recurrent_regularizer="l1",
            bias_regularizer=keras.regularizers.L1L2(0.01, 0.02),
            activity_regularizer="l2",
            kernel_constraint=keras.constraints.MaxNorm(0.5),
            recurrent_constraint="unit_norm",
            bias_constraint=keras.constraints.MaxNorm(0.3),
        ),
    ],
    ids=["activations_no_bias", "activations_no_bias_reset_after", "penalties_constraints"],
)
def test_with_converted_weights_outputs_losses_and_a_training_step_are_keras_gru_s(arguments):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    y = rng.normal(size=(2, 5, 4)).astype("float32")
    keras_gru, zoo_gru = keras_gru_and_its_conversion(x, **{"reset_after": False, **arguments})
    np.testing.assert_allclose(numpy_of(zoo_gru(x)), numpy_of(keras_gru(x)), atol=1e-5)
    np.testing.assert_allclose(
        [numpy_of(loss) for loss in zoo_gru.losses],
        [numpy_of(loss) for loss in keras_gru.losses],
        rtol=1e-5,
    )
    keras_loss, _ = one_sgd_step(keras_gru, x, y)
    zoo_loss, zoo_weights = one_sgd_step(zoo_gru, x, y)
    np.testing.assert_allclose(zoo_loss, keras_loss, rtol=1e-5)
    for actual, expected in zip(
        zoo_weights, zoo.from_keras_gru(keras_gru).get_weights(), strict=True
    ):
        np.testing.assert_allclose(actual, expected, atol=1e-5)


def fixed_masks(batch, features, units, rate=0.5, seed=1):
    """An input and a recurrent dropout mask, 0 or 1 / (1 − rate) each."""
    rng = np.random.default_rng(seed)
    keep = 1.0 / (1.0 - rate)
    return tuple(
        (rng.random((batch, width)) > rate).astype("float32") * keep for width in (features, units)
    )


def test_with_keras_s_masks_dropout_trains_as_keras_gru():
    """Keras 3 draws one mask per gate block when recurrent_dropout > 0; given the zoo's
    one mask for every block, it computes what the zoo does, and its autodiff checks the
    zoo's hand-written backward with dropout."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    y = rng.normal(size=(2, 5, 4)).astype("float32")
    keras_gru, zoo_gru = keras_gru_and_its_conversion(
        x, reset_after=False, use_bias=False, dropout=0.5, recurrent_dropout=0.5
    )
    input_mask, recurrent_mask = fixed_masks(2, 3, 4)
    keras_gru.cell.get_dropout_mask = lambda step_input: [input_mask] * 3
    keras_gru.cell.get_recurrent_dropout_mask = lambda state: [recurrent_mask] * 3
    zoo_gru.cell.dropout_masks = lambda sequences, c0: (input_mask, recurrent_mask)
    assert zoo_gru.cell.has_fused_gradient
    np.testing.assert_allclose(
        numpy_of(zoo_gru(x, training=True)), numpy_of(keras_gru(x, training=True)), atol=1e-5
    )
    keras_loss, _ = one_sgd_step(keras_gru, x, y)
    zoo_loss, zoo_weights = one_sgd_step(zoo_gru, x, y)
    np.testing.assert_allclose(zoo_loss, keras_loss, rtol=1e-5)
    for actual, expected in zip(
        zoo_weights, zoo.from_keras_gru(keras_gru).get_weights(), strict=True
    ):
        np.testing.assert_allclose(actual, expected, atol=1e-5)


def test_with_dropout_the_simplified_gru_s_hand_written_backward_equals_autodiff_of_its_loop(
    monkeypatch,
):
    """(The GRU's is checked against Keras's autodiff, above.)"""
    layer_class = zoo.SimplifiedGRU
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    y = rng.normal(size=(2, 5, 4)).astype("float32")
    masks = fixed_masks(2, 3, 4)
    options = dict(dropout=0.5, recurrent_dropout=0.5, return_sequences=True)
    fused = layer_class(4, bias_initializer="random_normal", **options)
    fused.build(x.shape)
    plain = layer_class.from_config(fused.get_config())
    plain.build(x.shape)
    plain.set_weights(fused.get_weights())
    for layer in (fused, plain):
        layer.cell.dropout_masks = lambda sequences, c0: masks
    assert fused.cell.has_fused_gradient
    _, expected = one_sgd_step(fused, x, y)
    monkeypatch.setattr(type(plain.cell), "has_fused_gradient", False)
    _, actual = one_sgd_step(plain, x, y)
    for fused_weight, plain_weight in zip(expected, actual, strict=True):
        np.testing.assert_allclose(fused_weight, plain_weight, atol=1e-5)


@pytest.mark.parametrize("layer_class", [zoo.GRU, zoo.SimplifiedGRU], ids=lambda c: c.__name__)
def test_dropout_draws_one_mask_per_sequence_in_training_only(layer_class):
    x = np.random.default_rng(4).normal(size=(2, 5, 3)).astype("float32")
    layer = layer_class(4, dropout=0.5, recurrent_dropout=0.25, seed=3, return_sequences=True)
    inferred = numpy_of(layer(x))
    without_dropout = layer_class(4, return_sequences=True)
    without_dropout.build(x.shape)
    without_dropout.set_weights(layer.get_weights())
    np.testing.assert_array_equal(numpy_of(layer(x, training=False)), inferred)
    np.testing.assert_allclose(inferred, numpy_of(without_dropout(x)), atol=1e-6)
    assert not np.allclose(numpy_of(layer(x, training=True)), numpy_of(layer(x, training=True)))
    # One mask per sequence: no time axis. Entries 0 or 1 / (1 − rate), kept at 1 − rate.
    sequences, c0 = np.ones((400, 5, 50), "float32"), np.zeros((400, 50), "float32")
    input_mask, recurrent_mask = map(numpy_of, layer.cell.dropout_masks(sequences, c0))
    for mask, rate in ((input_mask, 0.5), (recurrent_mask, 0.25)):
        assert mask.shape == (400, 50)
        np.testing.assert_allclose(np.unique(mask), [0.0, 1.0 / (1.0 - rate)], rtol=1e-6)
        assert abs(np.mean(mask > 0) - (1.0 - rate)) < 0.02


def a_keras_users_script(gru_class, path):
    """A model as a Keras user builds it with keras.layers.GRU, trained and saved:
    `gru_class` stands in for keras.layers.GRU."""
    tokens, targets = contract_batch()
    model = keras.Sequential(
        [
            keras.Input((tokens.shape[1],), dtype="int32"),
            keras.layers.Embedding(7, 3, mask_zero=True),
            gru_class(
                4,
                dropout=0.2,
                recurrent_dropout=0.2,
                kernel_regularizer="l2",
                recurrent_constraint="max_norm",
            ),
            keras.layers.Dense(1),
        ]
    )
    model.compile("adam", "mse", jit_compile=False)  # tiny: XLA would cost more than it saves
    model.fit(tokens, targets, epochs=1, batch_size=2, verbose=0)
    model.save(path)
    return model, tokens


def test_a_keras_script_runs_unchanged_with_zoo_gru_and_converted_weights_predict_the_same(
    tmp_path,
):
    zoo_model, tokens = a_keras_users_script(zoo.GRU, tmp_path / "zoo.keras")
    assert isinstance(zoo_model.layers[1], zoo.GRU) and len(zoo_model.losses) == 1
    reloaded = keras.saving.load_model(tmp_path / "zoo.keras")
    np.testing.assert_allclose(numpy_of(reloaded(tokens)), numpy_of(zoo_model(tokens)), atol=1e-6)
    keras_model, tokens = a_keras_users_script(keras.layers.GRU, tmp_path / "keras.keras")
    embedding, keras_gru, dense = keras_model.layers
    converted = keras.Sequential(
        [
            keras.Input(tokens.shape[1:], dtype="int32"),
            embedding,
            zoo.from_keras_gru(keras_gru),
            dense,
        ]
    )
    np.testing.assert_allclose(
        numpy_of(converted(tokens)), numpy_of(keras_model(tokens)), atol=1e-5
    )
    np.testing.assert_allclose(
        numpy_of(converted.losses[0]), numpy_of(keras_model.losses[0]), rtol=1e-6
    )
