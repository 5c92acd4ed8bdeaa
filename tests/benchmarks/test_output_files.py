"""A benchmark's files are written whole or not at all, and its CSV text is deterministic."""

import pytest

from benchmarks.output_files import csv_text, write_files


def test_files_replace_their_old_versions_and_leave_nothing_beside_them(tmp_path):
    out = tmp_path / "new" / "speed"
    write_files(out, {"a.csv": "old", "b.png": b"\x89PNG old"})
    write_files(out, {"a.csv": "new"})
    assert (out / "a.csv").read_text() == "new" and (out / "b.png").read_bytes() == b"\x89PNG old"
    assert sorted(path.name for path in out.parent.iterdir()) == ["speed"]


def test_a_failed_write_keeps_every_old_file_and_names_the_file(tmp_path):
    out = tmp_path / "speed"
    write_files(out, {"a.csv": "old"})
    with pytest.raises(OSError) as error:  # A name under a missing folder cannot be written.
        write_files(out, {"a.csv": "new", "missing/b.csv": "new"})
    assert "b.csv" in str(error.value)
    assert (out / "a.csv").read_text() == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["speed"]


def test_csv_text_keeps_the_named_columns_in_order_and_rounds_floats():
    rows = [{"b": 1 / 3, "a": "x", "left out": 1}, {"a": "y"}]
    assert csv_text(rows, ["a", "b"]) == "a,b\nx,0.333333\ny,\n"


def test_a_symlink_where_a_file_goes_is_refused_and_its_target_untouched(tmp_path):
    victim = tmp_path / "precious.csv"
    victim.write_bytes(b"precious")
    out = tmp_path / "speed"
    out.mkdir()
    (out / "a.csv").symlink_to(victim)
    with pytest.raises(OSError, match="symbolic link.*a.csv"):
        write_files(out, {"b.csv": "new", "a.csv": "new"})
    assert victim.read_bytes() == b"precious" and (out / "a.csv").is_symlink()
    assert sorted(path.name for path in out.iterdir()) == ["a.csv"]  # b.csv not written either
