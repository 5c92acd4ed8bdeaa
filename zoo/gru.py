"""The gated recurrent unit (GRU) of Cho et al. (2014), in the course's notation.

    Γu = σ(W_u x⟨t⟩ + U_u c⟨t−1⟩ + b_u)                  update gate
    Γr = σ(W_r x⟨t⟩ + U_r c⟨t−1⟩ + b_r)                  reset gate
    c̃⟨t⟩ = tanh(W_c x⟨t⟩ + U_c (Γr ⊙ c⟨t−1⟩) + b_c)      candidate
    c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩,   a⟨t⟩ = c⟨t⟩

Γu = 1 takes the candidate; Γu ≈ 0 keeps the memory. With `reset_after=True`
the reset gate is applied after the recurrent product, as cuDNN, PyTorch and
Keras's default GRU do: c̃⟨t⟩ = tanh(W_c x⟨t⟩ + b_c + Γr ⊙ (U_c c⟨t−1⟩ + b_hc)).

Reference: Cho et al., "Learning Phrase Representations using RNN
Encoder-Decoder for Statistical Machine Translation", EMNLP 2014.
"""

import keras
from keras import ops

from zoo.fused_gradient import sum_over_time_and_batch
from zoo.recurrence import GatedCell, GatedSequence


@keras.saving.register_keras_serializable(package="zoo")
class GRUCell(GatedCell):
    """One step of the GRU: c⟨t⟩ from x⟨t⟩ and c⟨t−1⟩ (equations in `zoo.gru`).

    Weights, column blocks in the order [update | reset | candidate]:
    `kernel` (input_dim, 3·units) holds W, `recurrent_kernel` (units, 3·units)
    holds U, `bias` (3·units,) holds b, or (2, 3·units) when `reset_after=True`
    (row 0 the input bias b, row 1 the recurrent bias b_h).

    Args:
        units: Positive integer, dimension of the memory cell c⟨t⟩.
        reset_after: Whether Γr multiplies U_c c⟨t−1⟩ + b_hc (cuDNN/PyTorch
            formula, `True`) or c⟨t−1⟩ before the product (the course's
            formula, Cho et al. 2014, `False`). Defaults to `False`.
        kernel_initializer, recurrent_initializer, bias_initializer: See
            `zoo.recurrence.GatedCell`.

    Call arguments:
        inputs: x⟨t⟩, shape (batch, input_dim).
        states: [c⟨t−1⟩], shape (batch, units).

    Returns:
        `(c⟨t⟩, [c⟨t⟩])`.

    Example:
    >>> layer = keras.layers.RNN(GRUCell(4))
    >>> tuple(layer(np.ones((2, 5, 3), "float32")).shape)
    (2, 4)
    """

    def __init__(self, units, reset_after=False, **kwargs):
        super().__init__(units, **kwargs)
        self.reset_after = reset_after

    blocks = 3

    def bias_shape(self, width):
        # reset_after keeps the recurrent bias b_h apart: (input row, recurrent row).
        return (2, width) if self.reset_after else (width,)

    def input_bias(self):
        return self.bias[0] if self.reset_after else self.bias

    def recur(self, projected, c_prev, recurrent_kernel=None):
        units = self.units
        if recurrent_kernel is None:  # `run_with_fused_gradient` passes it as a tensor.
            recurrent_kernel = self.recurrent_kernel
        if self.reset_after:
            # One product for all three blocks; Γr then scales U_c c⟨t−1⟩ + b_hc.
            recurrent = ops.matmul(c_prev, recurrent_kernel) + self.bias[1]
            gates = ops.sigmoid(projected[:, : 2 * units] + recurrent[:, : 2 * units])
            update, reset = gates[:, :units], gates[:, units:]
            candidate = ops.tanh(projected[:, 2 * units :] + reset * recurrent[:, 2 * units :])
        else:
            # [update | reset] in one product; the candidate's needs Γr first.
            gates = ops.sigmoid(
                projected[:, : 2 * units] + ops.matmul(c_prev, recurrent_kernel[:, : 2 * units])
            )
            update, reset = gates[:, :units], gates[:, units:]
            candidate = ops.tanh(
                projected[:, 2 * units :]
                + ops.matmul(reset * c_prev, recurrent_kernel[:, 2 * units :])
            )
        state = update * candidate + (1.0 - update) * c_prev
        return {"update": update, "reset": reset, "candidate": candidate, "state": state}

    # The hand-written backward (see `zoo.fused_gradient.run_with_fused_gradient`),
    # for reset_after=False. With a_u, a_r, a_c the pre-activations:
    #   ∂a_u = ∂c ⊙ (c̃ − c⟨t−1⟩) ⊙ Γu(1 − Γu),   ∂a_c = ∂c ⊙ Γu ⊙ (1 − c̃²),
    #   ∂(Γr ⊙ c⟨t−1⟩) = ∂a_c U_cᵀ,   ∂a_r = ∂(Γr ⊙ c⟨t−1⟩) ⊙ c⟨t−1⟩ ⊙ Γr(1 − Γr),
    #   ∂c⟨t−1⟩ = ∂c ⊙ (1 − Γu) + ∂(Γr ⊙ c⟨t−1⟩) ⊙ Γr + [∂a_u | ∂a_r] U_urᵀ.
    residuals = ("update", "reset", "candidate")

    @property
    def has_fused_gradient(self):
        return not self.reset_after

    def recur_backward(self, d_state, c_prev, quantities, recurrent_kernel):
        """(∂c⟨t−1⟩, ∂projected⟨t⟩) from ∂c⟨t⟩ and the step's saved gates."""
        units = self.units
        update, reset, candidate = (quantities[k] for k in self.residuals)
        d_update = d_state * (candidate - c_prev) * update * (1.0 - update)
        d_candidate = d_state * update * (1.0 - candidate * candidate)
        d_reset_times_c = ops.matmul(d_candidate, ops.transpose(recurrent_kernel[:, 2 * units :]))
        d_reset = d_reset_times_c * c_prev * reset * (1.0 - reset)
        d_gates = ops.concatenate([d_update, d_reset], axis=-1)
        d_c_prev = (
            d_state * (1.0 - update)
            + d_reset_times_c * reset
            + ops.matmul(d_gates, ops.transpose(recurrent_kernel[:, : 2 * units]))
        )
        return d_c_prev, ops.concatenate([d_gates, d_candidate], axis=-1)

    def recurrent_kernel_gradient(self, d_projected, c_prevs, quantities):
        """∂U = [Σ c⟨t−1⟩ᵀ ∂a_ur | Σ (Γr ⊙ c⟨t−1⟩)ᵀ ∂a_c]: two products over all steps."""
        units = self.units
        return ops.concatenate(
            [
                sum_over_time_and_batch(c_prevs, d_projected[..., : 2 * units]),
                sum_over_time_and_batch(
                    quantities["reset"] * c_prevs, d_projected[..., 2 * units :]
                ),
            ],
            axis=-1,
        )

    def get_config(self):
        return {**super().get_config(), "reset_after": self.reset_after}


@keras.saving.register_keras_serializable(package="zoo")
class GRU(GatedSequence):
    """The GRU over a whole sequence, with the input projection hoisted.

    Same weights and results as `keras.layers.RNN(zoo.GRUCell(...))`, but
    x @ kernel + bias is one matrix product for all timesteps before the
    recurrence. Supports masking, `initial_state`, `go_backwards`,
    `stateful` and XLA compilation.

    Args:
        units: Positive integer, dimension of the memory cell c⟨t⟩.
        reset_after: See `GRUCell`. Defaults to `False`.
        return_sequences: Whether to return c⟨t⟩ for every step (batch, time,
            units) or only the last (batch, units). Defaults to `False`.
        return_state: Whether to also return the last state. Defaults to `False`.
        go_backwards: Whether to read the sequence backwards (the returned
            sequence is then in reverse order, as in Keras). Defaults to `False`.
        stateful, zero_output_for_mask: As in `keras.layers.RNN`. `unroll` is
            ignored: the loop is unrolled whenever the length is static.
        kernel_initializer, recurrent_initializer, bias_initializer: See
            `zoo.recurrence.GatedCell`.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        sequences: Shape (batch, time, features).
        initial_state: Optional c⟨0⟩, shape (batch, units). Defaults to zeros.
        mask: Optional boolean (batch, time); padded steps keep the state.

    Example:
    >>> layer = GRU(4, return_sequences=True)
    >>> tuple(layer(np.ones((2, 5, 3), "float32")).shape)
    (2, 5, 4)
    """

    def __init__(
        self,
        units,
        reset_after=False,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        **kwargs,
    ):
        cell = GRUCell(
            units,
            reset_after=reset_after,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            dtype=kwargs.get("dtype"),
            name="gru_cell",
        )
        super().__init__(cell, **kwargs)

    @property
    def reset_after(self):
        return self.cell.reset_after
