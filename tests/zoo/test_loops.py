"""zoo.loops.time_loop, in whichever form the backend runs it (eager, traced, under XLA),
computes the carry and per-step outputs of a plain Python loop, forwards and in reverse,
keeping several outputs, one shaped like the carry, or none, and differentiates as the
unrolled loop does."""

import keras
import numpy as np
import pytest
from keras import ops

from zoo.loops import time_loop

FORMS = {"tensorflow": ["eager", "graph", "xla"], "jax": ["eager", "jit"]}.get(
    keras.backend.backend(), ["eager"]
)
KEPT = {"several": (2, 3), "like_the_carry": (2,), "none": ()}


def step(kept):
    """c⟨t⟩ = tanh(c⟨t−1⟩/2 + a⟨t⟩), keeping `kept` of (c⟨t⟩, b⟨t⟩ c⟨t⟩₀)."""

    def step(carry, xs_t):
        a_t, b_t = xs_t
        carry = ops.tanh(0.5 * carry + a_t)
        return carry, (carry, b_t * carry[:, :1])[: len(KEPT[kept])]

    return step


def unrolled(kept, carry, a, b, reverse):
    ys = []
    for t in reversed(range(a.shape[0])) if reverse else range(a.shape[0]):
        carry, ys_t = step(kept)(carry, (a[t], b[t]))
        ys.append(ys_t)
    ys = ys[::-1] if reverse else ys
    return carry, tuple(ops.stack(y, axis=0) for y in zip(*ys, strict=True))


def in_form(function, form):
    if form == "eager":
        return function
    if keras.backend.backend() == "jax":
        import jax

        return jax.jit(function)
    import tensorflow as tf

    return tf.function(function, jit_compile=form == "xla")


def loss_and_gradient(run, form, inputs):
    """sum(carry) + sum(sin(ys)) and its gradient with respect to `inputs`."""

    def loss(*inputs):
        carry, ys = run(*inputs)
        return ops.sum(carry) + sum(ops.sum(ops.sin(y)) for y in ys)

    if keras.backend.backend() == "jax":
        import jax

        return in_form(jax.value_and_grad(loss, argnums=(0, 1, 2)), form)(*inputs)
    import tensorflow as tf

    def value_and_gradient(*inputs):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            value = loss(*inputs)
        gradients = tape.gradient(value, inputs, unconnected_gradients="zero")
        return value, [tf.convert_to_tensor(gradient) for gradient in gradients]

    return in_form(value_and_gradient, form)(*inputs)


@pytest.mark.skipif(keras.backend.backend() not in ("tensorflow", "jax"), reason="autodiff here")
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("kept", KEPT)
@pytest.mark.parametrize("reverse", [False, True])
def test_time_loop_runs_and_differentiates_as_the_unrolled_loop(form, kept, reverse):
    rng = np.random.default_rng(0)
    inputs = [
        ops.convert_to_tensor(rng.normal(size=shape).astype("float32"))
        for shape in [(3, 2), (5, 3, 2), (5, 3, 3)]
    ]

    def looped(carry, a, b):
        return time_loop(step(kept), carry, (a, b), KEPT[kept], reverse=reverse)

    carry, ys = in_form(looped, form)(*inputs)
    want_carry, want_ys = unrolled(kept, *inputs, reverse)
    np.testing.assert_allclose(carry, want_carry, atol=1e-6)
    assert len(ys) == len(want_ys)
    for y, want in zip(ys, want_ys, strict=True):
        np.testing.assert_allclose(y, want, atol=1e-6)
    value, gradients = loss_and_gradient(looped, form, inputs)
    want_value, want_gradients = loss_and_gradient(
        lambda *inputs: unrolled(kept, *inputs, reverse), "eager", inputs
    )
    np.testing.assert_allclose(value, want_value, atol=1e-5)
    for gradient, want in zip(gradients, want_gradients, strict=True):
        np.testing.assert_allclose(gradient, want, atol=1e-5)
