"""What every zoo cell and sequence layer share: the base classes `GatedCell` and
`GatedSequence`.

A zoo cell splits one step of its recurrence in two:

- `project_inputs(x)`: the part that depends on x⟨t⟩ only, W x⟨t⟩ + b, for
  all gate blocks at once;
- `recur(projected, c_prev)`: the recurrence proper, returning every per-step
  quantity by name ("update", "reset", "candidate", "state").

`GatedCell.call` chains the two, so `keras.layers.RNN(cell)` works as for any
Keras cell. `GatedSequence` hoists the input projection out of the time loop (one
matrix product for all timesteps, or one per gate block, `project_input_blocks`)
and scans `recur` only (`run_recurrence`), and `zoo.stepping.step_through` scans
`recur` keeping every quantity, which is what `zoo.trace` reports. All three run the
same `recur`, so they cannot disagree.

A cell with a hand-written backward step (`has_fused_gradient`) trains through
`zoo.fused_gradient.run_with_fused_gradient` instead of autodiff of the loop. Both
loops run in the form that suits the backend, which `zoo.loops` chooses. A cell with
dropout (`zoo.drop_in.DropInCell`) has its masks drawn once per call, in training,
by `GatedSequence`, which applies the input mask before the hoisted projection and
hands the recurrent mask to either loop.
"""

import keras
from keras import ops

from zoo.arguments import check_features, check_rank, check_steps_and_features, check_units
from zoo.fused_gradient import run_with_fused_gradient
from zoo.loops import side_by_side, time_loop


def run_recurrence(cell, c0, blocks, mask=None, keep_all=True, recurrent_mask=None):
    """c⟨t⟩ = `cell.recur`(projected⟨t⟩, c⟨t−1⟩)["state"] over time-major inputs,
    differentiated (if at all) by autodiff of the loop.

    Args:
        cell: A built `GatedCell`.
        c0: Initial state (batch, units).
        blocks: The time-major projected inputs, one (time, batch, units) tensor per
            gate block (see `GatedCell.project_input_blocks`); `recur` gets them side
            by side, (batch, k·units).
        mask: Optional time-major boolean mask (time, batch, 1); padded steps (false)
            keep the state unchanged.
        keep_all: Whether to return every c⟨t⟩ or only the last.
        recurrent_mask: Optional recurrent dropout mask (batch, units), the same at
            every step, passed on to `recur` (see `GatedCell.dropout_masks`).

    Returns:
        `(c_last, states)`, states (time, batch, units), or `None` unless `keep_all`.
    """
    # As a number, so that the loops may pack it with the blocks into one tensor.
    xs = (*blocks,) if mask is None else (*blocks, ops.cast(mask, blocks[0].dtype))
    # Only a cell with recurrent dropout takes the argument (`DropInCell`).
    dropout = {} if recurrent_mask is None else {"recurrent_mask": recurrent_mask}

    def step(c_prev, xs_t):
        c = cell.recur(side_by_side(xs_t[: len(blocks)]), c_prev, **dropout)["state"]
        if mask is not None:  # Padded steps keep the state unchanged.
            c = ops.where(xs_t[-1] > 0.5, c, c_prev)
        return c, (c,) if keep_all else ()

    c, states = time_loop(step, c0, xs, (int(c0.shape[-1]),) if keep_all else ())
    return c, states[0] if keep_all else None


class GatedCell(keras.layers.Layer):
    """Base of the zoo cells: the Keras cell contract around `recur`.

    Subclasses set `blocks`, the number of gate blocks side by side in each
    weight, and define `project_inputs` and `recur`; `build` then creates
    `kernel` (input_dim, blocks·units), `recurrent_kernel` (units, blocks·units)
    and `bias` (`bias_shape`; `None` when `use_bias` is false), and
    `project_inputs` adds `input_bias()`. A cell without a recurrent kernel
    overrides `build`. `zoo.drop_in.DropInCell` adds Keras's other arguments
    (activations, `use_bias`, regularizers, constraints, dropout).

    Args:
        units: Positive integer, dimension of the memory cell c⟨t⟩.
        kernel_initializer: Initializer for `kernel`. Defaults to `"glorot_uniform"`.
        recurrent_initializer: Initializer for `recurrent_kernel`. Defaults
            to `"orthogonal"`.
        bias_initializer: Initializer for `bias`. Defaults to `"zeros"`.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.
    """

    def __init__(
        self,
        units,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = check_units(units)
        self.state_size = self.units
        self.output_size = self.units
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    blocks: int  # gate blocks side by side in each weight
    use_bias = True

    def bias_shape(self, width):
        return (width,)

    def input_bias(self):
        """The bias added to W x⟨t⟩ (all of `bias`, unless the cell splits it), or
        `None` without a bias."""
        return self.bias

    def project_inputs(self, inputs):
        """W x⟨t⟩ + b for all gate blocks at once (hoisted out of the time loop)."""
        projected = ops.matmul(inputs, self.kernel)
        bias = self.input_bias()
        return projected if bias is None else projected + bias

    def project_input_blocks(self, inputs):
        """`project_inputs` as one product per gate block: a (…, units) tensor each.

        What the sequence layers' loops read (see `GatedSequence.time_major_projection`):
        XLA on CPU runs a loop over column slices of one product much slower than over
        separate products (docs/results/performance.md has the measurements)."""
        kernel, bias, units = self.kernel, self.input_bias(), self.units
        starts = range(0, int(kernel.shape[-1]), units)
        if bias is None:
            return tuple(ops.matmul(inputs, kernel[:, i : i + units]) for i in starts)
        return tuple(
            ops.matmul(inputs, kernel[:, i : i + units]) + bias[i : i + units] for i in starts
        )

    def build(self, input_shape):
        check_rank("inputs", input_shape, 2, "(batch, features)")
        width = self.blocks * self.units
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], width), **self.weight_options("kernel")
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel",
            shape=(self.units, width),
            **self.weight_options("recurrent"),
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=self.bias_shape(width), **self.weight_options("bias")
            )

    def weight_options(self, prefix):
        """`add_weight`'s arguments for the weight that Keras's arguments name by `prefix`
        ("kernel", "recurrent" or "bias"): here its initializer."""
        return {"initializer": getattr(self, f"{prefix}_initializer")}

    def dropout_masks(self, sequences, c0):
        """The dropout masks of one training call, `(input mask, recurrent mask)`: none
        here (see `zoo.drop_in.DropInCell`)."""
        return None, None

    def call(self, inputs, states, training=False):
        check_features("inputs", inputs.shape, int(self.kernel.shape[0]))
        c_prev = states[0] if keras.tree.is_nested(states) else states
        c = self.recur(self.project_inputs(inputs), c_prev)["state"]
        return c, [c] if keras.tree.is_nested(states) else c

    def get_config(self):
        config = {
            "units": self.units,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": keras.initializers.serialize(self.recurrent_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }
        return {**super().get_config(), **config}


class GatedSequence(keras.layers.RNN):
    """Base of the zoo sequence layers: `keras.layers.RNN` with a hoisted loop.

    `keras.layers.RNN` handles `initial_state`, `return_sequences`,
    `return_state`, `go_backwards`, `stateful` and masks; this class only
    replaces its inner loop. A subclass builds its cell from its own
    arguments, and its config is the cell's arguments plus the RNN's.
    """

    @property
    def units(self):
        return self.cell.units

    def build(self, sequences_shape, initial_state_shape=None):
        check_rank("sequences", sequences_shape, 3, "(batch, time, features)")
        check_steps_and_features(sequences_shape)
        super().build(sequences_shape, initial_state_shape)

    def inner_loop(self, sequences, initial_state, mask, training=False):
        c0 = initial_state[0] if keras.tree.is_nested(initial_state) else initial_state
        mask = mask[0] if keras.tree.is_nested(mask) else mask
        if mask is not None:
            mask = ops.expand_dims(ops.transpose(ops.cast(mask, "bool")), -1)
            mask = ops.flip(mask, axis=0) if self.go_backwards else mask

        keep_all = self.return_sequences
        input_mask, recurrent_mask = None, None
        if training:  # Dropout: each mask is drawn once per call and serves every step.
            input_mask, recurrent_mask = self.cell.dropout_masks(sequences, c0)
        if input_mask is not None:
            sequences = sequences * ops.expand_dims(input_mask, 1)
        # Training keeps the gates for the hand-written backward; inference needs
        # only the states (gradients through it, if any are taken, come by autodiff).
        fused = training and getattr(self.cell, "has_fused_gradient", False)
        blocks = self.time_major_projection(sequences, fused)
        if self.go_backwards:
            blocks = tuple(ops.flip(block, axis=0) for block in blocks)
        loop = run_with_fused_gradient if fused else run_recurrence
        c, states = loop(self.cell, c0, blocks, mask, keep_all, recurrent_mask)
        if not keep_all:  # As Keras's loop does when only the last output is used.
            return c, ops.expand_dims(c, 1), [c]
        outputs = ops.transpose(states, (1, 0, 2))
        if self.zero_output_for_mask and mask is not None:
            outputs = ops.where(ops.transpose(mask, (1, 0, 2)), outputs, 0.0)
        return c, outputs, [c]

    def time_major_projection(self, sequences, fused_training):
        """The projected inputs, time-major, as the loops read them fastest: one
        (time, batch, units) tensor per gate block, except for TensorFlow's training
        with the hand-written backward, where one tensor for all blocks was faster.

        The choice follows the speed benchmark (`python -m benchmarks.speed`, measured in
        docs/results/performance.md): on JAX the blocks train faster; on TensorFlow with
        XLA, training with the hand-written backward was faster reading one product."""
        if fused_training and keras.backend.backend() == "tensorflow":
            return (ops.transpose(self.cell.project_inputs(sequences), (1, 0, 2)),)
        return self.cell.project_input_blocks(ops.transpose(sequences, (1, 0, 2)))

    def call(self, sequences, initial_state=None, mask=None, training=False):
        check_rank("sequences", sequences.shape, 3, "(batch, time, features)")
        check_steps_and_features(sequences.shape, int(self.cell.kernel.shape[0]))
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self):
        config = super().get_config()
        cell_config = self.cell.get_config()
        del config["cell"]
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        return {**config, **cell_config}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
