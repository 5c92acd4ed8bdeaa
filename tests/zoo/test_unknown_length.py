"""Models whose inputs have an unknown length train under XLA and predict at any length, with
the logits of the same model run eagerly."""

import keras
import numpy as np
import pytest

import zoo


@pytest.mark.parametrize(
    "name", ["gru", "simplified_gru", "gru_reset_after", "gru_no_update_gate", "min_gru"]
)
def test_a_model_of_unknown_length_trains_with_xla_and_predicts_padded_batches_of_any_length(name):
    tokens = keras.Input((None,), dtype="int32")
    hidden = keras.layers.Embedding(20, 4, mask_zero=True)(tokens)
    model = keras.Model(tokens, keras.layers.Dense(2)(zoo.build(name, units=5)(hidden)))
    model.compile(
        "adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), jit_compile=True
    )
    ids = np.random.default_rng(0).integers(1, 20, (8, 7)).astype("int32")
    ids[:3, 5:] = 0  # padded rows
    model.fit(ids, np.zeros(8, "int32"), batch_size=4, verbose=0)
    compiled = {}
    for length in (7, 5):
        compiled[length] = model.predict(ids[:, :length], verbose=0)
        assert compiled[length].shape == (8, 2)
        # The same weights called eagerly (no XLA) give the same logits.
        eager = keras.ops.convert_to_numpy(model(ids[:, :length], training=False))
        np.testing.assert_allclose(compiled[length], eager, atol=1e-5, err_msg=str(length))
    # Rows padded from step 5 on have the same logits whether the batch stops at 5 or 7.
    np.testing.assert_allclose(compiled[7][:3], compiled[5][:3], atol=1e-5)
