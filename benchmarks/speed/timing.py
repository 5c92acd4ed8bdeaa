"""Measuring one point of the speed benchmark: a row at one (T, batch, units, jit).

The correctness gate runs first; a row that fails it is reported, never timed.
Then the training step (forward, MSE loss on a Dense(1) head over the last
state, backward, SGD update) and the forward alone are each called once (that
call's time minus a step's is the compile time) and warmed up. All the rows of
a point are then timed together, in rounds: each round times a few steps of
every row in turn, over rotating input batches, so a slow spell of a shared
machine slows every row alike; the median step counts.

Peak memory of the training step, by what each backend can tell (``memory_source``):
``xla-compiled`` on JAX with jit, the compiled step's buffers as XLA assigned them
(arguments, outputs and temporaries, less what outputs reuse of donated arguments);
``allocator GPU:0`` / ``allocator CPU:0`` on TensorFlow, its allocator's peak
during the first calls and warm-up (on CPU, the BFC allocator that ``benchmarks.speed``
asks TensorFlow for, so that it keeps statistics on every CPU; oneDNN's allocator,
the default on CPUs with AVX-512 VNNI, counts only allocations of 256 KiB and
more); ``allocator cuda`` for PyTorch on a GPU; else
``rss-growth``, the growth of the process's resident memory meanwhile, sampled
every 2 milliseconds (a lower bound).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import random
import statistics
import threading
import time
from collections.abc import Callable

import keras
import numpy as np

GATE_BATCH, GATE_TIME, GATE_TOLERANCE = 4, 24, 1e-4
ROTATING_BATCHES = 3


@dataclasses.dataclass(frozen=True)
class Point:
    """Where a row is measured: sequence length, batch, state and input sizes."""

    T: int
    batch: int
    units: int
    features: int


@dataclasses.dataclass(frozen=True)
class Budget:
    """How long each of training and forward is timed, per row: at least `min_steps`
    and `min_time` seconds, at most `max_steps`, after `warmup` untimed steps, spread
    over `rounds` rounds."""

    min_time: float = 1.0
    min_steps: int = 5
    max_steps: int = 50
    warmup: int = 2
    rounds: int = 5


def first_call_seconds(step) -> float:
    begin = time.perf_counter()
    step(0)
    return time.perf_counter() - begin


def resident_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


@dataclasses.dataclass
class Ready:
    """A row at a point, compiled and warmed up: what is left is to time it."""

    result: dict
    train: object
    forward: object
    first_train_s: float
    first_forward_s: float
    train_times: list = dataclasses.field(default_factory=list)
    forward_times: list = dataclasses.field(default_factory=list)


def get_ready(result: dict, train, forward, budget: Budget, counter) -> Ready:
    """Calls each step once (compiling it), warms both up, and measures the peak memory
    of the training steps meanwhile (`counter`: a MemoryCounter, or None)."""
    with PeakMemory(counter) as memory:
        first_train = first_call_seconds(train)
        for i in range(budget.warmup):
            train(i)
    first_forward = first_call_seconds(forward)
    for i in range(budget.warmup):
        forward(i)
    result = {**result, "peak_memory_mb": memory.megabytes, "memory_source": memory.source}
    return Ready(result, train, forward, first_train, first_forward)


def time_interleaved(rows: list[Ready], budget: Budget, on_error) -> None:
    """Times the training and forward steps of `rows` round by round (see the module's
    docstring) and completes each row's result. A row whose step raises is passed to
    ``on_error(row, error)`` and left out of the later rounds."""
    rounds = max(budget.rounds, 1)
    per_round = dataclasses.replace(
        budget,
        min_time=budget.min_time / rounds,
        min_steps=-(-budget.min_steps // rounds),
        max_steps=max(budget.max_steps // rounds, 1),
    )
    alive = list(rows)
    for _ in range(rounds):
        for row in list(alive):
            try:
                row.train_times += step_times(row.train, per_round, len(row.train_times))
                row.forward_times += step_times(row.forward, per_round, len(row.forward_times))
            except Exception as error:  # One row failing (e.g. out of memory) is a result.
                alive.remove(row)
                on_error(row, error)
    for row in alive:
        train_step = statistics.median(row.train_times)
        forward_step = statistics.median(row.forward_times)
        row.result.update(
            train_step_s=train_step,
            forward_step_s=forward_step,
            compile_train_s=max(row.first_train_s - train_step, 0.0),
            compile_forward_s=max(row.first_forward_s - forward_step, 0.0),
        )


def step_times(step, budget: Budget, start: int) -> list[float]:
    """Wall times of `step(i)` for i = start, start + 1, … within `budget` (one round)."""
    times, started = [], time.perf_counter()
    while len(times) < budget.max_steps and (
        len(times) < budget.min_steps or time.perf_counter() - started < budget.min_time
    ):
        begin = time.perf_counter()
        step(start + len(times))
        times.append(time.perf_counter() - begin)
    return times


@dataclasses.dataclass(frozen=True)
class MemoryCounter:
    """A device allocator's peak counter: `reset()` it, `read_peak()` in bytes."""

    source: str
    reset: Callable[[], None]
    read_peak: Callable[[], int]


class PeakMemory:
    """Context manager: `.megabytes` used at the peak inside it, and `.source`.

    With a MemoryCounter, its peak (reset on entry); else ``rss-growth``: the
    resident set's peak minus its size on entry, a lower bound once an allocator
    reuses freed memory.
    """

    def __init__(self, counter: MemoryCounter | None = None):
        self.counter = counter
        self.megabytes, self.source = None, None

    def __enter__(self):
        if self.counter:
            self.counter.reset()
            return self
        self.start = resident_bytes()
        self.peak, self.stop = self.start, threading.Event()
        if self.start is not None:
            self.sampler = threading.Thread(target=self.sample, daemon=True)
            self.sampler.start()
        return self

    def sample(self):
        while not self.stop.wait(0.002):
            self.peak = max(self.peak, resident_bytes() or 0)

    def __exit__(self, *exc):
        if self.counter:
            self.megabytes, self.source = self.counter.read_peak() / 1e6, self.counter.source
        elif self.start is not None:
            self.stop.set()
            self.sampler.join()
            self.peak = max(self.peak, resident_bytes() or 0)
            self.megabytes, self.source = (self.peak - self.start) / 1e6, "rss-growth"
        return False


def keras_memory_counter() -> MemoryCounter | None:
    """The Keras backend's allocator peak: TensorFlow's for its GPU, else its CPU; JAX's
    for a GPU (which cannot be reset: the process's peak so far); None where there is none."""
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf  # Only on the TensorFlow backend.

        device = "GPU:0" if tf.config.list_logical_devices("GPU") else "CPU:0"
        try:
            tf.config.experimental.get_memory_info(device)
        except (ValueError, RuntimeError):  # An allocator that keeps no statistics.
            return None
        return MemoryCounter(
            f"allocator {device}",
            lambda: tf.config.experimental.reset_memory_stats(device),
            lambda: tf.config.experimental.get_memory_info(device)["peak"],
        )
    if keras.backend.backend() == "jax":
        import jax

        device = jax.devices()[0]
        stats = device.memory_stats() if device.platform != "cpu" else None
        if not stats or "peak_bytes_in_use" not in stats:
            return None
        return MemoryCounter(
            f"allocator {device.platform}, process peak so far",
            lambda: None,
            lambda: device.memory_stats()["peak_bytes_in_use"],
        )
    return None


def compiled_train_step_bytes(model, inputs, targets) -> int:
    """Bytes XLA assigns to `model`'s training step (JAX backend): arguments, outputs and
    temporaries, less the outputs written over donated arguments. The step is Keras's own
    `train_step`, compiled as Keras's JAX trainer compiles it (state donated)."""
    import jax  # Only on the JAX backend.

    state = tuple(
        [variable.value for variable in variables]
        for variables in (
            model.trainable_variables,
            model.non_trainable_variables,
            model.optimizer.variables,
            model.metrics_variables,
        )
    )
    lowered = jax.jit(model.train_step, donate_argnums=0).lower(state, (inputs, targets, None))
    usage = lowered.compile().memory_analysis()
    return (
        usage.argument_size_in_bytes
        + usage.output_size_in_bytes
        + usage.temp_size_in_bytes
        - usage.alias_size_in_bytes
    )


def gate(row, layer, features, rng) -> tuple[bool, float]:
    """Whether `layer` (built) computes `row.reference` on a small probe, and the max error."""
    x = rng.normal(size=(GATE_BATCH, GATE_TIME, features)).astype("float32")
    actual = keras.ops.convert_to_numpy(layer(x)).astype(np.float64)
    try:
        expected = row.reference(layer.cell, x.astype(np.float64))
    except ValueError:  # Weights that do not fit the reference's layout.
        return False, float("inf")
    if actual.shape != expected.shape:
        return False, float("inf")
    error = float(np.max(np.abs(actual - expected)))
    return bool(error <= GATE_TOLERANCE * (1 + np.max(np.abs(expected)))), error


def batches(point: Point, rng):
    shape = (point.batch, point.T, point.features)
    return [
        (
            rng.normal(size=shape).astype("float32"),
            rng.normal(size=(point.batch, 1)).astype("float32"),
        )
        for _ in range(ROTATING_BATCHES)
    ]


@functools.lru_cache(maxsize=1)
def keras_batches(point: Point) -> list[tuple]:
    """The rotating (inputs, targets) batches of a point, as backend tensors, made once
    for all the Keras rows of the point (they are timed side by side)."""
    return [
        tuple(keras.ops.convert_to_tensor(a) for a in pair)
        for pair in batches(point, np.random.default_rng(1))
    ]


def prepare_keras(row, point: Point, jit: bool, budget: Budget) -> Ready | dict:
    """One Keras row at one point and jit setting, ready to time; or, when it fails the
    correctness gate, its result."""
    # Not keras.utils.set_random_seed: it imports TensorFlow whenever installed.
    random.seed(0)  # Keras's default initializer seeds come from Python's `random`.
    rng = np.random.default_rng(0)
    inputs = keras.Input((point.T, point.features))
    layer = row.build(point.features, point.units)
    model = keras.Model(inputs, keras.layers.Dense(1)(layer(inputs)))
    result = {"status": "ok", "gate_max_error": None, "params": model.count_params()}
    if row.reference is not None:
        passed, result["gate_max_error"] = gate(row, layer, point.features, rng)
        if not passed:
            return {**result, "status": "failed"}
    model.compile(optimizer="sgd", loss="mse", jit_compile=jit)
    data = keras_batches(point)

    def train(i):
        model.train_on_batch(*data[i % len(data)])

    def forward(i):
        model.predict_on_batch(data[i % len(data)][0])

    ready = get_ready(result, train, forward, budget, keras_memory_counter())
    # What actually ran: Keras falls back to jit_compile=False for some layers.
    ready.result["jit"] = "on" if model.jit_compile else "off"
    if keras.backend.backend() == "jax" and model.jit_compile:
        ready.result["peak_memory_mb"] = compiled_train_step_bytes(model, *data[0]) / 1e6
        ready.result["memory_source"] = "xla-compiled"
    return ready


def prepare_torch(row, point: Point, budget: Budget) -> Ready:
    """One PyTorch row (eager) at one point, on CUDA where available, ready to time."""
    import torch

    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    recurrent = row.build(point.features, point.units).to(device)
    head = torch.nn.Linear(point.units, 1).to(device)
    parameters = [*recurrent.parameters(), *head.parameters()]
    optimizer = torch.optim.SGD(parameters, lr=0.01)
    data = [
        tuple(torch.from_numpy(a).to(device) for a in pair)
        for pair in batches(point, np.random.default_rng(0))
    ]
    synchronize = torch.cuda.synchronize if device == "cuda" else (lambda: None)

    def train(i):
        x, y = data[i % len(data)]
        optimizer.zero_grad(set_to_none=True)
        loss = torch.mean((head(recurrent(x)[0][:, -1]) - y) ** 2)
        loss.backward()
        optimizer.step()
        synchronize()

    def forward(i):
        with torch.inference_mode():
            head(recurrent(data[i % len(data)][0])[0][:, -1])
        synchronize()

    counter = None
    if device == "cuda":
        counter = MemoryCounter(
            "allocator cuda", torch.cuda.reset_peak_memory_stats, torch.cuda.max_memory_allocated
        )
    result = {"status": "ok", "gate_max_error": None, "jit": "off"}
    result["params"] = sum(p.numel() for p in parameters)
    return get_ready(result, train, forward, budget, counter)


def matmul_gflop_per_s(size=1024, repeats=5) -> float:
    """The backend's best float32 (size × size) matrix product rate: the FLOP ceiling used."""
    a = keras.random.normal((size, size), seed=0)
    keras.ops.convert_to_numpy(keras.ops.matmul(a, a)[0, 0])
    best = float("inf")
    for _ in range(repeats):
        begin = time.perf_counter()
        keras.ops.convert_to_numpy(keras.ops.matmul(a, a)[0, 0])
        best = min(best, time.perf_counter() - begin)
    return 2 * size**3 / best / 1e9
