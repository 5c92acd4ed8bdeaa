"""Training and forward speed of the zoo's sequence layers against Keras's and PyTorch's GRUs.

    python -m benchmarks.speed --quick --out reports/speed-quick        # a few small shapes
    python -m benchmarks.speed --out reports/speed                      # the default grid
    KERAS_BACKEND=jax python -m benchmarks.speed --out reports/speed-jax
    python -m benchmarks.speed --full --out reports/speed-full          # T 10…1000, batch 32…1024, units 64, 256
    python -m benchmarks.speed --T 40,200 --batch 32 --units 64 --jit on --rows 'zoo.*' --out /tmp/s

One process measures every row on one Keras backend (plus `torch.nn.GRU` where
torch is installed), so the ratios to `keras.GRU(reset_after=False)` hold on a
noisy machine. Rows are data (`benchmarks.speed.rows`); each zoo row must first
equal its NumPy reference (the correctness gate) or it is reported as failed
and not timed. Writes to ``--out``: ``speed.csv`` (one line per measurement),
``fits.csv`` (training step time and peak memory against T, linear fits), ``speed.png``
(training step time against T), ``table.md`` and ``environment.json`` (device,
backend, library versions, XLA flags, settings). Imports neither TensorFlow
(except on the TensorFlow backend), nor ``train``, ``datasets`` or ``evaluate``.
Exits 1 when a row fails its correctness gate; bad input is one line and exit 2,
before anything is measured: a grid whose largest point cannot fit in this machine's
memory (its input batches and the states a training step keeps) among it, rather than
every row of that point failing out of memory, one after the other.
"""

from __future__ import annotations

import json
import os

from benchmarks.speed.measure import benchmark
from benchmarks.speed.outputs import COLUMNS, fits_table, markdown_table, time_against_length_png
from benchmarks.speed.settings import add_arguments, settings_from
from cli_support.csv_rows import csv_text
from cli_support.errors import one_line_errors
from cli_support.output_directories import check_out_dir, write_outputs
from cli_support.parsing import OneLineParser

PROG = "python -m benchmarks.speed"


def ask_for_an_allocator_that_keeps_statistics() -> None:
    """The peak-memory column reads TensorFlow's CPU allocator statistics. Its default
    allocator keeps them only where oneDNN is on (by default, on x86 CPUs with AVX-512
    VNNI and newer); elsewhere (an AMD EPYC without AVX-512) the column would read
    the growth of the resident set instead. TensorFlow's BFC allocator keeps them on every CPU
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


def main(argv=None) -> int:
    with one_line_errors(PROG):
        parser = OneLineParser(prog=PROG, description=__doc__.strip().splitlines()[0])
        add_arguments(parser)
        args = parser.parse_args(argv)
        check_out_dir(args.out)  # Refused now, not after minutes of measuring.
        return run(args)
