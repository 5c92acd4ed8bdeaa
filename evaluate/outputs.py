"""Writing an analysis's files all at once, after every number has been computed.

Files are first written to a temporary directory beside ``out_dir`` and then
moved into place, so a failure never leaves a half-written report.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path


def csv_text(rows: list[dict], columns: list[str] | None = None) -> str:
    """Rows as CSV text; floats with 6 significant digits (deterministic)."""
    columns = columns or (list(rows[0]) if rows else [])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in row.items() if k in columns}
        )
    return buffer.getvalue()


def write_outputs(out_dir: str | Path, files: dict[str, str | bytes]) -> list[Path]:
    """Writes ``{name: text or bytes}`` into ``out_dir`` (created), replacing same-named files."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for name, content in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        out_dir.mkdir(exist_ok=True)
        written = []
        for name in files:
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
