"""Measuring every row of a run of the speed benchmark, and what follows from the times.

One process measures every row on one Keras backend (plus `torch.nn.GRU` where
torch is installed), so the ratios to `keras.GRU(reset_after=False)` hold on a
noisy machine. At each point (T, batch, units) every configuration is compiled
and warmed up first, then all are timed together (`benchmarks.speed.timing`).
From the times: throughputs, achieved FLOP/s against the backend's matrix-product
rate, the memory floor, ratios to the reference row, and lines fitted against T.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import sys

import keras
import numpy as np

from benchmarks.speed.rows import REFERENCE_ROW
from benchmarks.speed.settings import Settings
from benchmarks.speed.timing import (
    Point,
    Ready,
    matmul_gflop_per_s,
    prepare_keras,
    prepare_torch,
    time_interleaved,
)


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def measurements(settings: Settings, log=print) -> list[dict]:
    """Every (point, row, jit) of `settings`, measured in this process, with ratios.

    At each point every configuration is compiled and warmed up first, then all are
    timed together, round by round (see `benchmarks.speed.timing`)."""
    backend = keras.backend.backend()
    with_torch = torch_available()
    rows_by_name = {row.name: row for row in settings.rows}
    results = []
    for point in settings.points():
        records, ready = [], []
        for row in settings.rows:
            if row.framework == "torch":
                configurations = [(False, "torch")] if with_torch else []
            else:
                configurations = [(jit, backend) for jit in settings.jit]
            for jit, row_backend in configurations:
                record = {
                    "row": row.name, "backend": row_backend, "jit": "on" if jit else "off",
                    "jit_requested": "on" if jit else "off", **dataclasses.asdict(point),
                }  # fmt: skip
                try:
                    if row.framework == "torch":
                        prepared = prepare_torch(row, point, settings.budget)
                    else:
                        prepared = prepare_keras(row, point, jit, settings.budget)
                except Exception as error:  # One row failing (e.g. out of memory) is a result.
                    prepared = {"status": "error", "error": describe(error)}
                if isinstance(prepared, Ready):
                    prepared.result = {**record, **prepared.result}
                    ready.append(prepared)
                    records.append(prepared.result)
                else:
                    records.append({**record, **prepared})

        def failed(row: Ready, error: Exception) -> None:
            row.result.update(status="error", error=describe(error))

        time_interleaved(ready, settings.budget, failed)
        keras.backend.clear_session()
        for record in records:
            results.append(derived(record, rows_by_name[record["row"]], point))
            log(progress_line(record))
    add_ratios(results)
    return results


def describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def derived(record: dict, row, point: Point) -> dict:
    """Throughputs, achieved FLOP/s and the memory floor from the raw times."""
    forward_flops = row.flops(point.features, point.units) * point.T * point.batch
    # What the training step must hold at least: inputs and the states it
    # differentiates through, and weights with their gradients (float32).
    floor = 4 * (
        point.batch * point.T * (point.features + point.units) + 2 * record.get("params", 0)
    )
    record["memory_floor_mb"] = floor / 1e6
    if record.get("peak_memory_mb"):
        record["memory_over_floor"] = record["peak_memory_mb"] / record["memory_floor_mb"]
    if record.get("status") != "ok":
        return record
    record["train_seq_per_s"] = point.batch / record["train_step_s"]
    record["forward_seq_per_s"] = point.batch / record["forward_step_s"]
    record["train_gflop_per_s"] = 3 * forward_flops / record["train_step_s"] / 1e9
    record["forward_gflop_per_s"] = forward_flops / record["forward_step_s"] / 1e9
    return record


def add_ratios(results: list[dict]) -> None:
    """ratio: train throughput over the reference row's at the same backend, jit, T, batch,
    units; for rows of another framework (PyTorch), over the reference's compiled (or else
    uncompiled) measurement at the same T, batch and units."""
    references = {
        (r["backend"], r["jit_requested"], r["T"], r["batch"], r["units"]): r
        for r in results
        if r["row"] == REFERENCE_ROW and r.get("status") == "ok"
    }
    keras_backends = {r["backend"] for r in results if r["row"] == REFERENCE_ROW}
    for r in results:
        if r.get("status") != "ok":
            continue
        size = (r["T"], r["batch"], r["units"])
        keys = [(r["backend"], r["jit_requested"], *size)]
        if r["backend"] not in keras_backends:
            keys = [(b, jit, *size) for b in sorted(keras_backends) for jit in ("on", "off")]
        reference = next((references[k] for k in keys if k in references), None)
        if reference is not None:
            r["ratio"] = r["train_seq_per_s"] / reference["train_seq_per_s"]
            r["ratio_to"] = f"{REFERENCE_ROW} {reference['backend']} jit={reference['jit']}"


def progress_line(record: dict) -> str:
    where = f"T={record['T']} batch={record['batch']} units={record['units']}"
    what = f"{record['row']} [{record['backend']}, jit {record['jit']}]"
    if record.get("status") != "ok":
        detail = record.get("error") or f"max error {record.get('gate_max_error')}"
        return f"  {where}  {what}: {record.get('status')} ({detail})"
    return f"  {where}  {what}: {record['train_seq_per_s']:.0f} seq/s training"


def fits(results: list[dict]) -> list[dict]:
    """Training step time (and peak memory) against T: a least-squares line per row setting."""
    groups: dict = {}
    for r in results:
        if r.get("status") == "ok":
            key = (r["row"], r["backend"], r["jit"], r["batch"], r["units"])
            groups.setdefault(key, []).append(r)
    lines = []
    for (row, backend, jit, batch, units), members in groups.items():
        if len({m["T"] for m in members}) < 2:
            continue
        T = np.array([m["T"] for m in members], float)
        line = {"row": row, "backend": backend, "jit": jit, "batch": batch, "units": units}
        line["T_values"] = " ".join(str(int(t)) for t in T)
        for name, values in (
            ("step_ms", [1e3 * m["train_step_s"] for m in members]),
            ("memory_mb", [m.get("peak_memory_mb") for m in members]),
        ):
            if any(v is None for v in values):
                continue
            slope, intercept = np.polyfit(T, values, 1)
            residual = np.asarray(values) - (slope * T + intercept)
            spread = np.sum((np.asarray(values) - np.mean(values)) ** 2)
            line[f"{name}_per_T"] = float(slope)
            line[f"{name}_at_T0"] = float(intercept)
            line[f"{name}_r2"] = float(1 - np.sum(residual**2) / spread) if spread > 0 else 1.0
        lines.append(line)
    return lines


def environment(settings: Settings) -> dict:
    """Where the numbers come from: device, backend, versions, XLA flags, settings."""
    backend = keras.backend.backend()
    versions = {"python": platform.python_version(), "keras": keras.__version__}
    versions["numpy"] = np.__version__
    for module in ("tensorflow", "jax", "jaxlib", "torch"):
        if module in sys.modules:
            versions[module] = getattr(sys.modules[module], "__version__", "?")
    device = f"CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} logical cores"
    if backend == "jax":
        import jax

        device = f"{jax.devices()[0].device_kind} ({jax.devices()[0].platform}); " + device
    elif backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        if gpus:
            details = tf.config.experimental.get_device_details(gpus[0])
            device = f"{details.get('device_name', 'GPU')} (gpu); " + device
    return {
        "command": "python -m benchmarks.speed " + " ".join(sys.argv[1:]),
        "backend": backend,
        "device": device,
        "versions": versions,
        "xla_flags": {k: os.environ.get(k) for k in ("XLA_FLAGS", "TF_XLA_FLAGS")},
        "allocator_flags": {
            k: os.environ.get(k) for k in ("TF_CPU_ALLOCATOR_USE_BFC", "TF_ENABLE_ONEDNN_OPTS")
        },
        "matmul_gflop_per_s": matmul_gflop_per_s(),
        "settings": {
            "T": settings.T, "batch": settings.batch, "units": settings.units,
            "features": settings.features or "= units",
            "jit": ["on" if j else "off" for j in settings.jit],
            "rows": [row.name for row in settings.rows],
            "budget": dataclasses.asdict(settings.budget),
            "training step": "forward, MSE on Dense(1) over the last state, backward, SGD",
        },
    }  # fmt: skip


def benchmark(settings: Settings, log=print) -> tuple[list[dict], list[dict], dict]:
    """(measurements, fits, environment) of one run of `settings`."""
    env = environment(settings)
    results = measurements(settings, log=log)
    for r in results:
        if r.get("train_gflop_per_s"):
            r["flop_fraction"] = r["train_gflop_per_s"] / env["matmul_gflop_per_s"]
    return results, fits(results), env
