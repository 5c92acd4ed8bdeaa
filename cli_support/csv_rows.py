"""Rows of a command's results as CSV text, the same text for the same numbers."""

from __future__ import annotations

import csv
import io


def csv_text(rows: list[dict], columns: list[str] | None = None) -> str:
    """``rows`` as CSV with the given columns in their order (default: the first row's
    keys; other keys left out, a missing one empty), floats with 6 significant digits so
    that the text is deterministic."""
    columns = columns or (list(rows[0]) if rows else [])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: f"{v:.6g}" if isinstance(v, float) else v for k, v in row.items()})
    return buffer.getvalue()
