"""`python -m evaluate RUN_DIR…` compares runs; bad paths get one-line errors."""

import shutil

import pytest

from evaluate.__main__ import main


def test_a_run_and_a_directory_of_runs_are_both_compared(tiny_run, tmp_path, capsys):
    config, run_dir, metrics = tiny_run
    sweep = tmp_path / "sweep"
    shutil.copytree(run_dir, sweep / "gru-seed0")
    assert main([str(run_dir), str(sweep)]) == 0
    per_run_table = capsys.readouterr().out.split("\n\n")[0]
    rows = [
        line
        for line in per_run_table.splitlines()
        if line.startswith("| ") and config.model in line
    ]
    assert len(rows) == 2
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert float(cells[-2]) == pytest.approx(metrics["test"]["accuracy"], abs=5e-4)
        assert float(cells[-1]) == pytest.approx(metrics["test_long"]["accuracy"], abs=5e-4)


@pytest.mark.parametrize("make_bad_path", ["missing", "empty", "unfinished"])
def test_paths_that_are_not_runs_get_one_line_errors(make_bad_path, tmp_path, capsys):
    path = tmp_path / "run"
    if make_bad_path != "missing":
        path.mkdir()
    if make_bad_path == "unfinished":
        (path / "config.json").write_text("{}")
    with pytest.raises(SystemExit) as exit_info:
        main([str(path)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "RUN_DIR" in error and str(path) in error
