"""A short layer-contract check, our own instead of Keras's private `keras.src` one.

`check_layer_contract(make_layer, directory)` puts a fresh layer in
Embedding(mask_zero=True) → layer → Dense and checks that its config round-trips,
one XLA-compiled training run lowers the loss, XLA-compiled predictions
equal eager ones, and a `.keras` save/load gives identical predictions.

Example:
>>> check_layer_contract(lambda: zoo.GRU(4), tmp_path)  # doctest: +SKIP
"""

import os

import keras
import numpy as np

VOCABULARY, TIME, BATCH = 7, 5, 4


def contract_batch(seed=0):
    """Token ids (BATCH, TIME) with right padding (0), and targets (BATCH, 1)."""
    rng = np.random.default_rng(seed)
    tokens = rng.integers(1, VOCABULARY, size=(BATCH, TIME))
    lengths = np.array([TIME, TIME - 1, 2, 1][:BATCH])
    tokens[np.arange(TIME) >= lengths[:, None]] = 0
    return tokens.astype("int32"), rng.normal(size=(BATCH, 1)).astype("float32")


def assert_config_round_trip(layer):
    """A layer rebuilt from its serialized config has the same config."""
    restored = keras.layers.deserialize(keras.layers.serialize(layer))
    if type(restored) is not type(layer) or restored.get_config() != layer.get_config():
        raise AssertionError(f"Config of {layer.name!r} does not round-trip.")


def check_layer_contract(make_layer, directory):
    """Runs the whole contract on `make_layer()`, a fresh sequence layer."""
    keras.utils.set_random_seed(0)
    layer = make_layer()
    assert_config_round_trip(layer)
    tokens, targets = contract_batch()
    model = keras.Sequential(
        [
            keras.Input((TIME,), dtype="int32"),
            keras.layers.Embedding(VOCABULARY, 3, mask_zero=True),
            layer,
            keras.layers.Dense(1),
        ]
    )
    model.compile(keras.optimizers.Adam(0.05), "mse", jit_compile=True)
    loss_before = model.evaluate(tokens, targets, verbose=0)
    model.fit(tokens, targets, epochs=5, batch_size=BATCH, verbose=0)
    loss_after = model.evaluate(tokens, targets, verbose=0)
    if not loss_after < loss_before:
        raise AssertionError(f"Training did not lower the loss: {loss_before} → {loss_after}.")
    compiled = model.predict(tokens, verbose=0)
    eager = keras.ops.convert_to_numpy(model(tokens))
    np.testing.assert_allclose(compiled, eager, atol=1e-5, err_msg="XLA differs from eager")
    path = os.path.join(directory, "contract.keras")
    model.save(path)
    reloaded = keras.saving.load_model(path)
    np.testing.assert_allclose(
        reloaded.predict(tokens, verbose=0), compiled, atol=1e-6, err_msg="save/load changed it"
    )
