"""A benchmark's files, written after every number is measured, each whole or not at all.

All files are first written (and flushed to disk) to a hidden staging directory
beside the output directory, then renamed into it one by one: a file there is
either its previous version or the new one, never half-written. A failure (a
full disk, a permission, Ctrl-C) removes the staging directory and raises an
`OSError` that names the file.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
import tempfile
from pathlib import Path


def csv_text(rows: list[dict], columns: list[str]) -> str:
    """`rows` as CSV with the given columns (other keys left out), floats with 6
    significant digits so that the text is deterministic."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: f"{v:.6g}" if isinstance(v, float) else v for k, v in row.items()})
    return buffer.getvalue()


def write_files(out_dir: str | Path, files: dict[str, str | bytes]) -> None:
    """Writes ``{name: text or bytes}`` into `out_dir` (created), replacing same-named files."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for name, content in files.items():
            with open(staging / name, "wb") as handle:
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
                handle.flush()
                os.fsync(handle.fileno())
        out_dir.mkdir(exist_ok=True)
        for name in files:
            # The rename would replace a link, or write outside out_dir through a linked
            # folder; out_dir itself may be a link given on purpose.
            path = out_dir / name
            while path != out_dir:
                if path.is_symlink():
                    raise OSError(errno.ELOOP, "is a symbolic link; refusing to write over it",
                                  str(path))  # fmt: skip
                path = path.parent
        for name in files:
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
