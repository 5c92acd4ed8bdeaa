"""What a user can cause ends a command in one line on stderr and a status that says what
kind of failure it was; anything else is a bug and keeps its traceback."""

import errno

import pytest

from cli_support.errors import FileError, InputError, fail, one_line_errors


def ended_by(raised, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        with one_line_errors("python -m tool"):
            raise raised
    return exit_info.value.code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("raised", "status", "line"),
    [
        (InputError("--units: expected a positive integer, got 0"), 2,
         "python -m tool: error: --units: expected a positive integer, got 0"),
        (FileError("--out: cannot write 'o/a.csv': No space left on device"), 1,
         "python -m tool: error: --out: cannot write 'o/a.csv': No space left on device"),
        (OSError(errno.EACCES, "Permission denied", "runs/a"), 1,
         "python -m tool: error: 'runs/a': Permission denied"),
        (RecursionError(), 1, "python -m tool: error: an input is nested too deeply to read"),
        (KeyboardInterrupt(), 130, "python -m tool: interrupted"),
    ],
    ids=["bad input", "a file", "an OS error", "too deep", "Ctrl-C"],
)  # fmt: skip
def test_what_a_user_can_cause_is_one_line_and_its_status(raised, status, line, capsys):
    assert ended_by(raised, capsys) == (status, line + "\n")


def test_a_message_over_several_lines_is_printed_on_one(capsys):
    assert ended_by(InputError("--config: line 1\nline 2"), capsys) == (
        2,
        "python -m tool: error: --config: line 1 line 2\n",
    )
    with pytest.raises(SystemExit) as exit_info:
        fail("python -m tool", "a\nb", status=1)
    assert exit_info.value.code == 1 and capsys.readouterr().err == "python -m tool: error: a b\n"


def test_a_bug_keeps_its_traceback():
    """A ValueError that is not an InputError came from the code, not from the user."""
    with pytest.raises(ValueError, match="a bug"):
        with one_line_errors("python -m tool"):
            raise ValueError("a bug")
