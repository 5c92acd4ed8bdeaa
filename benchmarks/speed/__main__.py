"""Training and forward speed of the zoo's sequence layers against Keras's and PyTorch's GRUs.

The entry point: ``python -m benchmarks.speed`` (see ``benchmarks.speed.command`` for the
command itself). On the TensorFlow backend, TensorFlow is imported first, before Keras
imports it, with its C++ start-up lines filtered out (``cli_support.quiet_tensorflow``).
"""

import os
import sys

from cli_support.quiet_tensorflow import import_tensorflow
from cli_support.standard_streams import printable_output, reader_may_leave


def main(argv=None) -> int:
    reader_may_leave()  # `| head` stops the output, not the files of --out
    printable_output()
    if os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow":
        import_tensorflow()
    from benchmarks.speed.command import main as run_command

    return run_command(argv)


if __name__ == "__main__":
    sys.exit(main())
