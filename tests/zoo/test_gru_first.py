import keras
import numpy as np

import zoo


def test_fast_gru_equals_rnn_of_gru_cell():
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
    for reset_after in (False, True):
        rnn = keras.layers.RNN(zoo.GRUCell(4, reset_after=reset_after), return_sequences=True)
        expected = keras.ops.convert_to_numpy(rnn(x))
        fast = zoo.GRU(4, reset_after=reset_after, return_sequences=True)
        fast.build(x.shape)
        fast.set_weights(rnn.get_weights())
        np.testing.assert_allclose(keras.ops.convert_to_numpy(fast(x)), expected, atol=1e-6)
