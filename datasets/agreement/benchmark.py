"""Generation speed: sentences per second on one core, and streaming memory.

    python -m datasets.agreement.benchmark                  # 200,000 default sentences
    python -m datasets.agreement.benchmark --n 1000000 --config long
    python -m datasets.agreement.benchmark --split test     # with the split filter
    python -m datasets.agreement.benchmark --config english --n 333000 --processes 2

The lexicon is built (and cached) before the clock starts. Peak memory is the process's
maximum resident set size, so streaming a million sentences shows bounded memory.
`--processes N` instead times `load_splits` with one process and with N, side by side (the
N processes' start and lexicons included), and checks that both give the same examples.
"""

from __future__ import annotations

import resource
import time

from cli_support.errors import one_line_errors
from cli_support.parsing import OneLineParser, positive_int
from datasets.agreement import splits
from datasets.agreement.config import CONFIGS
from datasets.agreement.sampling import iter_examples, make_generator
from datasets.agreement.splits import SPLITS, iter_split, load_splits


def main(argv: list[str] | None = None) -> None:
    parser = OneLineParser(prog="python -m datasets.agreement.benchmark")
    parser.add_argument("--n", type=positive_int, default=200_000)
    parser.add_argument("--config", choices=sorted(CONFIGS), default="default")
    parser.add_argument("--split", choices=SPLITS, default=None)
    parser.add_argument("--processes", type=positive_int, default=None)
    args = parser.parse_args(argv)
    with one_line_errors(parser.prog):  # Ctrl-C: one line, no traceback
        make_generator(CONFIGS[args.config])  # builds and caches the grammar's lexicon
        if args.processes is not None:
            compare_processes(args.config, args.split or "train", args.n, args.processes)
            return
        if args.split is None:
            stream = iter_examples(args.n, config=args.config)
        else:
            stream = iter_split(args.config, args.split, args.n)
        start = time.perf_counter()
        words = 0
        for example in stream:
            words += len(example["tokens"])
        seconds = time.perf_counter() - start
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{args.n} sentences ({args.config}, {args.split or 'no split filter'}) in "
            f"{seconds:.2f} s: {args.n / seconds:,.0f} sentences/s, "
            f"{words / args.n:.1f} tokens/sentence, peak RSS {peak_mib:.0f} MiB"
        )


def compare_processes(config: str, split: str, n: int, processes: int) -> None:
    """Prints the seconds `load_splits` takes for `n` examples of `split` with one process
    and with `processes`, their ratio, and whether both gave the same examples."""
    seconds, drawn = [], []
    for count in (1, processes):
        start = time.perf_counter()
        drawn.append(load_splits(config, {split: n}, processes=count)[split])
        seconds.append(time.perf_counter() - start)
    per_stream = splits.EXAMPLES_PER_STREAM
    streams = -(-n // per_stream)
    print(
        f"{n} sentences ({config}, {split}, {streams} streams of up to "
        f"{per_stream:,}): 1 process {seconds[0]:.1f} s, {processes} processes "
        f"{seconds[1]:.1f} s, {seconds[0] / seconds[1]:.2f}x; "
        f"same examples: {'yes' if drawn[0] == drawn[1] else 'NO'}"
    )


if __name__ == "__main__":
    main()
