"""Rows of a command's results as CSV text, the same text for the same numbers."""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile


def csv_text(rows: list[dict], columns: list[str] | None = None) -> str:
    """``rows`` as CSV with the given columns in their order (default: the first row's
    keys; other keys left out, a missing one empty), floats with 6 significant digits so
    that the text is deterministic."""
    columns = columns or (list(rows[0]) if rows else [])
    buffer = io.StringIO()
    write_row = csv_row_writer(buffer, columns)
    for row in rows:
        write_row(row)
    return buffer.getvalue()


def csv_row_writer(handle, columns: list[str]):
    """Writes the CSV header to the open text file ``handle`` and returns
    ``write_row(row)``, which writes one row as :func:`csv_text` would: for rows too many
    to hold in memory."""
    writer = csv.DictWriter(handle, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()

    def write_row(row: dict) -> None:
        writer.writerow({k: f"{v:.6g}" if isinstance(v, float) else v for k, v in row.items()})

    return write_row


@contextlib.contextmanager
def spooled_csv(columns: list[str]):
    """``(write_row, handle)``: a CSV written row by row (:func:`csv_row_writer`) into an
    anonymous temporary file, for rows too many to hold in memory until the command's
    outputs are written (:func:`cli_support.output_directories.write_outputs` takes the
    handle, rewound). The file has no name on disk and is gone when the block ends."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as handle:
        yield csv_row_writer(handle, columns), handle
