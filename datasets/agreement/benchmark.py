"""Generation speed: sentences per second on one core, and streaming memory.

    python -m datasets.agreement.benchmark                  # 200,000 default sentences
    python -m datasets.agreement.benchmark --n 1000000 --config long
    python -m datasets.agreement.benchmark --split test     # with the split filter

The lexicon is built (and cached) before the clock starts. Peak memory is the process's
maximum resident set size, so streaming a million sentences shows bounded memory.
"""

from __future__ import annotations

import resource
import time

from cli_support.errors import one_line_errors
from cli_support.parsing import OneLineParser, positive_int
from datasets.agreement.config import CONFIGS
from datasets.agreement.lexicon import build_lexicon
from datasets.agreement.sampling import iter_examples
from datasets.agreement.splits import SPLITS, iter_split


def main(argv: list[str] | None = None) -> None:
    parser = OneLineParser(prog="python -m datasets.agreement.benchmark")
    parser.add_argument("--n", type=positive_int, default=200_000)
    parser.add_argument("--config", choices=sorted(CONFIGS), default="default")
    parser.add_argument("--split", choices=SPLITS, default=None)
    args = parser.parse_args(argv)
    with one_line_errors(parser.prog):  # Ctrl-C: one line, no traceback
        build_lexicon(CONFIGS[args.config].lexicon_size)
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


if __name__ == "__main__":
    main()
