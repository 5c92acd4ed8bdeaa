"""Stepping a recurrent layer through time with hooks: read, edit and differentiate its
states one step at a time.

One loop runs any recurrent layer outside its model: a zoo sequence layer, a
`keras.layers.RNN` around any Keras cell, `SimpleRNN`, `LSTM` or `GRU` (or a bare
cell). Each step, from c⟨t−1⟩ and x⟨t⟩:

    q⟨t⟩ = step(x⟨t⟩, c⟨t−1⟩)             (a zoo cell's `recur`, else the cell's call)
    s⟨t⟩ = edit(q⟨t⟩'s states, t)          (hook (b); without it, q⟨t⟩'s states)
    c⟨t⟩ = (s⟨t⟩ if m⟨t⟩ else c⟨t−1⟩) + δ⟨t⟩  (m⟨t⟩ false: a padded step carries c⟨t−1⟩ over)

and the hooks are:

(a) `step_through` returns every per-step quantity: a zoo cell's gates, candidate and
    state (by the names its `recur` gives them; 0 on padded steps for all but the
    state), or another cell's states: "state" for its first (its output; h⟨t⟩ for an
    LSTM), "state_1", … for the others (an LSTM's memory cell).
(b) `edit_states(states, t)` changes the new states after step t, before step t + 1
    reads them (padded steps still carry c⟨t−1⟩ over unedited).
(c) `state_gradients` returns ∂loss/∂c⟨t⟩ for every t and every state, for a loss that
    the caller computes from the per-step quantities (the rest of a model and its
    head, say), by autodiff on TensorFlow or JAX.

Why the perturbation gives ∂loss/∂c⟨t⟩: δ⟨t⟩ enters only as a term added to c⟨t⟩, and
everything after it (the later steps, c⟨t+1⟩ = f(c⟨t⟩, x⟨t+1⟩), …, and the caller's
loss) reads it only through c⟨t⟩. With ∂c⟨t⟩/∂δ⟨t⟩ = I, the chain rule gives

    ∂loss/∂δ⟨t⟩ = ∂loss/∂c⟨t⟩ · ∂c⟨t⟩/∂δ⟨t⟩ = ∂loss/∂c⟨t⟩,

the total derivative of the loss with respect to the state after step t, through
every later step. At δ = 0 the forward values are those of the unperturbed layer, and
the gradient with respect to all δ⟨t⟩ at once gives every step's ∂loss/∂c⟨t⟩ from one
backward pass. The δ⟨t⟩ are ordinary inputs of the loop, so `tf.GradientTape` and
`jax.grad` take this gradient the same way.

Conventions, as in `zoo.trace`: arrays are (batch, time, width), indexed by input
position t, also for `go_backwards` layers (which run from the last step to the first);
`t` given to `edit_states` is that input position. The one loop behind all three hooks
is `zoo.loops.time_loop`, which TensorFlow and JAX differentiate.
"""

import keras
from keras import ops

from zoo.arguments import check_rank
from zoo.loops import time_loop
from zoo.recurrence import GatedCell

FIRST_STATE = "state"


def state_sizes(cell):
    """The widths of a cell's states, as a list (one entry for a single state)."""
    sizes = cell.state_size
    return [int(size) for size in (sizes if isinstance(sizes, list | tuple) else [sizes])]


def state_names(cell):
    """The names of a cell's states in the per-step quantities: "state", "state_1", …"""
    return [FIRST_STATE] + [f"{FIRST_STATE}_{i}" for i in range(1, len(state_sizes(cell)))]


def step_through(
    layer, sequences, mask=None, initial_state=None, edit_states=None, go_backwards=None
):
    """Runs `layer` over `sequences` one step at a time, keeping every per-step quantity.

    Args:
        layer: A built `keras.layers.RNN` (a zoo sequence layer, `SimpleRNN`, `LSTM`,
            `GRU`, or `RNN` around any cell), or a built cell.
        sequences: Inputs to the layer, shape (batch, time, features).
        mask: Optional boolean mask (batch, time); padded steps (False) carry the
            states over.
        initial_state: Optional initial state (batch, width), or a list of them for a
            cell with several states. Defaults to zeros.
        edit_states: Optional `edit_states(states, t) -> states`: the list of the new
            states after the step at input position t (a scalar tensor), edited before
            the next step reads them.
        go_backwards: Whether to run from the last step to the first. Defaults to the
            layer's own; False for a bare cell.

    Returns:
        A dict of (batch, time, width) tensors in input order, by quantity name (see
        the module docstring).

    Raises:
        ValueError: `layer` is neither a recurrent layer nor a cell, or `sequences` is
            not 3D.

    Example:
    >>> layer = keras.layers.LSTM(3)
    >>> x = np.ones((2, 4, 5), "float32")
    >>> _ = layer(x)
    >>> clamp = lambda states, t: [states[0] * 0.0, states[1]]
    >>> per_step = step_through(layer, x, edit_states=clamp)
    >>> sorted(per_step), float(keras.ops.max(keras.ops.abs(per_step["state"])))
    (['state', 'state_1'], 0.0)
    """
    loop = _Loop(layer, sequences, mask, initial_state, go_backwards)
    return loop.run(edit_states)


def state_gradients(
    layer, sequences, loss, mask=None, initial_state=None, edit_states=None, go_backwards=None
):
    """∂loss/∂c⟨t⟩ for every step t and every state of `layer` over `sequences`.

    Args:
        layer, sequences, mask, initial_state, edit_states, go_backwards: As for
            `step_through`.
        loss: `loss(per_step) -> scalar`, a function of `step_through`'s dict (in
            backend ops: it is differentiated). A sum over the batch gives each row
            the gradient of its own loss.

    Returns:
        A dict of (batch, time, width) tensors by state name ("state", "state_1", …),
        in input order: ∂loss/∂c⟨t⟩, through every later step and the loss.

    Raises:
        ValueError: The backend is neither TensorFlow nor JAX.

    Example:
    >>> layer = zoo.GRU(2)
    >>> x = np.ones((1, 3, 4), "float32")
    >>> _ = layer(x)
    >>> last_state = lambda per_step: keras.ops.sum(per_step["state"][:, -1])
    >>> gradients = state_gradients(layer, x, last_state)["state"]
    >>> keras.ops.convert_to_numpy(gradients[0, -1]).tolist()  # ∂Σc⟨T⟩/∂c⟨T⟩ = 1
    [1.0, 1.0]
    """
    loop = _Loop(layer, sequences, mask, initial_state, go_backwards)
    zeros = loop.zero_perturbations()

    def loss_and_quantities(perturbations):
        per_step = loop.run(edit_states, perturbations)
        return loss(per_step), per_step

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(zeros)
            value, _ = loss_and_quantities(zeros)
        gradients = tape.gradient(value, zeros, unconnected_gradients="zero")
        gradients = [tf.convert_to_tensor(gradient) for gradient in gradients]
    elif backend == "jax":
        import jax

        gradients, _ = jax.grad(loss_and_quantities, has_aux=True)(zeros)
    else:
        raise ValueError(
            "Received an invalid value for the Keras backend, expected 'tensorflow' or "
            f"'jax' (state gradients need their autodiff), got {backend!r}."
        )
    return {
        name: ops.transpose(gradient, (1, 0, 2))
        for name, gradient in zip(loop.state_names, gradients, strict=True)
    }


class _Loop:
    """One layer's inputs prepared for the loop, and the loop itself (`run`)."""

    def __init__(self, layer, sequences, mask, initial_state, go_backwards):
        is_layer = isinstance(layer, keras.layers.RNN)
        if not is_layer and not hasattr(layer, "state_size"):
            raise ValueError(
                "Received an invalid value for argument `layer`, expected a recurrent "
                f"layer (keras.layers.RNN) or cell, got {type(layer).__name__}."
            )
        self.cell = layer.cell if is_layer else layer
        if go_backwards is None:
            go_backwards = layer.go_backwards if is_layer else False
        self.go_backwards = go_backwards
        dtype = self.cell.compute_dtype
        sequences = ops.convert_to_tensor(sequences, dtype=dtype)
        check_rank("inputs", sequences.shape, 3, "(batch, time, features)")
        batch, self.time = ops.shape(sequences)[0], ops.shape(sequences)[1]
        self.batch = batch
        self.state_names = state_names(self.cell)
        self.widths = state_sizes(self.cell)
        if initial_state is None:
            initial_state = [ops.zeros((batch, width), dtype=dtype) for width in self.widths]
        elif not isinstance(initial_state, list | tuple):
            initial_state = [initial_state]
        self.initial_state = tuple(ops.convert_to_tensor(s, dtype=dtype) for s in initial_state)
        if mask is None:
            mask = ops.ones((batch, self.time), dtype="bool")
        # As a number, so that the loop may pack it with the inputs into one tensor.
        self.keep = ops.expand_dims(ops.transpose(ops.cast(mask, dtype)), -1)
        if isinstance(self.cell, GatedCell):  # W x⟨t⟩ + b hoisted out of the loop
            self.inputs = ops.transpose(self.cell.project_inputs(sequences), (1, 0, 2))
        else:
            self.inputs = ops.transpose(sequences, (1, 0, 2))
        self.quantity_widths = self._quantity_widths()
        self.names = list(self.quantity_widths)

    def _quantity_widths(self):
        """{name: width} of every per-step quantity, states last."""
        widths = {}
        if isinstance(self.cell, GatedCell):
            projected = ops.zeros((1, int(self.inputs.shape[-1])), self.cell.compute_dtype)
            c_prev = ops.zeros((1, self.cell.units), self.cell.compute_dtype)
            quantities = self.cell.recur(projected, c_prev)
            widths = {name: int(value.shape[-1]) for name, value in quantities.items()}
        for name, width in zip(self.state_names, self.widths, strict=True):
            widths.pop(name, None)
            widths[name] = width
        return widths

    def zero_perturbations(self):
        """δ⟨t⟩ = 0 for every state, time-major: (time, batch, width) each."""
        return tuple(
            ops.zeros((self.time, self.batch, width), self.cell.compute_dtype)
            for width in self.widths
        )

    def step_quantities(self, x_t, states):
        """One step from the previous states: every per-step quantity by name."""
        if isinstance(self.cell, GatedCell):
            return dict(self.cell.recur(x_t, states[0]))
        _, new_states = self.cell(x_t, list(states))
        if not isinstance(new_states, list | tuple):
            new_states = [new_states]
        return dict(zip(self.state_names, new_states, strict=True))

    def run(self, edit_states=None, perturbations=None):
        """The loop: every per-step quantity, (batch, time, width) in input order."""
        states_at = len(self.names) - len(self.state_names)
        perturbations = () if perturbations is None else tuple(perturbations)

        def step(carry, xs_t):
            previous, t = carry
            x_t, keep_t, *deltas_t = xs_t
            quantities = self.step_quantities(x_t, previous)
            states = [quantities[name] for name in self.state_names]
            if edit_states is not None:
                states = list(edit_states(states, t))
            keep = keep_t > 0.5
            states = [ops.where(keep, new, old) for new, old in zip(states, previous, strict=True)]
            if deltas_t:
                states = [state + delta for state, delta in zip(states, deltas_t, strict=True)]
            # Padded steps report 0 for the gates and candidate (Γu = 0 keeps the memory).
            ys = [ops.where(keep, quantities[name], 0.0) for name in self.names[:states_at]]
            next_t = t - 1 if self.go_backwards else t + 1
            return (tuple(states), next_t), (*ys, *states)

        start = ops.convert_to_tensor(self.time - 1 if self.go_backwards else 0, "int32")
        _, ys = time_loop(
            step,
            (self.initial_state, start),
            (self.inputs, self.keep, *perturbations),
            list(self.quantity_widths.values()),
            reverse=self.go_backwards,
        )
        return {name: ops.transpose(y, (1, 0, 2)) for name, y in zip(self.names, ys, strict=True)}
