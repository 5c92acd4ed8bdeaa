"""The time loops of the zoo's sequence layers, in the form each backend runs fast and
can differentiate, chosen in one place: `time_loop`.

Every loop here is a scan, `step(carry, xs_t) -> (carry, ys_t)` over time-major `xs`,
collecting each step's outputs ys⟨t⟩, a tuple of (batch, width) tensors, into (time,
batch, width) ones. Its callers, the plain loop over a cell's `recur`
(`zoo.recurrence.run_recurrence`) and the forward and backward of the hand-written
gradient (`zoo.fused_gradient`), call `time_loop` only. It runs:

- on JAX (and any backend but TensorFlow), `ops.scan`: `jax.lax.scan` is compiled and
  differentiable as it is;
- on TensorFlow under XLA (``jit_compile=True``), a while loop writing each step's
  outputs in place (`loop_with_updates`): there Keras's `ops.scan` has no gradient (its
  while loop sets no `maximum_iterations`), and an in-place ``scatter_update`` is the
  fastest way to collect per-step outputs;
- on TensorFlow without XLA, Keras's TensorArray scan (`scan_on_tensorflow`): O(1)
  writes per step, where the in-place update would copy the whole buffer each step;
- on TensorFlow with no outputs to keep (only the last carry), the while loop, with or
  without XLA: there is nothing to write.

The loops read a cell's projected inputs as time-major gate blocks (see
`zoo.recurrence.GatedCell.project_input_blocks`); `side_by_side` joins one step's.
"""

import keras
from keras import ops


def time_loop(step, carry, xs, widths, reverse=False):
    """`ops.scan` over time-major `xs`, in the form that suits this backend (see the
    module docstring).

    Args:
        step: `step(carry, xs_t) -> (carry, ys_t)`, xs_t the tuple of one step of the
            xs, ys_t a tuple of (batch, widths[i]) tensors.
        carry: The initial carry.
        xs: A tuple of time-major (time, batch, …) tensors.
        widths: The widths of the ys⟨t⟩; empty to keep none.
        reverse: Whether to run from the last step to the first.

    Returns:
        `(carry, ys)`, ys a tuple of (time, batch, widths[i]) tensors.
    """
    if keras.backend.backend() != "tensorflow":
        return ops.scan(step, carry, xs, reverse=reverse)
    if compiling_with_xla() or not widths:
        return loop_with_updates(step, carry, xs, widths, reverse)
    return scan_on_tensorflow(step, carry, xs, widths, reverse)


def compiling_with_xla():
    """Whether TensorFlow is tracing a function for XLA (``jit_compile=True``).

    Keras has no public way to ask, so this asks TensorFlow (imported only here, only
    on the TensorFlow backend); should that internal API go away, the answer is False,
    which is always correct, only slower under XLA.
    """
    if keras.backend.backend() != "tensorflow":
        return False
    try:
        import tensorflow as tf
        from tensorflow.python.ops.control_flow_util import GraphOrParentsInXlaContext
    except ImportError:
        return False
    return bool(GraphOrParentsInXlaContext(tf.compat.v1.get_default_graph()))


def loop_with_updates(step, carry, xs, widths, reverse=False):
    """`time_loop` as a while loop writing each ys⟨t⟩ in place, differentiable: for
    TensorFlow under XLA, where it trains faster than Keras's TensorArray scan
    (docs/results/performance.md has the measurements), and for loops that keep no
    outputs."""
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


def scan_on_tensorflow(step, carry, xs, widths, reverse=False):
    """`time_loop` as Keras's TensorFlow scan (TensorArrays: O(1) writes per step), for
    TensorFlow without XLA.

    That scan writes each step's outputs into arrays shaped like the carry: a single
    output of the carry's shape is written as it is, other outputs are carried along
    with the carry."""
    packed, unpack = packed_along_features(xs)
    if len(widths) == 1 and not keras.tree.is_nested(carry) and widths[0] == carry.shape[-1]:

        def step_writing_its_output(carry, xs_t):
            carry, (y_t,) = step(carry, tuple(unpack(xs_t)))
            return carry, y_t

        carry, ys = ops.scan(step_writing_its_output, carry, packed, reverse=reverse)
        return carry, (ys,)
    batch = ops.shape(xs[0])[1]
    ys0 = tuple(ops.zeros((batch, width), xs[0].dtype) for width in widths)

    def step_carrying_output(carried, xs_t):
        carry, ys_t = step(carried[0], tuple(unpack(xs_t)))
        return (carry, ys_t), (carry, ys_t)

    (carry, _), (_, ys) = ops.scan(step_carrying_output, (carry, ys0), packed, reverse=reverse)
    return carry, tuple(ys)


def packed_along_features(xs):
    """`(xs, unpack)` for Keras's TensorFlow scan: the xs packed into one tensor along
    their (static) last axis, and `unpack(xs_t)` the step's tuple of them again.

    That scan fails on several xs of unknown length (it checks their static lengths
    against each other, and None has no such check), as in `predict` on padded
    batches."""
    if len(xs) == 1:
        return xs, tuple
    splits = split_points(xs)
    return ops.concatenate(xs, axis=-1), lambda packed_t: ops.split(packed_t, splits, axis=-1)


def split_points(tensors):
    """Where `tensors` start along the last axis once concatenated, the first left out:
    what `ops.split` takes to cut them apart again."""
    widths = [int(tensor.shape[-1]) for tensor in tensors]
    return [sum(widths[: i + 1]) for i in range(len(widths) - 1)]


def side_by_side(blocks_t):
    """One step's gate blocks, (batch, units) each, as one (batch, k·units) tensor."""
    return blocks_t[0] if len(blocks_t) == 1 else ops.concatenate(blocks_t, axis=-1)
