"""Models whose inputs have an unknown length train under XLA and predict at any length."""

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
    for length in (7, 5):
        assert model.predict(ids[:, :length], verbose=0).shape == (8, 2)
