"""The course's equations in plain NumPy, one step at a time: the oracle for the zoo.

An independent transcription of the equations, used as the reference that the
tests (``tests/zoo/test_golden.py``) and the speed benchmark's correctness gate
(``benchmarks.speed``) compare the layers with. It imports only NumPy and none of
the zoo, and the layers never import it, so a mistake in a layer cannot hide by
being copied here.

Each function takes weights in zoo's layout (kernel (D, k·U), recurrent kernel
(U, k·U), bias), inputs x (B, T, D), an optional c⟨0⟩ (B, U) and an optional
mask (B, T), and returns a dict of (B, T, U) arrays, in float64: the state c⟨t⟩
under ``"state"`` and each gate and candidate under its name.
"""

import numpy as np


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def blocks(matrix, count):
    return np.split(np.asarray(matrix, np.float64), count, axis=-1)


def run(step, x, units, c0=None, mask=None):
    """Loops `step(x_t, c_prev) -> dict` over time; padded steps keep c, report 0."""
    batch, time, _ = x.shape
    c = np.zeros((batch, units)) if c0 is None else np.asarray(c0, np.float64)
    mask = np.ones((batch, time), bool) if mask is None else np.asarray(mask, bool)
    trace = []
    for t in range(time):
        quantities = step(np.asarray(x[:, t], np.float64), c)
        padded = ~mask[:, t, None]
        quantities = {name: np.where(padded, 0.0, value) for name, value in quantities.items()}
        c = quantities["state"] = np.where(padded, c, quantities["state"])
        trace.append(quantities)
    return {name: np.stack([q[name] for q in trace], axis=1) for name in trace[0]}


def gru(x, kernel, recurrent_kernel, bias, c0=None, mask=None, reset_after=False):
    """The GRU: Γu = σ(W_u x⟨t⟩ + U_u c⟨t−1⟩ + b_u), Γr likewise,
    c̃⟨t⟩ = tanh(W_c x⟨t⟩ + U_c (Γr ⊙ c⟨t−1⟩) + b_c), c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩.

    With ``reset_after`` (Keras's default layout, bias of shape (2, 3U)) Γr multiplies
    the recurrent product instead: c̃⟨t⟩ = tanh(W_c x⟨t⟩ + b_c + Γr ⊙ (U_c c⟨t−1⟩ + b_hc)).
    """
    W_u, W_r, W_c = blocks(kernel, 3)
    U_u, U_r, U_c = blocks(recurrent_kernel, 3)
    if reset_after:
        (b_u, b_r, b_c), (b_hu, b_hr, b_hc) = blocks(bias[0], 3), blocks(bias[1], 3)
    else:
        (b_u, b_r, b_c), b_hu, b_hr = blocks(bias, 3), 0.0, 0.0

    def step(x_t, c_prev):
        update = sigmoid(x_t @ W_u + c_prev @ U_u + b_u + b_hu)
        reset = sigmoid(x_t @ W_r + c_prev @ U_r + b_r + b_hr)
        if reset_after:
            candidate = np.tanh(x_t @ W_c + b_c + reset * (c_prev @ U_c + b_hc))
        else:
            candidate = np.tanh(x_t @ W_c + (reset * c_prev) @ U_c + b_c)
        state = update * candidate + (1 - update) * c_prev
        return {"update": update, "reset": reset, "candidate": candidate, "state": state}

    return run(step, x, U_u.shape[0], c0, mask)


def simplified_gru(x, kernel, recurrent_kernel, bias, c0=None, mask=None):
    """The GRU without Γr: c̃⟨t⟩ = tanh(W_c x⟨t⟩ + U_c c⟨t−1⟩ + b_c)."""
    W_u, W_c = blocks(kernel, 2)
    U_u, U_c = blocks(recurrent_kernel, 2)
    b_u, b_c = blocks(bias, 2)

    def step(x_t, c_prev):
        update = sigmoid(x_t @ W_u + c_prev @ U_u + b_u)
        candidate = np.tanh(x_t @ W_c + c_prev @ U_c + b_c)
        state = update * candidate + (1 - update) * c_prev
        return {"update": update, "candidate": candidate, "state": state}

    return run(step, x, U_u.shape[0], c0, mask)


def no_update_gate_gru(x, kernel, recurrent_kernel, bias, c0=None, mask=None):
    """The GRU without Γu (Γu = 1, reported as such): c⟨t⟩ = c̃⟨t⟩."""
    W_r, W_c = blocks(kernel, 2)
    U_r, U_c = blocks(recurrent_kernel, 2)
    b_r, b_c = blocks(bias, 2)

    def step(x_t, c_prev):
        reset = sigmoid(x_t @ W_r + c_prev @ U_r + b_r)
        candidate = np.tanh(x_t @ W_c + (reset * c_prev) @ U_c + b_c)
        update = np.ones_like(candidate)
        return {"update": update, "reset": reset, "candidate": candidate, "state": candidate}

    return run(step, x, U_r.shape[0], c0, mask)


def min_gru(x, kernel, bias, c0=None, mask=None):
    """minGRU: Γu = σ(W_u x⟨t⟩ + b_u), c̃⟨t⟩ = g(W_c x⟨t⟩ + b_c) with g(v) = v + ½ for v ≥ 0
    and σ(v) otherwise; no recurrent product."""
    W_u, W_c = blocks(kernel, 2)
    b_u, b_c = blocks(bias, 2)

    def g(v):
        return np.where(v >= 0, v + 0.5, sigmoid(v))

    def step(x_t, c_prev):
        update = sigmoid(x_t @ W_u + b_u)
        candidate = g(x_t @ W_c + b_c)
        state = update * candidate + (1 - update) * c_prev
        return {"update": update, "candidate": candidate, "state": state}

    return run(step, x, W_u.shape[1], c0, mask)
