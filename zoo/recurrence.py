"""What every zoo cell and sequence layer share.

A zoo cell splits one step of its recurrence in two:

- `project_inputs(x)`: the part that depends on x⟨t⟩ only, W x⟨t⟩ + b, for
  all gate blocks at once;
- `recur(projected, c_prev)`: the recurrence proper, returning every per-step
  quantity by name ("update", "reset", "candidate", "state").

`GatedCell.call` chains the two, so `keras.layers.RNN(cell)` works as for any
Keras cell. `GatedSequence` hoists the input projection out of the time loop (one
matrix product for all timesteps, or one per gate block, `project_input_blocks`)
and scans `recur` only, and
`trace_sequence` scans `recur` keeping every quantity, which is what
`zoo.trace` reports. All three run the same `recur`, so they cannot disagree.

A cell may also define `recur_backward` (one step of ∂c backwards),
`recurrent_kernel_gradient`, the names of the `residuals` these need and
`has_fused_gradient = True`: `GatedSequence` then trains with a hand-written
backward pass (`run_with_fused_gradient`), as cuDNN does. Autodiff of the time
loop accumulates ∂U step by step, two small products per step; here the
backward loop carries ∂c only, and ∂U is one large product over all steps
after it. The forward still runs `recur`. Inference (`training=False`) saves no
gates and runs the plain loop.

On TensorFlow the loops take the form that is fast where they are compiled: under
XLA a while loop writing each step's output in place, otherwise Keras's
TensorArray scan (see `compiling_with_xla`).
"""

import numbers

import keras
from keras import ops


def check_units(units):
    """Returns `units` if it is a positive integer, else raises `ValueError`."""
    if isinstance(units, bool) or not isinstance(units, numbers.Integral) or units <= 0:
        raise ValueError(
            "Received an invalid value for argument `units`, expected a positive "
            f"integer, got {units!r}."
        )
    return int(units)


def check_rank(argument, shape, rank, layout):
    """Raises `ValueError` unless `shape` has `rank` dimensions."""
    if len(shape) != rank:
        raise ValueError(
            f"Received an invalid value for argument `{argument}`, expected a "
            f"{rank}D tensor of shape {layout}, got shape {tuple(shape)}."
        )


def check_steps_and_features(shape, features=None):
    """Raises `ValueError` for sequences whose static shape has no time steps, or other
    than `features` features (None: any). Unknown (None) dimensions pass: they are
    checked by nothing here, so traced and compiled code (XLA, JAX) costs nothing."""
    if shape[1] == 0:
        raise ValueError(
            "Received an invalid value for argument `sequences`, expected at least one "
            f"time step, got shape {tuple(shape)}."
        )
    check_features("sequences", shape, features)


def check_features(argument, shape, features):
    """Raises `ValueError` unless the last axis of `shape` is `features` (or unknown)."""
    if features is not None and shape[-1] is not None and shape[-1] != features:
        raise ValueError(
            f"Received an invalid value for argument `{argument}`, expected {features} "
            f"features (the last axis, as when the layer was built), got shape {tuple(shape)}."
        )


def run_recurrence(step, c0, blocks, mask=None, keep_all=True):
    """Runs c⟨t⟩ = step(c⟨t−1⟩, projected⟨t⟩, mask⟨t⟩) over time-major inputs.

    Args:
        step: `step(c_prev, projected_t, mask_t=None) -> c`.
        c0: Initial state (batch, units).
        blocks: The time-major projected inputs, one (time, batch, units) tensor per
            gate block (see `GatedCell.project_input_blocks`); `step` gets them side
            by side, (batch, k·units).
        mask: Optional time-major boolean mask (time, batch, 1).
        keep_all: Whether to return every c⟨t⟩ or only the last.

    Returns:
        `(c_last, states)`, states (time, batch, units), or `None` unless `keep_all`.
    """
    if keras.backend.backend() != "tensorflow" or (keep_all and not compiling_with_xla()):
        # `ops.scan` is jax.lax.scan on JAX: compiled and differentiable. On
        # TensorFlow without XLA it is a TensorArray loop: O(1) writes per step,
        # differentiable (but not under XLA, see below).
        return scan_keeping(step, c0, blocks, mask, keep_all)
    # Under XLA, `ops.scan` on TensorFlow has no gradient (its while loop sets no
    # maximum_iterations): loop with `ops.while_loop`, writing the states in place
    # only when they are needed.
    xs = (*blocks,) if mask is None else (*blocks, mask)

    def step_on(c, xs_t):
        c = step(c, side_by_side(xs_t[: len(blocks)]), *xs_t[len(blocks) :])
        return c, (c,)

    if keep_all:
        c, (states,) = loop_with_updates(step_on, c0, xs, (int(c0.shape[-1]),))
        return c, states
    time = ops.shape(blocks[0])[0]

    def body(t, c):
        return t + 1, step_on(c, tuple(ops.take(x, t, axis=0) for x in xs))[0]

    _, c = ops.while_loop(lambda t, c: t < time, body, (0, c0), maximum_iterations=time)
    return c, None


def scan_keeping(step, c0, blocks, mask, keep_all):
    """`run_recurrence` with `ops.scan` (not for TensorFlow under XLA)."""
    xs = (*blocks,) if mask is None else (*blocks, ops.cast(mask, blocks[0].dtype))
    xs, unpack = packed_on_tensorflow(xs)

    def scan_step(c, xs_t):
        xs_t = unpack(xs_t)
        mask_t = None if mask is None else xs_t[-1] > 0.5
        c = step(c, side_by_side(xs_t[: len(blocks)]), mask_t)
        return c, c

    c, states = ops.scan(scan_step, c0, xs)
    return c, states if keep_all else None


def side_by_side(blocks_t):
    """One step's gate blocks, (batch, units) each, as one (batch, k·units) tensor."""
    return blocks_t[0] if len(blocks_t) == 1 else ops.concatenate(blocks_t, axis=-1)


def packed_on_tensorflow(xs):
    """`(xs, unpack)` for `ops.scan`: on TensorFlow, the xs packed into one tensor along
    their (static) last axis, and `unpack(xs_t)` the step's tuple of them again.

    Keras's TensorFlow scan fails on several xs of unknown length (it checks their
    static lengths against each other, and None has no such check), as in `predict` on
    padded batches."""
    if keras.backend.backend() != "tensorflow" or len(xs) == 1:
        return xs, tuple
    splits = split_points(xs)
    return ops.concatenate(xs, axis=-1), lambda packed_t: ops.split(packed_t, splits, axis=-1)


def split_points(tensors):
    """Where `tensors` start along the last axis once concatenated, the first left out:
    what `ops.split` takes to cut them apart again."""
    widths = [int(tensor.shape[-1]) for tensor in tensors]
    return [sum(widths[: i + 1]) for i in range(len(widths) - 1)]


def compiling_with_xla():
    """Whether TensorFlow is tracing a function for XLA (``jit_compile=True``).

    The loops differ there: under XLA an in-place ``scatter_update`` is the fastest
    way to collect per-step outputs, and Keras's TensorArray scan has no gradient;
    without XLA the scatter copies the whole buffer each step and the scan is the
    one to use. Keras has no public way to ask, so this asks TensorFlow (imported
    only here, only on the TensorFlow backend); should that internal API go away,
    the answer is False, which is always correct, only slower under XLA.
    """
    if keras.backend.backend() != "tensorflow":
        return False
    try:
        import tensorflow as tf
        from tensorflow.python.ops.control_flow_util import GraphOrParentsInXlaContext
    except ImportError:
        return False
    return bool(GraphOrParentsInXlaContext(tf.compat.v1.get_default_graph()))


def run_with_fused_gradient(cell, c0, blocks, mask=None, keep_all=True):
    """`run_recurrence` over `cell.recur`, differentiated by the cell's own backward step.

    The forward keeps c⟨t−1⟩ and the cell's `residuals` (the gates) of every
    step. The backward scans `cell.recur_backward` from the last step to the
    first, carrying ∂loss/∂c only, and then gets ∂loss/∂U from
    `cell.recurrent_kernel_gradient` in one product over all steps. Padded steps
    (mask false) pass c⟨t−1⟩ and its gradient through. `blocks` as in `run_recurrence`
    (one block may hold all the gate blocks side by side).

    Returns:
        `(c_last, states)`, states (time, batch, units), or `None` unless `keep_all`.
    """
    # Where the mask is false, c⟨t⟩ = c⟨t−1⟩: keep⟨t⟩ ∈ {0, 1} blends the two.
    keep = ops.ones_like(blocks[0][..., :1])
    keep = keep if mask is None else ops.cast(mask, keep.dtype)
    names = cell.residuals
    units = int(c0.shape[-1])
    splits = split_points(blocks)

    @ops.custom_gradient
    def recurrence(c0, recurrent_kernel, keep, *blocks):
        def forward_step(c_prev, inputs):
            *blocks_t, keep_t = inputs
            quantities = cell.recur(side_by_side(blocks_t), c_prev, recurrent_kernel)
            c = keep_t * quantities["state"] + (1.0 - keep_t) * c_prev
            return c, (c_prev, *(quantities[name] for name in names))

        c_last, (c_prevs, *residuals) = scan_steps(
            forward_step, c0, (*blocks, keep), (units,) * (len(names) + 1)
        )

        def grad(*args, upstream=None):
            # TensorFlow passes one gradient per output, JAX one tuple.
            upstream = upstream if upstream is not None else args
            if keep_all:
                d_last, d_states = upstream[0] if len(upstream) == 1 else upstream
                d_states = ops.zeros_like(states) if d_states is None else d_states
            else:
                d_last = upstream[0]
            d_last = ops.zeros_like(c_last) if d_last is None else d_last

            def backward_step(d_c, inputs):
                c_prev, keep_t, *residuals_t = inputs[: len(names) + 2]
                if keep_all:  # ∂loss/∂c⟨t⟩ from the output at t as well.
                    d_c = d_c + inputs[-1]
                d_c_prev, d_projected_t = cell.recur_backward(
                    keep_t * d_c,
                    c_prev,
                    dict(zip(names, residuals_t, strict=True)),
                    recurrent_kernel,
                )
                d_blocks_t = (
                    ops.split(d_projected_t, splits, axis=-1) if splits else [d_projected_t]
                )
                return d_c_prev + (1.0 - keep_t) * d_c, tuple(d_blocks_t)

            xs = (c_prevs, keep, *residuals, *((d_states,) if keep_all else ()))
            widths = tuple(int(b.shape[-1]) for b in blocks)
            d_c0, d_blocks = scan_steps(backward_step, d_last, xs, widths, reverse=True)
            d_kernel = cell.recurrent_kernel_gradient(
                side_by_side(d_blocks), c_prevs, dict(zip(names, residuals, strict=True))
            )
            return d_c0, d_kernel, ops.zeros_like(keep), *d_blocks

        if not keep_all:
            return c_last, grad
        states = ops.concatenate([c_prevs[1:], c_last[None]], axis=0)
        return (c_last, states), grad

    # A tensor, not the variable: TensorFlow would then want a gradient for `variables`.
    outputs = recurrence(c0, ops.copy(cell.recurrent_kernel), keep, *blocks)
    return outputs if keep_all else (outputs, None)


def scan_steps(step, carry, xs, widths, reverse=False):
    """`ops.scan` whose outputs are a tuple of (batch, width) tensors, in the form that
    is fast on each backend (see `loop_with_updates`).

    `step(carry, xs_t) -> (carry, ys_t)`, ys_t a tuple of (batch, widths[i]);
    returns `(carry, ys)`, ys a tuple of (time, batch, widths[i]).
    """
    if keras.backend.backend() != "tensorflow":
        return ops.scan(step, carry, xs, reverse=reverse)
    if compiling_with_xla():
        return loop_with_updates(step, carry, xs, widths, reverse)
    # Keras's TensorFlow scan (TensorArrays: O(1) writes with and without XLA)
    # wants each output shaped like the carry: carry ys⟨t⟩ along.
    batch = ops.shape(xs[0])[1]
    ys0 = tuple(ops.zeros((batch, width), xs[0].dtype) for width in widths)
    xs, unpack = packed_on_tensorflow(xs)

    def step_carrying_output(carried, xs_t):
        carry, ys_t = step(carried[0], tuple(unpack(xs_t)))
        return (carry, ys_t), (carry, ys_t)

    (carry, _), (_, ys) = ops.scan(step_carrying_output, (carry, ys0), xs, reverse=reverse)
    return carry, tuple(ys)


def loop_with_updates(step, carry, xs, widths, reverse=False):
    """`scan_steps` as a while loop writing each ys⟨t⟩ in place, differentiable: for
    TensorFlow under XLA, where it trains faster than Keras's TensorArray scan (the
    README's performance section has the measurements)."""
    time = ops.shape(xs[0])[0]
    batch = ops.shape(xs[0])[1]
    ys = tuple(ops.zeros((time, batch, width), xs[0].dtype) for width in widths)

    def body(i, carry, ys):
        t = time - 1 - i if reverse else i
        carry, ys_t = step(carry, tuple(ops.take(x, t, axis=0) for x in xs))
        where = ops.reshape(t, (1, 1))
        return (
            i + 1,
            carry,
            tuple(ops.scatter_update(y, where, y_t[None]) for y, y_t in zip(ys, ys_t, strict=True)),
        )

    _, carry, ys = ops.while_loop(
        lambda i, carry, ys: i < time, body, (0, carry, ys), maximum_iterations=time
    )
    return carry, ys


def sum_over_time_and_batch(left, right):
    """Σ_t left⟨t⟩ᵀ right⟨t⟩ for (time, batch, m) and (time, batch, n): one (m, n) product."""
    left = ops.reshape(left, (-1, ops.shape(left)[-1]))
    return ops.matmul(ops.transpose(left), ops.reshape(right, (-1, ops.shape(right)[-1])))


class GatedCell(keras.layers.Layer):
    """Base of the zoo cells: the Keras cell contract around `recur`.

    Subclasses set `blocks`, the number of gate blocks side by side in each
    weight, and define `project_inputs` and `recur`; `build` then creates
    `kernel` (input_dim, blocks·units), `recurrent_kernel` (units, blocks·units)
    and `bias` (`bias_shape`), and `project_inputs` adds `input_bias()`. A cell
    without a recurrent kernel overrides `build`.

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

    def bias_shape(self, width):
        return (width,)

    def input_bias(self):
        """The bias added to W x⟨t⟩ (all of `bias`, unless the cell splits it)."""
        return self.bias

    def project_inputs(self, inputs):
        """W x⟨t⟩ + b for all gate blocks at once (hoisted out of the time loop)."""
        return ops.matmul(inputs, self.kernel) + self.input_bias()

    def project_input_blocks(self, inputs):
        """`project_inputs` as one product per gate block: a (…, units) tensor each.

        What the sequence layers' loops read (see `GatedSequence.time_major_projection`):
        XLA on CPU runs a loop over column slices of one product much slower than over
        separate products (the README's performance section has the measurements)."""
        kernel, bias, units = self.kernel, self.input_bias(), self.units
        return tuple(
            ops.matmul(inputs, kernel[:, i : i + units]) + bias[i : i + units]
            for i in range(0, int(kernel.shape[-1]), units)
        )

    def build(self, input_shape):
        check_rank("inputs", input_shape, 2, "(batch, features)")
        width = self.blocks * self.units
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], width), initializer=self.kernel_initializer
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel",
            shape=(self.units, width),
            initializer=self.recurrent_initializer,
        )
        self.bias = self.add_weight(
            name="bias", shape=self.bias_shape(width), initializer=self.bias_initializer
        )

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

        def step(c_prev, projected_t, mask_t=None):
            c = self.cell.recur(projected_t, c_prev)["state"]
            # Padded steps keep the state unchanged.
            return c if mask_t is None else ops.where(mask_t, c, c_prev)

        keep_all = self.return_sequences
        # Training keeps the gates for the hand-written backward; inference needs
        # only the states (gradients through it, if any are taken, come by autodiff).
        fused = training and getattr(self.cell, "has_fused_gradient", False)
        blocks = self.time_major_projection(sequences, fused)
        if self.go_backwards:
            blocks = tuple(ops.flip(block, axis=0) for block in blocks)
        if fused:
            c, states = run_with_fused_gradient(self.cell, c0, blocks, mask, keep_all)
        else:
            c, states = run_recurrence(step, c0, blocks, mask, keep_all)
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

        The choice follows the speed benchmark (`python -m benchmarks.speed`, README): on
        JAX the blocks train faster; on TensorFlow with XLA, training with the hand-written
        backward was faster reading one product."""
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
