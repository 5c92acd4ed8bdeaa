"""`python -m evaluate quiz`: runs the quiz's sweep (train's, tiny) and answers which cell
keeps agreement far."""

import csv
import json
import subprocess
import sys

import pytest

from evaluate.__main__ import main

TINY_QUIZ = [
    "--seeds", "1", "--epochs", "1", "--train-size", "200", "--dataset-config", "tiny",
    "--units", "8", "--embed-dim", "8", "--batch-size", "64", "--no-jit",
    "--gradient-examples", "16",
]  # fmt: skip
MODELS = ["gru", "gru_no_update_gate", "gru_no_reset_gate", "simple_rnn"]


def test_the_quiz_trains_every_cell_and_compares_them_by_distance(tmp_path, capsys):
    out = tmp_path / "quiz"
    assert main(["quiz", "--out", str(out), *TINY_QUIZ]) == 0
    stdout = capsys.readouterr().out
    assert {p.name for p in out.iterdir()} == {"runs", "quiz.csv", "quiz_gradients.csv", "quiz.png"}
    trained = sorted(p.parent.name for p in (out / "runs").glob("*/metrics.json"))
    assert trained == sorted(f"{m}-seed0" for m in MODELS)
    grid = json.loads((out / "runs" / "experiment.json").read_text())  # train's sweep wrote it
    assert grid["models"] == MODELS and grid["seeds"] == 1
    with open(out / "quiz.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["model"] for r in rows} == set(MODELS)
    for row in rows:
        assert float(row["ci_low"]) <= float(row["accuracy"]) <= float(row["ci_high"])
    table = [line for line in stdout.splitlines() if line.startswith("| ")]
    assert [line.split(" | ")[0].strip("| ") for line in table[1:]] == MODELS
    assert "headline: at 10-14 words, keeps agreement" in stdout and "answer:" in stdout
    # A second quiz continues the same sweep: it keeps the runs and gives the same answer.
    assert main(["quiz", "--out", str(out), *TINY_QUIZ]) == 0
    second = capsys.readouterr()
    assert second.out == stdout
    assert f"[sweep 1/4] gru seed 0: finished in {out / 'runs' / 'gru-seed0'}, kept" in second.err


def test_the_quiz_refuses_unknown_models_before_training(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["quiz", "--out", str(tmp_path / "q"), "--models", "gru,lstn", *TINY_QUIZ])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "--model" in error and "lstn" in error
    assert not (tmp_path / "q").exists()


def test_the_quiz_trains_in_processes_of_their_own_and_leaves_this_one_as_it_was(
    tmp_path, repo_root
):
    """Training turns on TensorFlow's op determinism for its process; the quiz's runs are
    `python -m train` processes, as a sweep's are, so the quiz's own process keeps its state."""
    probe = (
        "import sys\n"
        "from tensorflow.python.framework import config\n"
        "from evaluate.__main__ import main\n"
        f"main(['quiz', '--out', {str(tmp_path / 'q')!r}, '--models', 'gru', *{TINY_QUIZ!r}])\n"
        "print('determinism', config.is_op_determinism_enabled())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo_root, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "determinism False"
    assert (tmp_path / "q" / "runs" / "gru-seed0" / "metrics.json").is_file()


def quiz_sweep(experiment, **changes):
    """A one-run quiz sweep of gru, as the quiz writes it for TINY_QUIZ, its run not started."""
    from train.config import TrainConfig

    settings = dict(
        dataset_config="tiny", epochs=1, train_size=200, units=8, embed_dim=8, batch_size=64,
        jit=False, run_dir=str(experiment),
    )  # fmt: skip
    config = TrainConfig(**settings | changes)
    grid = {
        "config": json.loads(config.to_json()),
        "models": ["gru"],
        "seeds": 1,
        "runs": [str(experiment / "gru-seed0")],
    }
    experiment.mkdir(parents=True)
    (experiment / "experiment.json").write_text(json.dumps(grid))
    return experiment


def files_of(directory) -> dict:
    return {p: p.read_bytes() for p in directory.rglob("*") if p.is_file() and p.name != ".lock"}


def test_a_quiz_over_a_sweep_of_other_settings_is_refused_in_one_line(tmp_path, capsys):
    experiment = quiz_sweep(tmp_path / "q" / "runs", epochs=2)
    before = files_of(experiment)
    with pytest.raises(SystemExit) as exit_info:
        main(["quiz", "--out", str(tmp_path / "q"), "--models", "gru", *TINY_QUIZ])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert error.startswith("python -m evaluate quiz: error: --out: a resumed sweep keeps")
    assert "drop --epochs 1 (the sweep has 2)" in error
    assert files_of(experiment) == before


def test_a_quiz_directory_of_runs_that_is_no_sweep_is_refused_in_one_line(tmp_path, capsys):
    run_dir = tmp_path / "q" / "runs" / "gru-seed0"
    run_dir.mkdir(parents=True)
    (run_dir / "config.json").write_text("{}")
    with pytest.raises(SystemExit) as exit_info:
        main(["quiz", "--out", str(tmp_path / "q"), "--models", "gru", *TINY_QUIZ])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        f"python -m evaluate quiz: error: --out: {tmp_path / 'q' / 'runs'} holds files but no "
        "sweep (experiment.json); move them away or choose another --out"
    )
    assert (run_dir / "config.json").read_text() == "{}"


@pytest.mark.parametrize("finished", [True, False], ids=["with metrics", "without metrics"])
def test_a_quiz_run_directory_whose_config_is_not_json_is_refused_in_one_line(
    finished, tmp_path, capsys
):
    run_dir = quiz_sweep(tmp_path / "q" / "runs") / "gru-seed0"
    run_dir.mkdir(parents=True)
    binary = b"\x89PNG\r\n\x1a\n\x00\xff\xfe"
    (run_dir / "config.json").write_bytes(binary)
    if finished:
        (run_dir / "metrics.json").write_text("{}")
    with pytest.raises(SystemExit) as exit_info:
        main(["quiz", "--out", str(tmp_path / "q"), "--models", "gru", *TINY_QUIZ])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "Traceback" not in error
    assert error.startswith(f"python -m evaluate quiz: error: --out: {run_dir / 'config.json'}: ")
    assert (run_dir / "config.json").read_bytes() == binary
    assert sorted(path.name for path in run_dir.iterdir()) == (
        ["config.json", "metrics.json"] if finished else ["config.json"]
    )
