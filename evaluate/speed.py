"""Training and forward speed of the zoo's sequence layers against Keras's and PyTorch's GRUs.

    python -m evaluate speed --quick --out reports/speed-quick        # < 2 min on 2 CPU cores
    python -m evaluate speed --out reports/speed                      # default grid (~10 min on 2 cores)
    KERAS_BACKEND=jax python -m evaluate speed --out reports/speed-jax
    python -m evaluate speed --full --out reports/speed-full          # T 10…1000, batch 32…1024, units 64, 256
    python -m evaluate speed --T 40,200 --batch 32 --units 64 --jit on --rows 'zoo.*' --out /tmp/s

One process measures every row on one Keras backend (plus `torch.nn.GRU` where
torch is installed), so the ratios to `keras.GRU(reset_after=False)` hold on a
noisy machine. Rows are data (`evaluate.speed_rows`); each zoo row must first
equal its NumPy reference (the correctness gate) or it is reported as failed
and not timed. Writes to ``--out``: ``speed.csv`` (one line per measurement),
``fits.csv`` (training step time and peak memory against T, linear fits), ``speed.png``
(training step time against T), ``table.md`` and ``environment.json`` (device,
backend, library versions, XLA flags, settings). Imports neither TensorFlow
(except on the TensorFlow backend), nor ``train`` nor ``datasets``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import sys

import keras
import numpy as np

from evaluate import plots
from evaluate.cli import InputError, int_list, positive_int
from evaluate.outputs import csv_text, write_outputs
from evaluate.speed_rows import REFERENCE_ROW, ROWS, select_rows
from evaluate.speed_timing import (
    Budget,
    Point,
    Ready,
    matmul_gflop_per_s,
    prepare_keras,
    prepare_torch,
    time_interleaved,
)

JIT_CHOICES = {"on": True, "off": False}
# JAX without jit runs op by op, which nobody trains with: measured only when asked.
DEFAULT_JIT = {"tensorflow": "on,off", "jax": "on"}
GRIDS = {  # name: (T, batch, units, budget)
    "quick": ((10, 40), (32,), (64,), Budget(min_time=0.2, min_steps=3, max_steps=10, warmup=1)),
    "default": ((10, 40, 200), (32, 128), (64,), Budget(min_time=1.0)),
    "full": ((10, 40, 200, 1000), (32, 128, 1024), (64, 256), Budget(min_time=1.0)),
}
COLUMNS = [
    "row", "backend", "jit", "jit_requested", "T", "batch", "units", "features", "status",
    "gate_max_error", "train_seq_per_s", "ratio", "ratio_to", "forward_seq_per_s",
    "train_step_s", "forward_step_s", "compile_train_s", "compile_forward_s",
    "train_gflop_per_s", "forward_gflop_per_s", "flop_fraction", "peak_memory_mb",
    "memory_source", "memory_floor_mb", "memory_over_floor", "params", "error",
]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Settings:
    """One benchmark run: the grid, which rows, which jit settings, the timing budget."""

    T: tuple[int, ...]
    batch: tuple[int, ...]
    units: tuple[int, ...]
    features: int | None  # None: as many input features as units.
    jit: tuple[bool, ...]
    rows: tuple = ROWS
    budget: Budget = Budget()

    def points(self):
        for units in self.units:
            for batch in self.batch:
                for T in self.T:
                    yield Point(T, batch, units, self.features or units)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--out", default="reports/speed", metavar="DIR", help="(default: %(default)s)"
    )
    grid = parser.add_mutually_exclusive_group()
    grid.add_argument(
        "--quick", action="store_true", help="T 10,40, batch 32, units 64, short timing"
    )
    grid.add_argument("--full", action="store_true", help="T 10…1000, batch 32…1024, units 64,256")
    parser.add_argument(
        "--T", type=int_list, help="sequence lengths, e.g. 40,200 (default: the grid's)"
    )
    parser.add_argument("--batch", type=int_list, help="batch sizes (default: the grid's)")
    parser.add_argument("--units", type=int_list, help="state sizes (default: the grid's)")
    parser.add_argument("--features", type=positive_int, help="input features (default: = units)")
    parser.add_argument(
        "--jit", help="comma-separated from on,off (default: on,off on TensorFlow, on on JAX)"
    )
    parser.add_argument(
        "--rows",
        default="*",
        help="comma-separated glob patterns over row names, e.g. 'zoo.*,keras.GRU*' (default: all)",
    )
    parser.add_argument("--min-time", type=float, help="seconds timed per measurement")


def settings_from(args) -> Settings:
    name = "quick" if args.quick else "full" if args.full else "default"
    T, batch, units, budget = GRIDS[name]
    jit_text = args.jit or DEFAULT_JIT.get(keras.backend.backend(), "on")
    jit = [part.strip() for part in jit_text.split(",")]
    bad = [part for part in jit if part not in JIT_CHOICES]
    if bad or not jit:
        raise InputError(f"--jit: expected a comma-separated subset of on,off, got {args.jit!r}")
    try:
        rows = select_rows([p.strip() for p in args.rows.split(",") if p.strip()] or ["*"])
    except ValueError as error:
        raise InputError(str(error)) from None
    if args.min_time is not None:
        if not args.min_time > 0:
            raise InputError(f"--min-time: expected a positive number, got {args.min_time}")
        budget = dataclasses.replace(budget, min_time=args.min_time)
    return Settings(
        T=tuple(args.T or T),
        batch=tuple(args.batch or batch),
        units=tuple(args.units or units),
        features=args.features,
        jit=tuple(dict.fromkeys(JIT_CHOICES[part] for part in jit)),
        rows=tuple(rows),
        budget=budget,
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
    timed together, round by round (see `evaluate.speed_timing`)."""
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


def number(value, digits=3) -> str:
    if value is None or value == "":
        return ""
    return f"{value:.{digits}g}" if isinstance(value, float) else str(value)


def markdown_table(results: list[dict]) -> str:
    header = (
        "| row | backend | jit | T | batch | units | train seq/s | ratio | forward seq/s "
        "| compile s | GFLOP/s (train) | of peak FLOP/s | peak MB | × floor | gate |\n"
        + "|---" * 15
        + "|\n"
    )
    lines = []
    for r in results:
        status = r.get("status")
        gate = "n/a" if r.get("gate_max_error") is None else f"{r['gate_max_error']:.1e}"
        if status != "ok":
            gate = f"{status}: {r.get('error') or gate}"
        cells = [
            r["row"], r["backend"], r["jit"], r["T"], r["batch"], r["units"],
            number(r.get("train_seq_per_s"), 4), number(r.get("ratio"), 3),
            number(r.get("forward_seq_per_s"), 4), number(r.get("compile_train_s"), 2),
            number(r.get("train_gflop_per_s"), 3), number(r.get("flop_fraction"), 2),
            number(r.get("peak_memory_mb"), 3), number(r.get("memory_over_floor"), 3), gate,
        ]  # fmt: skip
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return header + "\n".join(lines) + "\n"


def fits_table(lines: list[dict]) -> str:
    header = (
        "| row | backend | jit | batch | units | ms per timestep | ms at T=0 | R² "
        "| MB per timestep | MB at T=0 | R² |\n" + "|---" * 11 + "|\n"
    )
    body = []
    for f in lines:
        memory = [number(f.get(f"memory_mb_{part}"), 4) for part in ("per_T", "at_T0", "r2")]
        body.append(
            f"| {f['row']} | {f['backend']} | {f['jit']} | {f['batch']} | {f['units']} "
            f"| {f['step_ms_per_T']:.4g} | {f['step_ms_at_T0']:.3g} | {f['step_ms_r2']:.4f} "
            f"| {' | '.join(memory)} |"
        )
    return header + "\n".join(body) + "\n"


def time_against_length_png(results: list[dict]) -> bytes:
    """Training step time against T, one panel per (batch, units), log-log."""
    pyplot = plots.pyplot()
    panels = sorted({(r["batch"], r["units"]) for r in results})
    figure, axes = pyplot.subplots(
        1, len(panels), figsize=(5.2 * len(panels), 4.2), dpi=100, squeeze=False
    )
    for axis, (batch, units) in zip(axes[0], panels, strict=True):
        series: dict = {}
        for r in results:
            if r.get("status") == "ok" and (r["batch"], r["units"]) == (batch, units):
                label = f"{r['row']} ({r['backend']}, jit {r['jit']})"
                series.setdefault(label, []).append((r["T"], 1e3 * r["train_step_s"]))
        for label, points in series.items():
            points.sort()
            axis.plot(*zip(*points, strict=True), marker="o", markersize=3, label=label)
        axis.set(xscale="log", yscale="log", xlabel="sequence length T", ylabel="ms per step")
        axis.set_title(f"training step, batch {batch}, units {units}", fontsize=9)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=6)
    return plots.png_bytes(figure)


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
        "command": "python -m evaluate speed " + " ".join(sys.argv[2:]),
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


def ask_for_an_allocator_that_keeps_statistics() -> None:
    """The peak-memory column reads TensorFlow's CPU allocator statistics. Its default
    allocator keeps them only where oneDNN is on (by default, on x86 CPUs with AVX-512
    VNNI and newer); elsewhere (an AMD EPYC without AVX-512) the column fell back to
    the growth of the resident set. TensorFlow's BFC allocator keeps them on every CPU
    and counts every allocation. TensorFlow reads the variable when it makes its CPU
    device, at its first operation: this must run before that (a user's setting wins)."""
    os.environ.setdefault("TF_CPU_ALLOCATOR_USE_BFC", "true")


def run(args) -> int:
    ask_for_an_allocator_that_keeps_statistics()
    settings = settings_from(args)
    results, lines, env = benchmark(settings)
    table = markdown_table(results)
    print(f"\n{env['device']}; backend {env['backend']}; {env['versions']}\n")
    print(table)
    if lines:
        print("Training step time and peak memory against T (least squares):\n")
        print(fits_table(lines))
    write_outputs(
        args.out,
        {
            "speed.csv": csv_text(results, COLUMNS),
            "fits.csv": csv_text(lines, list(dict.fromkeys(k for f in lines for k in f))),
            "table.md": table + ("\n" + fits_table(lines) if lines else ""),
            "speed.png": time_against_length_png(results),
            "environment.json": json.dumps(env, indent=2, default=str),
        },
    )
    print(f"wrote {args.out}/speed.csv, fits.csv, table.md, speed.png, environment.json")
    return 1 if any(r.get("status") == "failed" for r in results) else 0
