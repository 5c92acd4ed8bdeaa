# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 · The GRU from its equations
#
# One step of the gated recurrent unit, computed by hand in NumPy in the course's notation,
# then by `zoo.SimplifiedGRUCell` and `zoo.GRUCell`, matching to float32 precision. Then
# the two gate conventions side by side: the course's Γu = 1 *takes the candidate*, while
# Keras's and PyTorch's z = 1 *keeps the old state*.
#
# $$\tilde c^{\langle t\rangle} = \tanh(W_c x^{\langle t\rangle} + U_c(\Gamma_r \odot c^{\langle t-1\rangle}) + b_c)$$
# $$\Gamma_u = \sigma(W_u x^{\langle t\rangle} + U_u c^{\langle t-1\rangle} + b_u), \qquad
#   \Gamma_r = \sigma(W_r x^{\langle t\rangle} + U_r c^{\langle t-1\rangle} + b_r)$$
# $$c^{\langle t\rangle} = \Gamma_u \odot \tilde c^{\langle t\rangle} + (1-\Gamma_u)\odot c^{\langle t-1\rangle},
#   \qquad a^{\langle t\rangle} = c^{\langle t\rangle}$$
#
# (The code writes x⟨t⟩ as a row vector, so W x becomes `x @ W`.)

# %%
import keras
import numpy as np

import zoo

keras.utils.set_random_seed(0)  # the random Keras layers below: the same on every run
rng = np.random.default_rng(0)
input_dim, units = 3, 4
x = rng.normal(size=(1, input_dim)).astype("float32")  # x⟨t⟩, one sentence in the batch
c_prev = rng.uniform(-1, 1, size=(1, units)).astype("float32")  # c⟨t−1⟩

W_u, W_r, W_c = (rng.normal(scale=0.5, size=(input_dim, units)).astype("float32") for _ in range(3))
U_u, U_r, U_c = (rng.normal(scale=0.5, size=(units, units)).astype("float32") for _ in range(3))
b_u, b_r, b_c = (rng.normal(scale=0.1, size=(units,)).astype("float32") for _ in range(3))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# %% [markdown]
# ## The full GRU, by hand

# %%
gamma_u = sigmoid(x @ W_u + c_prev @ U_u + b_u)  # update gate Γu
gamma_r = sigmoid(x @ W_r + c_prev @ U_r + b_r)  # reset gate Γr
c_tilde = np.tanh(x @ W_c + (gamma_r * c_prev) @ U_c + b_c)  # candidate c̃⟨t⟩
c = gamma_u * c_tilde + (1 - gamma_u) * c_prev  # new memory c⟨t⟩
for name, value in [
    ("Γu", gamma_u),
    ("Γr", gamma_r),
    ("c̃⟨t⟩", c_tilde),
    ("c⟨t−1⟩", c_prev),
    ("c⟨t⟩", c),
]:
    print(f"{name:>7} = {np.array2string(value[0], precision=4)}")

# %% [markdown]
# Where Γu is close to 0 the unit keeps c⟨t−1⟩; where it is close to 1 it takes c̃⟨t⟩.
#
# ## The same step with `zoo.GRUCell`
#
# Its weights hold the three blocks side by side, in the order [update | reset | candidate]:
# `kernel` = [W_u | W_r | W_c], `recurrent_kernel` = [U_u | U_r | U_c], `bias` = [b_u | b_r | b_c].

# %%
cell = zoo.GRUCell(units)
cell.build((None, input_dim))
cell.set_weights(
    [
        np.concatenate([W_u, W_r, W_c], axis=1),
        np.concatenate([U_u, U_r, U_c], axis=1),
        np.concatenate([b_u, b_r, b_c]),
    ]
)
c_zoo, _ = cell(x, [c_prev])
print("zoo.GRUCell:", np.array2string(np.asarray(c_zoo)[0], precision=4))
print("largest difference from the hand computation:", float(np.max(np.abs(np.asarray(c_zoo) - c))))
np.testing.assert_allclose(np.asarray(c_zoo), c, atol=1e-6)

# %% [markdown]
# ## The simplified GRU: no reset gate
#
# The course's simplified GRU drops Γr: c̃⟨t⟩ = tanh(W_c x⟨t⟩ + U_c c⟨t−1⟩ + b_c). Its
# blocks are [update | candidate].

# %%
c_tilde_simple = np.tanh(x @ W_c + c_prev @ U_c + b_c)
c_simple = gamma_u * c_tilde_simple + (1 - gamma_u) * c_prev

simple_cell = zoo.SimplifiedGRUCell(units)
simple_cell.build((None, input_dim))
simple_cell.set_weights(
    [
        np.concatenate([W_u, W_c], axis=1),
        np.concatenate([U_u, U_c], axis=1),
        np.concatenate([b_u, b_c]),
    ]
)
c_simple_zoo, _ = simple_cell(x, [c_prev])
print("by hand:               ", np.array2string(c_simple[0], precision=4))
print("zoo.SimplifiedGRUCell: ", np.array2string(np.asarray(c_simple_zoo)[0], precision=4))
np.testing.assert_allclose(np.asarray(c_simple_zoo), c_simple, atol=1e-6)

# %% [markdown]
# ## Two conventions for the same gate
#
# Keras and PyTorch write h⟨t⟩ = z ⊙ h⟨t−1⟩ + (1 − z) ⊙ h̃⟨t⟩: their z = 1 *keeps* the old
# state, so z = 1 − Γu. Because σ(−a) = 1 − σ(a), converting a Keras GRU into the course's
# GRU only negates the update block of its weights and bias. `zoo.from_keras_gru` does that;
# below, a random Keras GRU and its conversion give the same outputs, and the traced Γu of
# the conversion is exactly 1 − z computed from Keras's own weights.

# %%
sequence = rng.normal(size=(2, 5, input_dim)).astype("float32")
keras_gru = keras.layers.GRU(units, reset_after=False, return_sequences=True)
keras_outputs = np.asarray(keras_gru(sequence))
course_gru = zoo.from_keras_gru(keras_gru)
print(
    "largest output difference:",
    float(np.max(np.abs(np.asarray(course_gru(sequence)) - keras_outputs))),
)
np.testing.assert_allclose(np.asarray(course_gru(sequence)), keras_outputs, atol=1e-5)

traced = zoo.trace(course_gru, sequence)[course_gru.name]
kernel, recurrent_kernel, bias = (np.asarray(w) for w in keras_gru.get_weights())
h_prev = np.vstack([np.zeros((1, units), "float32"), keras_outputs[0, :-1]])  # sentence 0
z = sigmoid(sequence[0] @ kernel[:, :units] + h_prev @ recurrent_kernel[:, :units] + bias[:units])
print("Keras z at step 0:     ", np.array2string(z[0], precision=4))
print("course Γu at step 0:   ", np.array2string(traced["update"][0, 0], precision=4))
print("largest |Γu − (1 − z)|:", float(np.max(np.abs(traced["update"][0] - (1 - z)))))
np.testing.assert_allclose(traced["update"][0], 1 - z, atol=1e-6)

# %% [markdown]
# PyTorch's `torch.nn.GRU` stores its gates in the order (r, z, n) with separate input and
# hidden biases, and applies the reset gate after the recurrent product (`reset_after=True`
# in Keras's terms). `zoo.from_torch_gru` converts it the same way.

# %%
try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None
if torch is not None:
    torch.manual_seed(0)
    torch_gru = torch.nn.GRU(input_dim, units, batch_first=True)
    with torch.no_grad():
        torch_outputs, _ = torch_gru(torch.from_numpy(sequence))
    from_torch = zoo.from_torch_gru(torch_gru)
    difference = np.max(np.abs(np.asarray(from_torch(sequence)) - torch_outputs.numpy()))
    print("largest difference from torch.nn.GRU:", float(difference))
    assert difference < 1e-5
