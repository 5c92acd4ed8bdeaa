"""`python -m evaluate` dispatches on a subcommand name and imports only what that one needs."""

import subprocess
import sys

import pytest

from evaluate.__main__ import SUBCOMMANDS, main


def test_the_entry_point_imports_neither_tensorflow_nor_train_nor_datasets(repo_root):
    probe = (
        "import sys, evaluate.__main__ as entry; "
        "heavy = [m for m in ('tensorflow', 'keras', 'train', 'datasets') if m in sys.modules]; "
        "print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo_root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_subcommand_module_has_the_contract(name):
    import importlib

    module = importlib.import_module(SUBCOMMANDS[name])
    assert callable(module.add_arguments) and callable(module.run) and module.__doc__


def test_bad_flags_get_one_line_errors_naming_the_argument(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["units", str(tmp_path), "--out", str(tmp_path / "o"), "--top", "two"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "--top" in error


def test_a_word_that_is_no_subcommand_is_read_as_a_missing_run_in_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["speed"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "speed" in error


def test_a_file_given_for_a_run_directory_is_called_a_file_not_missing(tmp_path, capsys):
    a_file = tmp_path / "config.json"
    a_file.write_text("{}")
    with pytest.raises(SystemExit) as exit_info:
        main([str(a_file)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert (
        error
        == f"python -m evaluate: error: RUN_DIR: {str(a_file)!r} is a file, not a run directory"
    )
