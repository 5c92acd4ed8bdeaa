"""zoo.MinGRU in float16: padded steps stay finite (log(0) must be representable)."""

import numpy as np

import zoo


def test_min_gru_in_float16_keeps_padded_steps_finite_and_equal_to_the_last_real_state():
    layer = zoo.MinGRU(4, return_sequences=True, dtype="float16")
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float16")
    mask = np.array([[True] * 5, [True, True, False, False, False]])
    outputs = np.asarray(layer(x, mask=mask), dtype="float32")
    assert np.isfinite(outputs).all()
    full = np.asarray(layer(x[1:, :2]), dtype="float32")
    assert np.allclose(outputs[1, :2], full[0], atol=1e-2)
