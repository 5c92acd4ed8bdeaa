"""GRU ablations from the course's quiz on simplifying the GRU.

Removing the reset gate (Γr ≡ 1) gives the simplified GRU: see
`zoo.SimplifiedGRU`, whose registry entry has the alias `gru_no_reset_gate`. Removing the
update gate (Γu ≡ 1) makes every step take the candidate, so the memory is
rewritten each step, as in a vanilla RNN with a reset gate:

    Γr = σ(W_r x⟨t⟩ + U_r c⟨t−1⟩ + b_r)                  reset gate
    c̃⟨t⟩ = tanh(W_c x⟨t⟩ + U_c (Γr ⊙ c⟨t−1⟩) + b_c)      candidate
    c⟨t⟩ = c̃⟨t⟩,   a⟨t⟩ = c⟨t⟩

Reference: Cho et al., "Learning Phrase Representations using RNN
Encoder-Decoder for Statistical Machine Translation", EMNLP 2014 (the GRU).
"""

import keras
from keras import ops

from zoo.recurrence import GatedCell, GatedSequence
from zoo.registry import register


@keras.saving.register_keras_serializable(package="zoo")
class NoUpdateGateGRUCell(GatedCell):
    """One step of the GRU with its update gate removed (Γu ≡ 1).

    Weights, column blocks in the order [reset | candidate]: `kernel`
    (input_dim, 2·units), `recurrent_kernel` (units, 2·units), `bias` (2·units,).
    The trace reports `update` as ones, so dashboards read it like a GRU.

    Args:
        units: Positive integer, dimension of the memory cell c⟨t⟩.
        kernel_initializer, recurrent_initializer, bias_initializer: See
            `zoo.recurrence.GatedCell`.

    Example:
    >>> layer = keras.layers.RNN(NoUpdateGateGRUCell(4))
    >>> tuple(layer(np.ones((2, 5, 3), "float32")).shape)
    (2, 4)
    """

    blocks = 2

    def recur(self, projected, c_prev):
        units = self.units
        reset = ops.sigmoid(
            projected[:, :units] + ops.matmul(c_prev, self.recurrent_kernel[:, :units])
        )
        candidate = ops.tanh(
            projected[:, units:] + ops.matmul(reset * c_prev, self.recurrent_kernel[:, units:])
        )
        update = ops.ones_like(candidate)
        return {"update": update, "reset": reset, "candidate": candidate, "state": candidate}


@register("gru_no_update_gate")
@keras.saving.register_keras_serializable(package="zoo")
class NoUpdateGateGRU(GatedSequence):
    """The GRU without update gate over a whole sequence (input projection hoisted).

    Arguments and call arguments as in `zoo.GRU`, without `reset_after`.

    Example:
    >>> tuple(NoUpdateGateGRU(4)(np.ones((2, 5, 3), "float32")).shape)
    (2, 4)
    """

    def __init__(
        self,
        units,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        **kwargs,
    ):
        cell = NoUpdateGateGRUCell(
            units,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            dtype=kwargs.get("dtype"),
            name="no_update_gate_gru_cell",
        )
        super().__init__(cell, **kwargs)
