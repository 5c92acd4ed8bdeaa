"""The simplified GRU of the course: a GRU without a reset gate.

    Γu = σ(W_u x⟨t⟩ + U_u c⟨t−1⟩ + b_u)                  update gate
    c̃⟨t⟩ = tanh(W_c x⟨t⟩ + U_c c⟨t−1⟩ + b_c)             candidate
    c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩,   a⟨t⟩ = c⟨t⟩

It is the full GRU with Γr ≡ 1, the "reset gate removed" ablation. Both
recurrent products depend on c⟨t−1⟩ only, so they are one fused matrix
product per step, one fewer than the GRU's. σ and tanh are
`recurrent_activation` and `activation`; the layers take `keras.layers.GRU`'s
other arguments too (`zoo.drop_in`), but `reset_after`.

Reference: Cho et al., "Learning Phrase Representations using RNN
Encoder-Decoder for Statistical Machine Translation", EMNLP 2014 (the GRU);
the simplification is the one taught in the course.
"""

import keras
from keras import ops

from zoo.drop_in import NO_RESET_GATE, REFUSED_ARGUMENTS, DropInCell, split_arguments
from zoo.fused_gradient import sum_over_time_and_batch
from zoo.recurrence import GatedSequence
from zoo.registry import register


@keras.saving.register_keras_serializable(package="zoo")
class SimplifiedGRUCell(DropInCell):
    """One step of the simplified GRU (equations in `zoo.simplified_gru`).

    Weights, column blocks in the order [update | candidate]: `kernel`
    (input_dim, 2·units) holds W, `recurrent_kernel` (units, 2·units) holds U,
    `bias` (2·units,) holds b (none without `use_bias`).

    Args:
        units: Positive integer, dimension of the memory cell c⟨t⟩.
        activation, recurrent_activation, use_bias, kernel_initializer,
        recurrent_initializer, bias_initializer, kernel_regularizer,
        recurrent_regularizer, bias_regularizer, kernel_constraint,
        recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed:
            As in `keras.layers.GRUCell`, see `zoo.drop_in.DropInCell`. The
            hand-written backward serves tanh and sigmoid; with other activations
            training runs autodiff of the loop. `reset_after` is refused.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

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
    refused_arguments = {**REFUSED_ARGUMENTS, **NO_RESET_GATE}

    def recur(self, projected, c_prev, recurrent_kernel=None, recurrent_mask=None):
        units = self.units
        if recurrent_kernel is None:  # `run_with_fused_gradient` passes it as a tensor.
            recurrent_kernel = self.recurrent_kernel
        # Recurrent dropout drops units of c⟨t−1⟩ where U reads them, not in the update.
        c_seen = c_prev if recurrent_mask is None else c_prev * recurrent_mask
        preactivation = projected + ops.matmul(c_seen, recurrent_kernel)
        update = self.recurrent_activation(preactivation[:, :units])
        candidate = self.activation(preactivation[:, units:])
        state = update * candidate + (1.0 - update) * c_prev
        return {"update": update, "candidate": candidate, "state": state}

    # The hand-written backward (see `zoo.fused_gradient.run_with_fused_gradient`), for
    # σ and tanh; m is the recurrent dropout mask (or 1), c_seen = c⟨t−1⟩ ⊙ m:
    #   ∂a_u = ∂c ⊙ (c̃ − c⟨t−1⟩) ⊙ Γu(1 − Γu),   ∂a_c = ∂c ⊙ Γu ⊙ (1 − c̃²),
    #   ∂c⟨t−1⟩ = ∂c ⊙ (1 − Γu) + m ⊙ [∂a_u | ∂a_c] Uᵀ,   ∂U = Σ c_seenᵀ [∂a_u | ∂a_c].
    residuals = ("update", "candidate")

    @property
    def has_fused_gradient(self):
        return self.has_default_activations

    def recur_backward(self, d_state, c_prev, quantities, recurrent_kernel, recurrent_mask=None):
        """(∂c⟨t−1⟩, ∂projected⟨t⟩) from ∂c⟨t⟩ and the step's saved gates."""
        update, candidate = quantities["update"], quantities["candidate"]
        d_preactivation = ops.concatenate(
            [
                d_state * (candidate - c_prev) * update * (1.0 - update),
                d_state * update * (1.0 - candidate * candidate),
            ],
            axis=-1,
        )
        d_c_seen = ops.matmul(d_preactivation, ops.transpose(recurrent_kernel))
        if recurrent_mask is not None:
            d_c_seen = d_c_seen * recurrent_mask
        return d_state * (1.0 - update) + d_c_seen, d_preactivation

    def recurrent_kernel_gradient(self, d_projected, c_prevs, quantities, recurrent_mask=None):
        """∂U = Σ_t c_seen⟨t⟩ᵀ ∂projected⟨t⟩, one product over all steps."""
        c_seens = c_prevs if recurrent_mask is None else c_prevs * recurrent_mask
        return sum_over_time_and_batch(c_seens, d_projected)


# The GRU without its reset gate (Γr ≡ 1) is the simplified GRU: one entry, two names.
@register("simplified_gru", aliases=("gru_no_reset_gate",))
@keras.saving.register_keras_serializable(package="zoo")
class SimplifiedGRU(GatedSequence):
    """The simplified GRU over a whole sequence, with the input projection hoisted.

    Same weights and results as `keras.layers.RNN(zoo.SimplifiedGRUCell(...))`.
    Arguments and call arguments as in `zoo.GRU` (`keras.layers.GRU`'s, with
    Keras's meaning), but `reset_after`, which is refused: there is no reset gate.
    The hand-written backward serves tanh and sigmoid, with or without bias and
    dropout; with other activations training runs autodiff of the loop.

    Example:
    >>> layer = SimplifiedGRU(4, return_sequences=True, recurrent_dropout=0.1)
    >>> tuple(layer(np.ones((2, 5, 3), "float32")).shape)
    (2, 5, 4)
    """

    def __init__(self, units, **kwargs):
        cell_arguments, kwargs = split_arguments(kwargs, SimplifiedGRUCell.refused_arguments)
        cell = SimplifiedGRUCell(
            units, **cell_arguments, dtype=kwargs.get("dtype"), name="simplified_gru_cell"
        )
        super().__init__(cell, **kwargs)
