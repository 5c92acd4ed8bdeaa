"""Executes the tutorials and writes them with their outputs.

Each ``notebooks/NN_name.py`` (a jupytext percent script) is the source; running

    .venv/bin/python notebooks/execute.py            # every notebook, full settings
    .venv/bin/python notebooks/execute.py 01 --quick # one notebook, small settings

executes it in a fresh kernel (working directory ``notebooks/``) and writes
``NN_name.ipynb`` beside it, outputs included, so it reads well on GitHub. With
``--quick`` the environment variable ``GATEZOO_NOTEBOOK_QUICK=1`` asks the notebook for
small settings (the test suite uses this) and nothing is written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from cli_support.parsing import OneLineParser
from cli_support.quiet_tensorflow import is_tensorflow_log_line

NOTEBOOKS_DIR = Path(__file__).resolve().parent
QUICK_ENV = "GATEZOO_NOTEBOOK_QUICK"


def drop_native_log_outputs(notebook: nbformat.NotebookNode) -> None:
    """Removes stderr outputs that hold nothing but TensorFlow's C++ log lines: its
    start-up lines, which no environment variable silences, print in the kernel."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [
            output
            for output in cell.outputs
            if not (
                output.get("name") == "stderr"
                and all(
                    is_tensorflow_log_line(line)
                    for line in output["text"].splitlines()
                    if line.strip()
                )
            )
        ]


def sources() -> list[Path]:
    return sorted(path for path in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.py"))


def execute(source: Path, quick: bool, timeout: int = 1200) -> nbformat.NotebookNode:
    """Runs the notebook of ``source`` top to bottom; raises if any cell fails."""
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    previous = os.environ.get(QUICK_ENV)
    os.environ[QUICK_ENV] = "1" if quick else "0"
    try:
        NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
        ).execute()
    finally:
        if previous is None:
            os.environ.pop(QUICK_ENV, None)
        else:
            os.environ[QUICK_ENV] = previous
    drop_native_log_outputs(notebook)
    return notebook


def main(argv=None) -> int:
    parser = OneLineParser(description="Execute the tutorial notebooks.")
    parser.add_argument("names", nargs="*", help="notebook numbers or names (default: all)")
    parser.add_argument("--quick", action="store_true", help="small settings; write nothing")
    args = parser.parse_args(argv)
    chosen = [
        s for s in sources() if not args.names or any(s.stem.startswith(n) for n in args.names)
    ]
    if not chosen:
        parser.error(f"no notebook matches {args.names} (have {[s.stem for s in sources()]})")
    for source in chosen:
        print(f"executing {source.name}", flush=True)
        notebook = execute(source, quick=args.quick)
        if not args.quick:
            nbformat.write(notebook, source.with_suffix(".ipynb"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
