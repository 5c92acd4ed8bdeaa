"""The speed benchmark's rows, as data: what is built, what it must equal, what it costs.

A row names a sequence layer (or a PyTorch module), how to build it from
``(features, units)``, the forward FLOPs per sequence and timestep, and for the
zoo's rows the independent NumPy reference its outputs must equal before it is
timed. Adding a row is adding a `Row` to `ROWS`; the timing code never changes.

FLOPs count the matrix products (2 per multiply-add), forward only: a GRU does
3 gate blocks of H·(H+D) multiply-adds per step, 6·H·(H+D) FLOPs; the simplified
GRU 4·H·(H+D); an LSTM 8·H·(H+D); minGRU, with no recurrent product, 4·H·D.
Training costs about 3× the forward.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Callable

import keras
import numpy as np

import zoo

REFERENCE_ROW = "keras.GRU(reset_after=False)"


@dataclasses.dataclass(frozen=True)
class Row:
    """One benchmarked layer.

    Attributes:
        name: Stable name, used in the table and the CSV (``zoo.GRU``, …).
        build: ``build(features, units)`` → an unbuilt Keras sequence layer
            returning its last state (or, for ``framework="torch"``, a module).
        flops: ``flops(features, units)`` → forward FLOPs per sequence per timestep.
        reference: ``reference(cell, x)`` → the last state (B, H) in NumPy from the
            cell's weights, for the correctness gate; ``None`` for the reference
            implementations themselves (Keras's and PyTorch's layers).
        framework: ``"keras"`` (measured on the process's Keras backend) or ``"torch"``.
    """

    name: str
    build: Callable
    flops: Callable[[int, int], int]
    reference: Callable | None = None
    framework: str = "keras"


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def weights_of(cell):
    return [np.asarray(w, np.float64) for w in (cell.kernel, cell.recurrent_kernel, cell.bias)]


def reference_gru(cell, x):
    """The course's GRU (Γr before the product), step by step in NumPy."""
    kernel, recurrent, bias = weights_of(cell)
    units = recurrent.shape[0]
    c = np.zeros((x.shape[0], units))
    for t in range(x.shape[1]):
        projected = x[:, t] @ kernel + bias
        gates = sigmoid(projected[:, : 2 * units] + c @ recurrent[:, : 2 * units])
        update, reset = gates[:, :units], gates[:, units:]
        candidate = np.tanh(projected[:, 2 * units :] + (reset * c) @ recurrent[:, 2 * units :])
        c = update * candidate + (1 - update) * c
    return c


def reference_simplified_gru(cell, x):
    """The GRU without reset gate, step by step in NumPy."""
    kernel, recurrent, bias = weights_of(cell)
    units = recurrent.shape[0]
    c = np.zeros((x.shape[0], units))
    for t in range(x.shape[1]):
        preactivation = x[:, t] @ kernel + bias + c @ recurrent
        update, candidate = sigmoid(preactivation[:, :units]), np.tanh(preactivation[:, units:])
        c = update * candidate + (1 - update) * c
    return c


def reference_min_gru(cell, x):
    """minGRU, sequentially in NumPy (g(v) = v + 0.5 for v ≥ 0, σ(v) otherwise)."""
    kernel, bias = np.asarray(cell.kernel, np.float64), np.asarray(cell.bias, np.float64)
    units = bias.shape[0] // 2
    c = np.zeros((x.shape[0], units))
    for t in range(x.shape[1]):
        projected = x[:, t] @ kernel + bias
        update, v = sigmoid(projected[:, :units]), projected[:, units:]
        candidate = np.where(v >= 0, np.maximum(v, 0) + 0.5, sigmoid(v))
        c = update * candidate + (1 - update) * c
    return c


def torch_gru(features, units):
    import torch  # Only when the torch row runs: the Keras rows never need it.

    return torch.nn.GRU(features, units, batch_first=True)


def gru_flops(features, units):
    return 6 * units * (units + features)


def simplified_gru_flops(features, units):
    return 4 * units * (units + features)


ROWS = (
    Row("zoo.GRU", lambda d, h: zoo.GRU(h), gru_flops, reference_gru),
    Row(
        "zoo.SimplifiedGRU",
        lambda d, h: zoo.SimplifiedGRU(h),
        simplified_gru_flops,
        reference_simplified_gru,
    ),
    Row(
        "keras.RNN(zoo.GRUCell)",
        lambda d, h: keras.layers.RNN(zoo.GRUCell(h)),
        gru_flops,
        reference_gru,
    ),
    Row(
        "keras.RNN(zoo.SimplifiedGRUCell)",
        lambda d, h: keras.layers.RNN(zoo.SimplifiedGRUCell(h)),
        simplified_gru_flops,
        reference_simplified_gru,
    ),
    Row(REFERENCE_ROW, lambda d, h: keras.layers.GRU(h, reset_after=False), gru_flops),
    Row("keras.GRU()", lambda d, h: keras.layers.GRU(h), gru_flops),
    Row("keras.LSTM", lambda d, h: keras.layers.LSTM(h), lambda d, h: 8 * h * (h + d)),
    Row("zoo.MinGRU", lambda d, h: zoo.MinGRU(h), lambda d, h: 4 * h * d, reference_min_gru),
    Row("torch.nn.GRU", torch_gru, gru_flops, framework="torch"),
)


def select_rows(patterns, rows=ROWS):
    """The rows whose name matches one of the glob ``patterns``, in `rows` order,
    plus the reference row every ratio needs. Raises `ValueError` naming the bad pattern."""
    chosen = []
    for pattern in patterns:
        matched = [row for row in rows if fnmatch.fnmatchcase(row.name, pattern)]
        if not matched:
            names = ", ".join(row.name for row in rows)
            raise ValueError(f"--rows: no row matches {pattern!r}; rows are: {names}")
        chosen.extend(matched)
    return [row for row in rows if row in chosen or row.name == REFERENCE_ROW]
