"""``python -m evaluate``: turns run directories into the benchmark's answers.

    python -m evaluate runs/gru-seed0 runs/sweep-2026/ --out reports/cmp   # comparison report
    python -m evaluate pairs blimp-agreement --run runs/gru-seed0          # external minimal pairs
    python -m evaluate gates runs/gru-seed0 --out reports/gates            # do gates saturate?
    python -m evaluate units runs/gru-seed0 --out reports/units            # a number unit?
    python -m evaluate gradients runs/sweep-2026/ --out reports/grad       # ‖∂loss/∂c⟨t⟩‖
    python -m evaluate trace runs/gru-seed0 --sentence "The cats, which already ate, were full"
    python -m evaluate quiz --out reports/quiz --seeds 3                   # which GRU simplification?
    python -m evaluate explore runs/gru-seed0 runs/simplified_gru-seed0    # in the browser

Each subcommand lives in its own module with ``add_arguments(parser)`` and
``run(args) -> int``; it is imported only when chosen, so this file imports
neither TensorFlow nor the rest of ``train``. Whatever a user can cause (a bad flag, a corrupt
or unwritable file, Ctrl-C) ends in one line on stderr and a non-zero exit.
"""

import importlib
import sys

from cli_support.errors import InputError, one_line_errors
from cli_support.output_directories import check_out_dir
from cli_support.parsing import OneLineParser, undecodable_argument
from cli_support.quiet_tensorflow import import_tensorflow, unsupported_backend
from cli_support.standard_streams import printable_output, reader_may_leave

# name → module; the default (no subcommand name) is "report".
SUBCOMMANDS = {
    "report": "evaluate.report",
    "pairs": "evaluate.pairs",
    "gates": "evaluate.gates",
    "units": "evaluate.units",
    "gradients": "evaluate.gradients",
    "trace": "evaluate.trace",
    "quiz": "evaluate.quiz",
    "explore": "evaluate.explore",
}
DEFAULT = "report"


def main(argv=None) -> int:
    reader_may_leave()  # `| head` stops the output, not the files of --out
    printable_output()
    argv = list(sys.argv[1:] if argv is None else argv)
    named = bool(argv) and argv[0] in SUBCOMMANDS
    name = argv.pop(0) if named else DEFAULT
    prog = f"python -m evaluate {name}" if named else "python -m evaluate"
    with one_line_errors(prog):
        module = importlib.import_module(SUBCOMMANDS[name])
        parser = OneLineParser(
            prog=prog,
            description=module.__doc__.strip().splitlines()[0],
            epilog=f"subcommands: {', '.join(SUBCOMMANDS)} (default: {DEFAULT})",
        )
        module.add_arguments(parser)
        args = parser.parse_args(argv)
        if undecodable_argument(parser, args):
            raise InputError(undecodable_argument(parser, args))
        if getattr(args, "out", None) is not None:  # Refused now, not after minutes of work.
            check_out_dir(args.out)
        if unsupported_backend():
            raise InputError(unsupported_backend())
        import_tensorflow()  # its C++ start-up lines filtered out
        return module.run(args)


if __name__ == "__main__":
    sys.exit(main())
