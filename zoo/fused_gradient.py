"""The hand-written (fused) backward pass through a zoo cell's time loop, as cuDNN has.

Autodiff of the time loop accumulates ∂U step by step, two small products per
step. A cell that defines `recur_backward` (one step of ∂c backwards),
`recurrent_kernel_gradient`, the names of the `residuals` these need and
`has_fused_gradient = True` trains instead with `run_with_fused_gradient`: its
backward loop carries ∂c only, and ∂U is one large product over all steps after
it (`sum_over_time_and_batch`). The forward still runs the cell's `recur`, so it
cannot disagree with the cell. `zoo.recurrence.GatedSequence` uses it in training
only; inference (`training=False`) saves no gates and runs the plain loop. A cell
reports `has_fused_gradient` false where its backward step does not hold (the GRU's
is written for tanh, sigmoid and `reset_after=False`): it then trains by autodiff
of the plain loop. Recurrent dropout keeps it exact (`run_with_fused_gradient`).
"""

from keras import ops

from zoo.loops import side_by_side, split_points, time_loop


def run_with_fused_gradient(cell, c0, blocks, mask=None, keep_all=True, recurrent_mask=None):
    """`run_recurrence` over `cell.recur`, differentiated by the cell's own backward step.

    The forward keeps c⟨t−1⟩ and the cell's `residuals` (the gates) of every
    step. The backward scans `cell.recur_backward` from the last step to the
    first, carrying ∂loss/∂c only, and then gets ∂loss/∂U from
    `cell.recurrent_kernel_gradient` in one product over all steps. Padded steps
    (mask false) pass c⟨t−1⟩ and its gradient through. A recurrent dropout mask
    goes to `recur`, `recur_backward` and `recurrent_kernel_gradient` alike (it is a
    constant: no gradient flows to it), so the backward stays exact with dropout.
    Arguments as in `zoo.recurrence.run_recurrence` (one block may hold all the gate
    blocks side by side).

    Returns:
        `(c_last, states)`, states (time, batch, units), or `None` unless `keep_all`.
    """
    # Where the mask is false, c⟨t⟩ = c⟨t−1⟩: keep⟨t⟩ ∈ {0, 1} blends the two.
    keep = ops.ones_like(blocks[0][..., :1])
    keep = keep if mask is None else ops.cast(mask, keep.dtype)
    names = cell.residuals
    units = int(c0.shape[-1])
    splits = split_points(blocks)
    # The mask is an input of the custom gradient, not captured: JAX's custom
    # gradients take no traced values from outside. Without dropout there is none.
    masks = () if recurrent_mask is None else (recurrent_mask,)

    @ops.custom_gradient
    def recurrence(c0, recurrent_kernel, keep, *blocks_and_masks):
        blocks = blocks_and_masks[: len(blocks_and_masks) - len(masks)]
        dropout = {"recurrent_mask": blocks_and_masks[-1]} if masks else {}

        def forward_step(c_prev, inputs):
            *blocks_t, keep_t = inputs
            quantities = cell.recur(side_by_side(blocks_t), c_prev, recurrent_kernel, **dropout)
            c = keep_t * quantities["state"] + (1.0 - keep_t) * c_prev
            return c, (c_prev, *(quantities[name] for name in names))

        c_last, (c_prevs, *residuals) = time_loop(
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
                    **dropout,
                )
                d_blocks_t = (
                    ops.split(d_projected_t, splits, axis=-1) if splits else [d_projected_t]
                )
                return d_c_prev + (1.0 - keep_t) * d_c, tuple(d_blocks_t)

            xs = (c_prevs, keep, *residuals, *((d_states,) if keep_all else ()))
            widths = tuple(int(b.shape[-1]) for b in blocks)
            d_c0, d_blocks = time_loop(backward_step, d_last, xs, widths, reverse=True)
            d_kernel = cell.recurrent_kernel_gradient(
                side_by_side(d_blocks),
                c_prevs,
                dict(zip(names, residuals, strict=True)),
                **dropout,
            )
            d_masks = tuple(ops.zeros_like(m) for m in masks)
            return d_c0, d_kernel, ops.zeros_like(keep), *d_blocks, *d_masks

        if not keep_all:
            return c_last, grad
        states = ops.concatenate([c_prevs[1:], c_last[None]], axis=0)
        return (c_last, states), grad

    # A tensor, not the variable: TensorFlow would then want a gradient for `variables`.
    outputs = recurrence(c0, ops.copy(cell.recurrent_kernel), keep, *blocks, *masks)
    return outputs if keep_all else (outputs, None)


def sum_over_time_and_batch(left, right):
    """Σ_t left⟨t⟩ᵀ right⟨t⟩ for (time, batch, m) and (time, batch, n): one (m, n) product,
    what a cell's `recurrent_kernel_gradient` builds ∂U from."""
    left = ops.reshape(left, (-1, ops.shape(left)[-1]))
    return ops.matmul(ops.transpose(left), ops.reshape(right, (-1, ops.shape(right)[-1])))
