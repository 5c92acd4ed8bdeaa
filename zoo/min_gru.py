"""minGRU (Feng et al., 2024): a GRU whose gates depend on x⟨t⟩ only.

    Γu = σ(W_u x⟨t⟩ + b_u)                               update gate
    c̃⟨t⟩ = g(W_c x⟨t⟩ + b_c)                             candidate
    c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩,   a⟨t⟩ = c⟨t⟩

with g(v) = v + 0.5 for v ≥ 0 and σ(v) otherwise, which keeps c̃ positive so
the recurrence can run in log space. Since nothing but c⟨t−1⟩ itself depends on
c⟨t−1⟩, c⟨t⟩ = a⟨t⟩ c⟨t−1⟩ + b⟨t⟩ with a = 1 − Γu and b = Γu ⊙ c̃ known for
all t in advance: composing these affine maps is associative, so `MinGRU`
computes all steps with a parallel scan (log a, log b), while
`MinGRUCell` is the sequential form.

Reference: Feng et al., "Were RNNs All We Needed?", arXiv:2410.01201, 2024.
"""

import keras
from keras import ops

from zoo.arguments import check_rank
from zoo.recurrence import GatedCell, GatedSequence
from zoo.registry import register

# log(0) for padded steps: finite, so that logaddexp and its gradient stay finite, and
# finite in float16 too (whose largest value is 65504; −1e30 would round to −inf and make
# NaN); exp(−1e4) is 0 in every float type.
LOG_ZERO = -1e4


def candidate_activation(v):
    """g(v) = v + 0.5 for v ≥ 0, σ(v) otherwise: positive, continuous."""
    return ops.where(v >= 0, ops.relu(v) + 0.5, ops.sigmoid(v))


def log_candidate_activation(v):
    """log g(v), computed without taking the log of a small number."""
    return ops.where(v >= 0, ops.log(ops.relu(v) + 0.5), -ops.softplus(-v))


@keras.saving.register_keras_serializable(package="zoo")
class MinGRUCell(GatedCell):
    """One step of minGRU, the sequential form (equations in `zoo.min_gru`).

    Weights, column blocks in the order [update | candidate]: `kernel`
    (input_dim, 2·units), `bias` (2·units,). There is no recurrent kernel.

    Args:
        units: Positive integer, dimension of the memory cell c⟨t⟩.
        kernel_initializer: Defaults to `"glorot_uniform"`.
        bias_initializer: Defaults to `"zeros"`.

    Example:
    >>> layer = keras.layers.RNN(MinGRUCell(4))
    >>> tuple(layer(np.ones((2, 5, 3), "float32")).shape)
    (2, 4)
    """

    def __init__(
        self, units, kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs
    ):
        super().__init__(
            units,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            **kwargs,
        )

    def build(self, input_shape):
        check_rank("inputs", input_shape, 2, "(batch, features)")
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_shape[-1], 2 * self.units),
            initializer=self.kernel_initializer,
        )
        self.bias = self.add_weight(
            name="bias", shape=(2 * self.units,), initializer=self.bias_initializer
        )

    def recur(self, projected, c_prev):
        update = ops.sigmoid(projected[..., : self.units])
        candidate = candidate_activation(projected[..., self.units :])
        state = update * candidate + (1.0 - update) * c_prev
        return {"update": update, "candidate": candidate, "state": state}

    def get_config(self):
        config = super().get_config()
        del config["recurrent_initializer"]
        return config


def compose_in_log_space(earlier, later):
    """Composes c ↦ a₁c + b₁ then c ↦ a₂c + b₂, all as logs: (a₁a₂, a₂b₁ + b₂)."""
    log_a1, log_b1 = earlier
    log_a2, log_b2 = later
    return log_a1 + log_a2, log_add_exp(log_a2 + log_b1, log_b2)


def log_add_exp(x, y):
    """log(eˣ + eʸ) for finite x, y, written out: `ops.logaddexp`'s gradient was much
    slower under XLA on TensorFlow in the speed benchmark."""
    return ops.maximum(x, y) + ops.log1p(ops.exp(-ops.abs(x - y)))


def scan_over_time(log_keep, log_write):
    """Inclusive prefix composition along axis 1 of the maps (log a, log b).

    `keras.ops.associative_scan` where it compiles; on TensorFlow its odd/even
    `tf.cond` cannot be compiled by XLA, so there `odd_even_scan`, the same
    algorithm unrolled over the static length. The length must be static on
    TensorFlow.
    """
    if keras.backend.backend() != "tensorflow":
        return ops.associative_scan(compose_in_log_space, (log_keep, log_write), axis=1)
    return odd_even_scan(compose_in_log_space, (log_keep, log_write))


def odd_even_scan(compose, elements):
    """Inclusive scan along axis 1 of `elements` (a tuple of tensors) under the
    associative `compose`, by the odd/even recursion (Blelloch; as jax.lax's
    associative_scan): compose neighbouring pairs, scan those recursively, then
    fill in the even positions. O(time) work and memory, ⌈log₂ time⌉ levels;
    the recursion is unrolled over the static length, so XLA compiles it.
    """
    time = elements[0].shape[1]
    if time < 2:
        return elements
    pairs = time // 2
    odd = odd_even_scan(  # the scan at positions 1, 3, 5, …
        compose,
        compose(
            tuple(e[:, 0 : 2 * pairs : 2] for e in elements),
            tuple(e[:, 1 : 2 * pairs : 2] for e in elements),
        ),
    )
    evens = (time + 1) // 2  # positions 0, 2, 4, …; from 2 on, composed with the odd before
    even = tuple(e[:, :1] for e in elements)
    if evens > 1:  # (no empty slices: XLA's gradient mishandles them)
        filled = compose(
            tuple(o[:, : evens - 1] for o in odd), tuple(e[:, 2:time:2] for e in elements)
        )
        even = tuple(ops.concatenate([e, f], axis=1) for e, f in zip(even, filled, strict=True))
    return tuple(interleave(e, o) for e, o in zip(even, odd, strict=True))


def interleave(even, odd):
    """(e₀, o₀, e₁, o₁, …) along axis 1; `even` has as many elements as `odd` or one more."""
    odds = odd.shape[1]
    paired = ops.stack([even[:, :odds], odd], axis=2)  # (batch, odds, 2, …)
    paired = ops.reshape(paired, (-1, 2 * odds, *odd.shape[2:]))
    return paired if even.shape[1] == odds else ops.concatenate([paired, even[:, odds:]], axis=1)


@register("min_gru")
@keras.saving.register_keras_serializable(package="zoo")
class MinGRU(GatedSequence):
    """minGRU over a whole sequence, computed with a parallel scan in log space.

    Same weights and results as `keras.layers.RNN(zoo.MinGRUCell(...))`.
    Arguments and call arguments as in `zoo.GRU`, without `reset_after` and
    `recurrent_initializer`; `unroll` has no effect.

    Example:
    >>> tuple(MinGRU(4, return_sequences=True)(np.ones((2, 5, 3), "float32")).shape)
    (2, 5, 4)
    """

    def __init__(
        self, units, kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs
    ):
        cell = MinGRUCell(
            units,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            dtype=kwargs.get("dtype"),
            name="min_gru_cell",
        )
        super().__init__(cell, **kwargs)

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if keras.backend.backend() == "tensorflow" and sequences.shape[1] is None:
            # Unknown length on TensorFlow: the sequential form (see `scan_over_time`).
            return super().inner_loop(sequences, initial_state, mask, training)
        c0 = initial_state[0] if keras.tree.is_nested(initial_state) else initial_state
        mask = mask[0] if keras.tree.is_nested(mask) else mask
        projected = self.cell.project_inputs(sequences)
        update_preactivation = projected[..., : self.cell.units]
        log_keep = -ops.softplus(update_preactivation)  # log(1 − Γu)
        log_update = -ops.softplus(-update_preactivation)  # log Γu
        log_write = log_update + log_candidate_activation(projected[..., self.cell.units :])
        if mask is not None:  # Padded steps are the identity map: a = 1, b = 0.
            mask = ops.expand_dims(ops.cast(mask, "bool"), -1)
            log_keep = ops.where(mask, log_keep, 0.0)
            log_write = ops.where(mask, log_write, LOG_ZERO)
        if self.go_backwards:
            log_keep, log_write = ops.flip(log_keep, axis=1), ops.flip(log_write, axis=1)
        log_decay, log_written = scan_over_time(log_keep, log_write)
        # c⟨t⟩ = (Π a) c⟨0⟩ + (what was written since): c⟨0⟩ may have any sign.
        states = ops.exp(log_decay) * ops.expand_dims(c0, 1) + ops.exp(log_written)
        outputs = states
        if self.zero_output_for_mask and mask is not None:
            outputs = ops.where(ops.flip(mask, axis=1) if self.go_backwards else mask, states, 0.0)
        return states[:, -1], outputs, [states[:, -1]]
