"""The speed benchmark's rows, as data: what is built, what it must equal, what it costs.

A row names a sequence layer (or a PyTorch module), how to build it from
``(features, units)``, the forward FLOPs per sequence and timestep, and for the
zoo's rows the NumPy reference of the course's equations (`zoo.numpy_reference`)
its last state must equal before it is timed. Adding a row is adding a `Row` to
`ROWS`; the timing code never changes.

FLOPs count the matrix products (2 per multiply-add), forward only: a GRU does
3 gate blocks of H·(H+D) multiply-adds per step, 6·H·(H+D) FLOPs; the simplified
GRU 4·H·(H+D); an LSTM 8·H·(H+D); minGRU, with no recurrent product, 4·H·D.
Training costs about three times the forward (the backward pass is two products
for each product of the forward).
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Callable

import keras
import numpy as np

import zoo
from zoo import numpy_reference

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


def last_state(equations, *weight_names):
    """``reference(cell, x)``: the last state c⟨T⟩ (B, H) of `equations` (a function of
    `zoo.numpy_reference`) run on the cell's weights named `weight_names`."""

    def reference(cell, x):
        weights = [np.asarray(getattr(cell, name), np.float64) for name in weight_names]
        return equations(x, *weights)["state"][:, -1]

    return reference


reference_gru = last_state(numpy_reference.gru, "kernel", "recurrent_kernel", "bias")
reference_simplified_gru = last_state(
    numpy_reference.simplified_gru, "kernel", "recurrent_kernel", "bias"
)
reference_min_gru = last_state(numpy_reference.min_gru, "kernel", "bias")


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
