"""The simplified GRU of the course: a GRU without a reset gate.

    Γu = σ(W_u x⟨t⟩ + U_u c⟨t−1⟩ + b_u)                  update gate
    c̃⟨t⟩ = tanh(W_c x⟨t⟩ + U_c c⟨t−1⟩ + b_c)             candidate
    c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩,   a⟨t⟩ = c⟨t⟩

It is the full GRU with Γr ≡ 1, the "reset gate removed" ablation. Both
recurrent products depend on c⟨t−1⟩ only, so they are one fused matrix
product per step, one fewer than the GRU's.

Reference: Cho et al., "Learning Phrase Representations using RNN
Encoder-Decoder for Statistical Machine Translation", EMNLP 2014 (the GRU);
the simplification is the one taught in the course.
"""

import keras
from keras import ops

from zoo.recurrence import GatedCell, GatedSequence, check_rank


@keras.saving.register_keras_serializable(package="zoo")
class SimplifiedGRUCell(GatedCell):
    """One step of the simplified GRU (equations in `zoo.simplified_gru`).

    Weights, column blocks in the order [update | candidate]: `kernel`
    (input_dim, 2·units) holds W, `recurrent_kernel` (units, 2·units) holds U,
    `bias` (2·units,) holds b.

    Args:
        units: Positive integer, dimension of the memory cell c⟨t⟩.
        kernel_initializer, recurrent_initializer, bias_initializer: See
            `zoo.recurrence.GatedCell`.

    Call arguments:
        inputs: x⟨t⟩, shape (batch, input_dim).
        states: [c⟨t−1⟩], shape (batch, units).

    Returns:
        `(c⟨t⟩, [c⟨t⟩])`.

    Example:
    >>> layer = keras.layers.RNN(SimplifiedGRUCell(4))
    >>> tuple(layer(np.ones((2, 5, 3), "float32")).shape)
    (2, 4)
    """

    def build(self, input_shape):
        check_rank("inputs", input_shape, 2, "(batch, features)")
        units = self.units
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], 2 * units), initializer=self.kernel_initializer
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel",
            shape=(units, 2 * units),
            initializer=self.recurrent_initializer,
        )
        self.bias = self.add_weight(
            name="bias", shape=(2 * units,), initializer=self.bias_initializer
        )

    def project_inputs(self, inputs):
        return ops.matmul(inputs, self.kernel) + self.bias

    def recur(self, projected, c_prev):
        units = self.units
        preactivation = projected + ops.matmul(c_prev, self.recurrent_kernel)
        update = ops.sigmoid(preactivation[:, :units])
        candidate = ops.tanh(preactivation[:, units:])
        state = update * candidate + (1.0 - update) * c_prev
        return {"update": update, "candidate": candidate, "state": state}


@keras.saving.register_keras_serializable(package="zoo")
class SimplifiedGRU(GatedSequence):
    """The simplified GRU over a whole sequence, with the input projection hoisted.

    Same weights and results as `keras.layers.RNN(zoo.SimplifiedGRUCell(...))`.
    Arguments and call arguments as in `zoo.GRU`, without `reset_after`.

    Example:
    >>> layer = SimplifiedGRU(4, return_sequences=True)
    >>> tuple(layer(np.ones((2, 5, 3), "float32")).shape)
    (2, 5, 4)
    """

    def __init__(
        self,
        units,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        **kwargs,
    ):
        cell = SimplifiedGRUCell(
            units,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            dtype=kwargs.get("dtype"),
            name="simplified_gru_cell",
        )
        super().__init__(cell, **kwargs)
