"""Compare trained runs on the agreement benchmark.

python -m evaluate runs/gru-20261124-101500 runs/simple_rnn-20261124-102000
python -m evaluate runs/                      # every run below a directory
"""

import sys

from evaluate.comparison import markdown_table
from evaluate.runs import RunError, find_runs
from train.cli import OneLineParser


def main(argv=None) -> int:
    parser = OneLineParser(prog="python -m evaluate", description=__doc__.splitlines()[0])
    parser.add_argument(
        "run_dirs", nargs="+", metavar="RUN_DIR", help="run directories, or directories of runs"
    )
    args = parser.parse_args(argv)
    try:
        runs = find_runs(args.run_dirs)
    except RunError as error:
        parser.error(str(error))
    print(markdown_table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
