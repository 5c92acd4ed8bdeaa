"""A command's output directory: refused before any work if it cannot be made, and its
files written whole or not at all, never through a symbolic link."""

import contextlib
import resource

import pytest

from cli_support.errors import FileError, InputError
from cli_support.output_directories import check_out_dir, write_outputs


def test_files_replace_their_old_versions_and_leave_nothing_beside_them(tmp_path):
    out = tmp_path / "new" / "speed"
    write_outputs(out, {"a.csv": "old", "b.png": b"\x89PNG old"})
    write_outputs(out, {"a.csv": "new"})
    assert (out / "a.csv").read_text() == "new" and (out / "b.png").read_bytes() == b"\x89PNG old"
    assert sorted(path.name for path in out.parent.iterdir()) == ["speed"]


@contextlib.contextmanager
def a_disk_full_after(size: int):
    """Writing past ``size`` bytes fails as on a full disk (EFBIG, "File too large"):
    the kernel's own refusal, through the file size limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def test_a_failed_write_keeps_every_old_file_and_names_the_file(tmp_path):
    out = tmp_path / "speed"
    write_outputs(out, {"a.csv": "old"})
    with pytest.raises(FileError) as error, a_disk_full_after(1024):
        write_outputs(out, {"a.csv": "new", "b.csv": "x" * 4096})
    assert str(error.value) == f"--out: cannot write {str(out / 'b.csv')!r}: File too large"
    assert (out / "a.csv").read_text() == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["speed"]


def test_a_failed_write_into_a_new_directory_leaves_no_directory(tmp_path):
    with pytest.raises(FileError), a_disk_full_after(1024):
        write_outputs(tmp_path / "new" / "out", {"a.csv": "new", "b.csv": "x" * 4096})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("linked", ["a.csv", "sub"])
def test_a_symlink_where_a_file_or_folder_goes_is_refused_and_its_target_untouched(
    linked, tmp_path
):
    victim_dir = tmp_path / "elsewhere"
    victim_dir.mkdir()
    victim = victim_dir / "precious.csv"
    victim.write_bytes(b"precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / linked).symlink_to(victim if linked == "a.csv" else victim_dir)
    with pytest.raises(FileError, match=f"symbolic link.*{linked}|{linked}.*symbolic link"):
        write_outputs(out, {"b.csv": "new", "a.csv": "new", "sub/precious.csv": "new"})
    assert victim.read_bytes() == b"precious" and (out / linked).is_symlink()
    assert sorted(path.name for path in victim_dir.iterdir()) == ["precious.csv"]
    assert sorted(path.name for path in out.iterdir()) == [linked]  # b.csv not written either


@pytest.mark.parametrize(
    ("make_out", "expected"),
    [
        (lambda tmp_path: "", "--out: expected a directory, got an empty path"),
        (lambda tmp_path: tmp_path / "a-file", "--out: {out!r} exists and is not a directory"),
        (
            lambda tmp_path: tmp_path / "a-file" / "out",
            "--out: {file!r} is not a directory, so {out!r} cannot be made",
        ),
    ],
    ids=["empty", "a file", "under a file"],
)
def test_an_output_directory_that_cannot_be_made_is_refused_naming_the_flag(
    make_out, expected, tmp_path
):
    (tmp_path / "a-file").write_text("keep")
    out = make_out(tmp_path)
    with pytest.raises(InputError) as error:
        check_out_dir(out)
    assert str(error.value) == expected.format(out=str(out), file=str(tmp_path / "a-file"))
    assert (tmp_path / "a-file").read_text() == "keep"
