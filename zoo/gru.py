"""The gated recurrent unit (GRU) of Cho et al. (2014), in the course's notation.

    Γu = σ(W_u x⟨t⟩ + U_u c⟨t−1⟩ + b_u)                  update gate
    Γr = σ(W_r x⟨t⟩ + U_r c⟨t−1⟩ + b_r)                  reset gate
    c̃⟨t⟩ = tanh(W_c x⟨t⟩ + U_c (Γr ⊙ c⟨t−1⟩) + b_c)      candidate
    c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩,   a⟨t⟩ = c⟨t⟩

Γu = 1 takes the candidate; Γu ≈ 0 keeps the memory. With `reset_after=True`
the reset gate is applied after the recurrent product, as cuDNN, PyTorch and
Keras's default GRU do: c̃⟨t⟩ = tanh(W_c x⟨t⟩ + b_c + Γr ⊙ (U_c c⟨t−1⟩ + b_hc)).
σ and tanh are `recurrent_activation` and `activation`, and the layers take
`keras.layers.GRU`'s other arguments too (`zoo.drop_in`). Keras writes
h⟨t⟩ = z ⊙ h⟨t−1⟩ + (1 − z) ⊙ h̃⟨t⟩, so z = 1 − Γu (`zoo.from_keras_gru` converts).

Reference: Cho et al., "Learning Phrase Representations using RNN
Encoder-Decoder for Statistical Machine Translation", EMNLP 2014.
"""

import functools

import keras
from keras import ops

from zoo.drop_in import DropInCell, split_arguments
from zoo.fused_gradient import sum_over_time_and_batch
from zoo.recurrence import GatedSequence
from zoo.registry import register


@keras.saving.register_keras_serializable(package="zoo")
class GRUCell(DropInCell):
    """One step of the GRU: c⟨t⟩ from x⟨t⟩ and c⟨t−1⟩ (equations in `zoo.gru`).

    Weights, column blocks in the order [update | reset | candidate]:
    `kernel` (input_dim, 3·units) holds W, `recurrent_kernel` (units, 3·units)
    holds U, `bias` (3·units,) holds b, or (2, 3·units) when `reset_after=True`
    (row 0 the input bias b, row 1 the recurrent bias b_h); no `bias` without
    `use_bias`.

    Args:
        units: Positive integer, dimension of the memory cell c⟨t⟩.
        reset_after: Whether Γr multiplies U_c c⟨t−1⟩ + b_hc (cuDNN/PyTorch
            formula, `True`) or c⟨t−1⟩ before the product (the course's
            formula, Cho et al. 2014, `False`). Defaults to `False`, where
            `keras.layers.GRUCell` defaults to `True`.
        activation, recurrent_activation, use_bias, kernel_initializer,
        recurrent_initializer, bias_initializer, kernel_regularizer,
        recurrent_regularizer, bias_regularizer, kernel_constraint,
        recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed:
            As in `keras.layers.GRUCell`, see `zoo.drop_in.DropInCell`. The
            hand-written backward serves tanh and sigmoid with
            `reset_after=False`; otherwise training runs autodiff of the loop.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: x⟨t⟩, shape (batch, input_dim).
        states: [c⟨t−1⟩], shape (batch, units).

    Returns:
        `(c⟨t⟩, [c⟨t⟩])`.

    Example:
    >>> layer = keras.layers.RNN(GRUCell(4, activation="relu", use_bias=False))
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
        return self.bias[0] if self.reset_after and self.use_bias else self.bias

    def recur(self, projected, c_prev, recurrent_kernel=None, recurrent_mask=None):
        units = self.units
        if recurrent_kernel is None:  # `run_with_fused_gradient` passes it as a tensor.
            recurrent_kernel = self.recurrent_kernel
        # Recurrent dropout drops units of c⟨t−1⟩ where U reads them, not in the update.
        c_seen = c_prev if recurrent_mask is None else c_prev * recurrent_mask
        gate, squash = self.recurrent_activation, self.activation
        if self.reset_after:
            # One product for all three blocks; Γr then scales U_c c⟨t−1⟩ + b_hc.
            recurrent = ops.matmul(c_seen, recurrent_kernel)
            if self.use_bias:
                recurrent = recurrent + self.bias[1]
            gates = gate(projected[:, : 2 * units] + recurrent[:, : 2 * units])
            update, reset = gates[:, :units], gates[:, units:]
            candidate = squash(projected[:, 2 * units :] + reset * recurrent[:, 2 * units :])
        else:
            # [update | reset] in one product; the candidate's needs Γr first.
            gates = gate(
                projected[:, : 2 * units] + ops.matmul(c_seen, recurrent_kernel[:, : 2 * units])
            )
            update, reset = gates[:, :units], gates[:, units:]
            candidate = squash(
                projected[:, 2 * units :]
                + ops.matmul(reset * c_seen, recurrent_kernel[:, 2 * units :])
            )
        state = update * candidate + (1.0 - update) * c_prev
        return {"update": update, "reset": reset, "candidate": candidate, "state": state}

    # The hand-written backward (see `zoo.fused_gradient.run_with_fused_gradient`),
    # for reset_after=False, σ and tanh. With a_u, a_r, a_c the pre-activations and
    # c_seen = c⟨t−1⟩ ⊙ (the recurrent dropout mask m, or 1), what U reads:
    #   ∂a_u = ∂c ⊙ (c̃ − c⟨t−1⟩) ⊙ Γu(1 − Γu),   ∂a_c = ∂c ⊙ Γu ⊙ (1 − c̃²),
    #   ∂(Γr ⊙ c_seen) = ∂a_c U_cᵀ,   ∂a_r = ∂(Γr ⊙ c_seen) ⊙ c_seen ⊙ Γr(1 − Γr),
    #   ∂c⟨t−1⟩ = ∂c ⊙ (1 − Γu) + m ⊙ (∂(Γr ⊙ c_seen) ⊙ Γr + [∂a_u | ∂a_r] U_urᵀ).
    residuals = ("update", "reset", "candidate")

    @property
    def has_fused_gradient(self):
        return not self.reset_after and self.has_default_activations

    def recur_backward(self, d_state, c_prev, quantities, recurrent_kernel, recurrent_mask=None):
        """(∂c⟨t−1⟩, ∂projected⟨t⟩) from ∂c⟨t⟩ and the step's saved gates."""
        units = self.units
        update, reset, candidate = (quantities[k] for k in self.residuals)
        c_seen = c_prev if recurrent_mask is None else c_prev * recurrent_mask
        d_update = d_state * (candidate - c_prev) * update * (1.0 - update)
        d_candidate = d_state * update * (1.0 - candidate * candidate)
        d_reset_times_c = ops.matmul(d_candidate, ops.transpose(recurrent_kernel[:, 2 * units :]))
        d_reset = d_reset_times_c * c_seen * reset * (1.0 - reset)
        d_gates = ops.concatenate([d_update, d_reset], axis=-1)
        d_c_seen = d_reset_times_c * reset + ops.matmul(
            d_gates, ops.transpose(recurrent_kernel[:, : 2 * units])
        )
        if recurrent_mask is not None:
            d_c_seen = d_c_seen * recurrent_mask
        return d_state * (1.0 - update) + d_c_seen, ops.concatenate([d_gates, d_candidate], -1)

    def recurrent_kernel_gradient(self, d_projected, c_prevs, quantities, recurrent_mask=None):
        """∂U = [Σ c_seenᵀ ∂a_ur | Σ (Γr ⊙ c_seen)ᵀ ∂a_c]: two products over all steps."""
        units = self.units
        c_seens = c_prevs if recurrent_mask is None else c_prevs * recurrent_mask
        return ops.concatenate(
            [
                sum_over_time_and_batch(c_seens, d_projected[..., : 2 * units]),
                sum_over_time_and_batch(
                    quantities["reset"] * c_seens, d_projected[..., 2 * units :]
                ),
            ],
            axis=-1,
        )

    def get_config(self):
        return {**super().get_config(), "reset_after": self.reset_after}


@register("gru")
@keras.saving.register_keras_serializable(package="zoo")
class GRU(GatedSequence):
    """The GRU over a whole sequence, with the input projection hoisted: a drop-in
    for `keras.layers.GRU`.

    Same weights and results as `keras.layers.RNN(zoo.GRUCell(...))`, but
    x @ kernel + bias is one matrix product for all timesteps before the
    recurrence. Takes `keras.layers.GRU`'s arguments with Keras's meaning, but
    for those in `zoo.drop_in.REFUSED_ARGUMENTS`; trains with the hand-written
    backward (`zoo.fused_gradient`) where it applies (`reset_after=False`, tanh
    and sigmoid, with or without bias and dropout), else by autodiff of the loop.
    Supports masking, `initial_state`, `go_backwards`, `stateful`, dropout and
    XLA compilation.

    Args:
        units: Positive integer, dimension of the memory cell c⟨t⟩.
        reset_after: See `GRUCell`. Defaults to `False` (the course's GRU),
            where `keras.layers.GRU` defaults to `True`.
        activation: Activation of the candidate c̃⟨t⟩. Defaults to `"tanh"`.
        recurrent_activation: Activation of Γu and Γr. Defaults to `"sigmoid"`.
        use_bias: Whether to add `bias`. Defaults to `True`.
        kernel_initializer, recurrent_initializer, bias_initializer: Defaults
            `"glorot_uniform"`, `"orthogonal"` and `"zeros"`.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Penalties
            on the weights, added to `model.losses`. Default `None`.
        activity_regularizer: Penalty on the layer's outputs. Default `None`.
        kernel_constraint, recurrent_constraint, bias_constraint: Applied to the
            weights after each optimizer step. Default `None`.
        dropout: Fraction of the inputs' features dropped in training, one mask
            per sequence. Defaults to 0.
        recurrent_dropout: Fraction of c⟨t−1⟩'s units dropped where U reads
            them, in training, one mask per sequence. Defaults to 0.
        seed: Seed of the dropout masks. Defaults to `None`.
        return_sequences: Whether to return c⟨t⟩ for every step (batch, time,
            units) or only the last (batch, units). Defaults to `False`.
        return_state: Whether to also return the last state. Defaults to `False`.
        go_backwards: Whether to read the sequence backwards (the returned
            sequence is then in reverse order, as in Keras). Defaults to `False`.
        stateful, zero_output_for_mask: As in `keras.layers.RNN`.
        unroll: Accepted, without effect: the loops are the zoo's (`zoo.loops`).
        use_cudnn: `"auto"` (the default) or `False`; `True` is refused, as the
            zoo never runs cuDNN's kernel.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        sequences: Shape (batch, time, features).
        initial_state: Optional c⟨0⟩, shape (batch, units). Defaults to zeros.
        mask: Optional boolean (batch, time); padded steps keep the state.
        training: Whether dropout applies. Defaults to `False`.

    Example:
    >>> layer = GRU(4, return_sequences=True, dropout=0.2, kernel_regularizer="l2")
    >>> tuple(layer(np.ones((2, 5, 3), "float32")).shape)
    (2, 5, 4)
    """

    def __init__(self, units, reset_after=False, **kwargs):
        cell_arguments, kwargs = split_arguments(kwargs, GRUCell.refused_arguments)
        cell = GRUCell(
            units,
            reset_after=reset_after,
            **cell_arguments,
            dtype=kwargs.get("dtype"),
            name="gru_cell",
        )
        super().__init__(cell, **kwargs)

    @property
    def reset_after(self):
        return self.cell.reset_after


# Keras's default gate placement on the course's GRU: the same layer, another default.
register("gru_reset_after", functools.partial(GRU, reset_after=True))
