"""A command's output goes on quietly once its reader has left (`| head`), and a closed
standard output (`>&-`) is the null device, never the next file the command opens."""

import os
import subprocess
import sys

from cli_support.standard_streams import reader_may_leave


def a_pipe_whose_reader_left():
    """A text stream on a pipe whose reading end is closed, as after `| head` exits."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return open(write_end, "w", buffering=1)  # line-buffered: each line meets the closed pipe


def test_output_goes_on_quietly_once_its_reader_has_left(monkeypatch):
    stream = a_pipe_whose_reader_left()
    monkeypatch.setattr(sys, "stdout", stream)
    try:
        reader_may_leave()
        print("a line the reader no longer wants")  # BrokenPipeError without the guard
        print("and the next", flush=True)
        assert os.readlink(f"/proc/self/fd/{stream.fileno()}") == os.devnull
        reader_may_leave()  # a second call keeps the one guard
        assert sys.stdout._stream is stream
    finally:
        stream.close()


def test_a_closed_standard_output_is_the_null_device_not_the_next_file_opened(tmp_path, repo_root):
    probe = (
        "import os, sys\n"
        "from cli_support.standard_streams import reader_may_leave\n"
        "reader_may_leave()\n"
        "print('lost', sys.stdout.isatty())\n"
        f"with open({str(tmp_path / 'opened')!r}, 'w') as f: print(f.fileno(), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo_root, stderr=subprocess.PIPE,
        text=True, timeout=60, preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert int(result.stderr) > 2  # descriptor 1 was taken by the null device
    assert (tmp_path / "opened").read_text() == ""
