"""`python -m datasets.agreement export` where the output cannot or must not be written:
one line naming --output, a non-zero exit, no traceback, and nothing deleted, replaced
or half-written.

A full disk is the kernel's own refusal: /dev/full (ENOSPC on every write), or a file
size limit (RLIMIT_FSIZE) below the export's size, which fails the write with EFBIG.
"""

import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

CLI = [sys.executable, "-m", "datasets.agreement", "export", "--config", "tiny"]


def export(*args, file_size_limit=None, cwd=None):
    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        preexec_fn=limit_file_size if file_size_limit else None,
    )


def one_line_naming_output(result, status) -> str:
    """The one-line error; ``status`` None: any failure status."""
    assert result.returncode == status if status else result.returncode > 0, result.stderr
    error = result.stderr.strip()
    assert "\n" not in error and "Traceback" not in error
    assert error.startswith("python -m datasets.agreement export: error: --output")
    return error


def read_only_directory(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root may write in a directory without write permission")
    directory = tmp_path / "read-only"
    directory.mkdir()
    directory.chmod(0o555)
    return directory / "test.jsonl"


@pytest.mark.parametrize(
    ("make_output", "status"),
    [
        # No file can be made in /proc: refused up front (2), or by the kernel for root (1).
        (lambda tmp_path: "/proc/test.jsonl", None),
        (read_only_directory, 2),
        (lambda tmp_path: tmp_path / "no-such-dir" / "test.jsonl", 2),
        (lambda tmp_path: tmp_path / "a-file" / "test.jsonl", 2),
    ],
    ids=["in /proc", "in a read-only directory", "in a missing directory", "under a file"],
)
def test_an_unwritable_output_gets_one_line_and_leaves_nothing(make_output, status, tmp_path):
    (tmp_path / "a-file").write_text("mine")
    output = make_output(tmp_path)
    error = one_line_naming_output(export("--n", "5", "--output", str(output)), status)
    assert str(os.path.dirname(output)) in error
    assert sorted(p.name for p in tmp_path.rglob("*")) in (["a-file"], ["a-file", "read-only"])
    assert (tmp_path / "a-file").read_text() == "mine"


def test_an_existing_directory_is_refused_and_kept_whole(tmp_path):
    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "notes.txt").write_text("mine")
    error = one_line_naming_output(export("--n", "5", "--output", str(directory)), 2)
    assert "is a directory" in error and str(directory / "agreement-tiny-test.jsonl") in error
    assert [p.name for p in directory.iterdir()] == ["notes.txt"]
    assert (directory / "notes.txt").read_text() == "mine"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_device_is_written_as_a_stream_never_replaced_and_a_full_one_gets_one_line():
    error = one_line_naming_output(export("--n", "5", "--output", "/dev/full"), 1)
    assert "'/dev/full'" in error and "No space left on device" in error
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_pipe_is_written_as_a_stream_not_replaced_by_a_file(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    # A daemon: should the export replace the pipe, the reader stays blocked, not pytest.
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    result = export("--n", "5", "--output", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert len(received) == 1 and len(received[0].splitlines()) == 5


def test_a_symbolic_link_keeps_pointing_at_the_file_it_names(tmp_path):
    target, link = tmp_path / "data.jsonl", tmp_path / "latest.jsonl"
    target.write_text("old\n")
    link.symlink_to(target.name)
    assert export("--n", "5", "--output", str(link)).returncode == 0
    assert link.is_symlink() and len(target.read_text().splitlines()) == 5


def test_the_export_gets_the_ordinary_file_mode(tmp_path):
    output = tmp_path / "test.jsonl"
    assert export("--n", "5", "--output", str(output)).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(output.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("existing", [False, True], ids=["new file", "existing file"])
def test_a_full_disk_leaves_the_old_file_and_no_temporary_one(existing, tmp_path):
    output = tmp_path / "test.jsonl"
    if existing:
        output.write_text("old\n")
    result = export("--n", "2000", "--output", str(output), file_size_limit=16 * 1024)
    error = one_line_naming_output(result, 1)
    assert str(output) in error and "File too large" in error
    assert [p.name for p in tmp_path.iterdir()] == (["test.jsonl"] if existing else [])
    if existing:
        assert output.read_text() == "old\n"


def test_ctrl_c_ends_an_export_with_one_line_and_no_temporary_file(tmp_path):
    output = tmp_path / "test.jsonl"
    output.write_text("old\n")
    process = subprocess.Popen(
        [*CLI, "--n", "10000000", "--output", str(output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 2:  # the temporary file beside the output
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip() == "python -m datasets.agreement export: interrupted"
    assert [p.name for p in tmp_path.iterdir()] == ["test.jsonl"]
    assert output.read_text() == "old\n"
