"""What one run of the speed benchmark measures, and how its flags choose it.

A named grid (``--quick``, the default, ``--full``) gives the sequence lengths,
batch sizes, state sizes and timing budget; ``--T``, ``--batch``, ``--units``,
``--features``, ``--jit``, ``--rows`` and ``--min-time`` override its parts.
"""

from __future__ import annotations

import dataclasses
import os

import keras

from benchmarks.speed.rows import ROWS, select_rows
from benchmarks.speed.timing import ROTATING_BATCHES, Budget, Point
from cli_support.errors import InputError
from cli_support.parsing import positive_int, positive_int_list

BYTES_PER_NUMBER = 4  # float32 inputs and states

JIT_CHOICES = {"on": True, "off": False}

# JAX without jit runs op by op, which nobody trains with: measured only when asked.
DEFAULT_JIT = {"tensorflow": "on,off", "jax": "on"}

GRIDS = {  # name: (T, batch, units, budget)
    "quick": ((10, 40), (32,), (64,), Budget(min_time=0.2, min_steps=3, max_steps=10, warmup=1)),
    "default": ((10, 40, 200), (32, 128), (64,), Budget(min_time=1.0)),
    "full": ((10, 40, 200, 1000), (32, 128, 1024), (64, 256), Budget(min_time=1.0)),
}


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
        "--T", type=positive_int_list, help="sequence lengths, e.g. 40,200 (default: the grid's)"
    )
    parser.add_argument("--batch", type=positive_int_list, help="batch sizes (default: the grid's)")
    parser.add_argument("--units", type=positive_int_list, help="state sizes (default: the grid's)")
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
    settings = Settings(
        T=tuple(args.T or T),
        batch=tuple(args.batch or batch),
        units=tuple(args.units or units),
        features=args.features,
        jit=tuple(dict.fromkeys(JIT_CHOICES[part] for part in jit)),
        rows=tuple(rows),
        budget=budget,
    )
    check_memory(settings, physical_memory_bytes())
    return settings


def physical_memory_bytes() -> int:
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def least_memory_bytes(point: Point) -> int:
    """Bytes a point needs at the least, whatever the row: its rotating input batches, and
    the inputs and states a training step keeps for the backward pass. Weights, gates and
    the backend's own buffers come on top, so a point refused here could never run."""
    inputs = point.batch * point.T * point.features
    kept = point.batch * point.T * (point.features + point.units)
    return BYTES_PER_NUMBER * (ROTATING_BATCHES * inputs + kept)


def check_memory(settings: Settings, available: int) -> None:
    """Refuses, before anything is measured, a grid whose largest point cannot fit in
    ``available`` bytes: every row of it would fail, one after the other, out of memory."""
    largest = max(settings.points(), key=least_memory_bytes)
    needed = least_memory_bytes(largest)
    if needed <= available:
        return
    per_step = least_memory_bytes(dataclasses.replace(largest, T=1))
    longest = available // per_step
    fits = (
        f"at batch {largest.batch} and units {largest.units}, T up to {longest} fits"
        if longest >= 1
        else f"no T fits at batch {largest.batch} and units {largest.units}: use a smaller "
        "--batch or --units"
    )
    raise InputError(
        f"--T/--batch/--units: T={largest.T}, batch={largest.batch}, units={largest.units} "
        f"needs at least {_size(needed)} of memory (its input batches and the states a "
        f"training step keeps), more than this machine's {_size(available)}; {fits}"
    )


def _size(n_bytes: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n_bytes < 1024 or unit == "TiB":
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024
    raise AssertionError("unreachable")
