"""A file is written whole or not at all, beside its final name, and never through a
symbolic link: a run's files, the dataset export, a saved vocabulary."""

import os
import stat
import tempfile

import pytest

from cli_support import atomic_files

PRECIOUS = b"precious user data\n\x00\xff the rest"


def precious_file(tmp_path):
    victim = tmp_path / "precious.bin"
    victim.write_bytes(PRECIOUS)
    return victim


def test_a_failed_write_keeps_the_previous_file_and_names_it(tmp_path):
    target = tmp_path / "metrics.json"
    target.write_text("complete")
    with pytest.raises(OSError, match="metrics.json"):
        with atomic_files.replacing(target) as partial:
            partial.write_text("half")
            raise OSError(28, "No space left on device")
    assert target.read_text() == "complete"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["metrics.json"]


def test_a_link_planted_at_a_temporary_name_is_never_followed(tmp_path, monkeypatch):
    """Links at predictable names, and at the first random names mkstemp would try."""
    victim = precious_file(tmp_path)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    planted = [f".vocab.partial-{os.getpid()}.json", ".vocab.partial-planted.json",
               ".vocab.partial-planted", "vocab.json.tmp"]  # fmt: skip
    for name in planted:
        (run_dir / name).symlink_to(victim)
    names = iter(["planted", "planted", "fresh0001"])
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
    atomic_files.write_text(run_dir / "vocab.json", "the vocabulary")
    assert victim.read_bytes() == PRECIOUS
    assert not (run_dir / "vocab.json").is_symlink()
    assert (run_dir / "vocab.json").read_text() == "the vocabulary"
    assert all((run_dir / name).is_symlink() for name in planted)  # left as they were


def test_a_destination_that_is_a_symlink_is_refused(tmp_path):
    victim = precious_file(tmp_path)
    (tmp_path / "metrics.json").symlink_to(victim)
    with pytest.raises(OSError, match="metrics.json.*symbolic link|symbolic link.*metrics.json"):
        atomic_files.write_text(tmp_path / "metrics.json", "{}")
    assert victim.read_bytes() == PRECIOUS and (tmp_path / "metrics.json").is_symlink()


def test_a_new_file_gets_an_ordinary_mode_and_a_replaced_one_keeps_its_own(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    new, kept = tmp_path / "new.txt", tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o640)
    atomic_files.write_text(new, "new")
    with atomic_files.text_output(kept) as stream:
        stream.write("new")
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new"


def test_an_output_on_a_pipe_is_written_as_a_stream_and_a_directory_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that opening it to write returns
    try:
        with atomic_files.text_output(fifo) as stream:
            stream.write("through the pipe\n")
        assert os.read(reader, 100) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    (tmp_path / "folder").mkdir()
    with pytest.raises(atomic_files.NotARegularFile, match="not a regular file"):
        with atomic_files.text_output(tmp_path / "folder") as stream:
            stream.write("never")
    assert list((tmp_path / "folder").iterdir()) == []
