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

from zoo.fused_gradient import sum_over_time_and_batch
from zoo.recurrence import GatedCell, GatedSequence


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

    blocks = 2

    def recur(self, projected, c_prev, recurrent_kernel=None):
        units = self.units
        if recurrent_kernel is None:  # `run_with_fused_gradient` passes it as a tensor.
            recurrent_kernel = self.recurrent_kernel
        preactivation = projected + ops.matmul(c_prev, recurrent_kernel)
        update = ops.sigmoid(preactivation[:, :units])
        candidate = ops.tanh(preactivation[:, units:])
        state = update * candidate + (1.0 - update) * c_prev
        return {"update": update, "candidate": candidate, "state": state}

    # The hand-written backward (see `zoo.fused_gradient.run_with_fused_gradient`):
    #   ∂a_u = ∂c ⊙ (c̃ − c⟨t−1⟩) ⊙ Γu(1 − Γu),   ∂a_c = ∂c ⊙ Γu ⊙ (1 − c̃²),
    #   ∂c⟨t−1⟩ = ∂c ⊙ (1 − Γu) + [∂a_u | ∂a_c] Uᵀ,   ∂U = Σ c⟨t−1⟩ᵀ [∂a_u | ∂a_c].
    residuals = ("update", "candidate")
    has_fused_gradient = True

    def recur_backward(self, d_state, c_prev, quantities, recurrent_kernel):
        """(∂c⟨t−1⟩, ∂projected⟨t⟩) from ∂c⟨t⟩ and the step's saved gates."""
        update, candidate = quantities["update"], quantities["candidate"]
        d_preactivation = ops.concatenate(
            [
                d_state * (candidate - c_prev) * update * (1.0 - update),
                d_state * update * (1.0 - candidate * candidate),
            ],
            axis=-1,
        )
        d_c_prev = d_state * (1.0 - update) + ops.matmul(
            d_preactivation, ops.transpose(recurrent_kernel)
        )
        return d_c_prev, d_preactivation

    def recurrent_kernel_gradient(self, d_projected, c_prevs, quantities):
        """∂U = Σ_t c⟨t−1⟩ᵀ ∂projected⟨t⟩, one product over all steps."""
        return sum_over_time_and_batch(c_prevs, d_projected)


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
