"""`--model a,b --seeds N` trains the grid into one experiment with one HParams view."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import metadata

from cli_support.quiet_tensorflow import is_tensorflow_log_line
from train import sweep
from train.stop_signals import SWEEP_RUN_VARIABLE
from train.sweep import EXPERIMENT_FILE


def hparams_tags(log_dir) -> set[str]:
    accumulator = EventAccumulator(str(log_dir), size_guidance={"tensors": 0})
    accumulator.Reload()
    return set(accumulator.Tags()["tensors"])


def test_a_sweep_trains_every_model_and_seed_into_one_experiment(tmp_path, repo_root):
    experiment = tmp_path / "sweep"
    command = [
        sys.executable, "-m", "train", "--model", "gru,simple_rnn", "--seeds", "2",
        "--dataset-config", "tiny", "--units", "4", "--embed-dim", "4", "--epochs", "1",
        "--train-size", "200", "--run-dir", str(experiment),
    ]  # fmt: skip
    # As a user starts it, with no TensorFlow log level of their own.
    environment = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run(
        command, cwd=repo_root, capture_output=True, text=True, timeout=600, env=environment
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # Neither the sweep nor its runs print TensorFlow's C++ start-up lines.
    assert not [line for line in result.stderr.splitlines() if is_tensorflow_log_line(line)]

    runs = ["gru-seed0", "gru-seed1", "simple_rnn-seed0", "simple_rnn-seed1"]
    assert sorted(path.parent.name for path in experiment.glob("*/metrics.json")) == runs
    grid = json.loads((experiment / EXPERIMENT_FILE).read_text())
    assert grid["models"] == ["gru", "simple_rnn"] and grid["seeds"] == 2
    configs = [json.loads((experiment / run / "config.json").read_text()) for run in runs]
    assert [(c["model"], c["seed"]) for c in configs] == [
        ("gru", 0),
        ("gru", 1),
        ("simple_rnn", 0),
        ("simple_rnn", 1),
    ]
    for run in runs:
        assert run in result.stdout  # the summary lists every run

    assert metadata.EXPERIMENT_TAG in hparams_tags(experiment)
    for run in runs:
        run_tags = hparams_tags(experiment / run / "logs")
        assert metadata.SESSION_START_INFO_TAG in run_tags
        assert metadata.EXPERIMENT_TAG not in run_tags


def test_a_childs_flags_give_back_its_config_even_for_values_that_start_with_a_dash():
    from train.cli import parse_config
    from train.config import TrainConfig
    from train.sweep import config_to_argv

    config = TrainConfig(model="lstm", dataset_config="tiny", run_dir="-exp/lstm-seed0", jit=False)
    parsed, _ = parse_config(config_to_argv(config))
    assert parsed == config


SWEEP = [
    "--model", "gru", "--seeds", "2", "--dataset-config", "tiny", "--units", "4",
    "--embed-dim", "4", "--epochs", "2", "--train-size", "3000", "--batch-size", "32",
    "--no-jit",
]  # fmt: skip


def start_sweep(experiment, repo_root):
    return subprocess.Popen(
        [sys.executable, "-m", "train", *SWEEP, "--run-dir", str(experiment)], cwd=repo_root,
        env=as_a_user_starts_it(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def as_a_user_starts_it() -> dict:
    """The environment with no TensorFlow log level of the user's own."""
    return {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}


def wait_for(condition, process, what):
    deadline = time.monotonic() + 300
    while not condition():
        assert process.poll() is None, f"the sweep ended before {what}"
        assert time.monotonic() < deadline, f"no {what} after 300 s"
        time.sleep(0.05)


def children(pid) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def runs_started(pid) -> list[int]:
    """The sweep's children that are runs: those whose environment has the variable the sweep
    sets for its runs (a child forked but not yet running its program has the sweep's own).
    Not every child is a run: importing TensorFlow runs ``uname -p`` (h5py asks `platform`),
    and a signal sent then reaches the sweep before it trains anything."""

    def is_a_run(child):
        try:
            environment = Path(f"/proc/{child}/environ").read_bytes().split(b"\0")
            return f"{SWEEP_RUN_VARIABLE}=1".encode() in environment
        except (FileNotFoundError, ProcessLookupError):  # it ended since (ESRCH when it
            return False  # ended between listing its parent's children and this read)

    return [child for child in children(pid) if is_a_run(child)]


def test_a_sweep_stopped_by_sigterm_stops_its_run_and_resume_continues_it(tmp_path, repo_root):
    experiment = tmp_path / "sweep"
    sweep = start_sweep(experiment, repo_root)
    stopped_in = experiment / "gru-seed0"
    wait_for(lambda: (stopped_in / "checkpoints" / "epoch-01.keras").exists(), sweep, "epoch 1")
    [child] = children(sweep.pid)
    sweep.send_signal(signal.SIGTERM)
    _, stderr = sweep.communicate(timeout=120)

    assert sweep.returncode == 143
    # One line, the sweep's: the run it stopped ends without one of its own.
    assert [line for line in stderr.splitlines() if "interrupted" in line] == [
        stderr.strip().splitlines()[-1]
    ]
    assert stderr.strip().splitlines()[-1] == (
        f"python -m train: error: interrupted by SIGTERM; continue with: "
        f"python -m train --resume {experiment}"
    )
    assert not Path(f"/proc/{child}").exists()  # stopped and reaped, not orphaned
    assert not (stopped_in / "metrics.json").exists() and not (stopped_in / ".lock").exists()
    assert not (experiment / "gru-seed1").exists()
    first_epoch = (stopped_in / "checkpoints" / "epoch-01.keras").read_bytes()

    result = subprocess.run(
        [sys.executable, "-m", "train", "--resume", str(experiment)],
        cwd=repo_root, env=as_a_user_starts_it(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"[sweep 1/2] gru seed 0 → {stopped_in}, resumed" in result.stdout
    assert f"[sweep 2/2] gru seed 1 → {experiment / 'gru-seed1'}\n" in result.stdout
    # Resumed after its first epoch, not started again.
    assert (stopped_in / "checkpoints" / "epoch-01.keras").read_bytes() == first_epoch
    assert sorted(path.parent.name for path in experiment.glob("*/metrics.json")) == [
        "gru-seed0", "gru-seed1"
    ]  # fmt: skip
    # Neither the sweep nor its runs print TensorFlow's C++ start-up lines, even resumed.
    for output in (stderr, result.stderr):
        assert not [line for line in output.splitlines() if is_tensorflow_log_line(line)]


def test_ctrl_c_to_a_sweep_stops_its_running_child_too(tmp_path, repo_root):
    experiment = tmp_path / "sweep"
    sweep = start_sweep(experiment, repo_root)
    wait_for(lambda: runs_started(sweep.pid), sweep, "a run started")
    [child] = runs_started(sweep.pid)
    started = process_start(child)
    sweep.send_signal(signal.SIGINT)
    _, stderr = sweep.communicate(timeout=120)
    assert sweep.returncode == 130
    assert stderr.strip().splitlines()[-1] == (
        f"python -m train: error: interrupted by SIGINT; continue with: "
        f"python -m train --resume {experiment}"
    )
    # Gone, or its number taken by a new process (numbers wrap around and are reused).
    assert started is not None and process_start(child) != started


def test_ctrl_c_while_a_child_starts_still_stops_that_child(tmp_path, monkeypatch):
    """Ctrl-C may come after the child's program has started but before `Popen` has
    returned it, a moment a loaded CPU makes longer: the sweep must still stop that child,
    not leave it running."""
    started = []
    start_child = subprocess.Popen

    def ctrl_c_as_popen_returns(*args, **kwargs):
        started.append(start_child(*args, **kwargs))
        signal.raise_signal(signal.SIGINT)
        return started[-1]

    monkeypatch.setattr(sweep.subprocess, "Popen", ctrl_c_as_popen_returns)
    try:
        with pytest.raises(KeyboardInterrupt):
            sweep._run_child([sys.executable, "-c", "import time; time.sleep(120)"], tmp_path)
        [child] = started
        assert child.poll() is not None  # stopped and reaped
    finally:
        for child in started:
            child.kill()
            child.wait()


def process_start(pid) -> int | None:
    """When the process started (clock ticks after boot, /proc/PID/stat's 22nd field), or
    None if there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])  # fields after the name start at 3


def sweep_of(tiny_run, experiment, with_config=True):
    """A one-run sweep whose run is a copy of the tiny run, as a sweep writes it."""
    import shutil

    config, run_dir, _ = tiny_run
    shutil.copytree(run_dir, experiment / "gru-seed0", ignore=shutil.ignore_patterns(".lock"))
    grid = {"models": ["gru"], "seeds": 1, "runs": [str(experiment / "gru-seed0")]}
    if with_config:
        grid["config"] = json.loads(config.to_json()) | {"run_dir": str(experiment)}
    (experiment / EXPERIMENT_FILE).write_text(json.dumps(grid))
    return experiment


def test_resume_of_a_finished_sweep_keeps_its_runs(tiny_run, tmp_path, capsys):
    from train.__main__ import main

    experiment = sweep_of(tiny_run, tmp_path / "sweep")
    before = files_of(experiment)
    assert main(["--resume", str(experiment)]) == 0
    out = capsys.readouterr().out
    assert f"[sweep 1/1] gru seed 0: finished in {experiment / 'gru-seed0'}, kept" in out
    assert files_of(experiment) == before


def files_of(directory) -> dict:
    """Every file's content, but the lock this process holds until it ends."""
    return {p: p.read_bytes() for p in directory.rglob("*") if p.is_file() and p.name != ".lock"}


@pytest.mark.parametrize("case", ["another run", "no config", "a changed flag"])
def test_resume_of_a_sweep_refuses_what_is_not_that_sweep_in_one_line(
    case, tiny_run, tmp_path, capsys
):
    from train.__main__ import main

    experiment = sweep_of(tiny_run, tmp_path / "sweep", with_config=case != "no config")
    argv = ["--resume", str(experiment)]
    if case == "another run":
        run_config = experiment / "gru-seed0" / "config.json"
        run_config.write_text(json.dumps(json.loads(run_config.read_text()) | {"units": 99}))
        (experiment / "gru-seed0" / "metrics.json").unlink()
    if case == "a changed flag":
        argv += ["--epochs", "9"]
    before = files_of(experiment)
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and error.startswith("python -m train: error: --resume:")
    assert {
        "another run": f"{experiment / 'gru-seed0' / 'config.json'} is another run than the "
        "sweep lists: --units 99 (the sweep has 16)",
        "no config": f"{experiment / EXPERIMENT_FILE} has no 'config'",
        "a changed flag": "drop --epochs 9 (the sweep has 4)",
    }[case] in error
    assert files_of(experiment) == before


def test_resume_of_a_finished_sweep_of_several_models_keeps_its_runs(tiny_run, tmp_path, capsys):
    from train.__main__ import main

    experiment = sweep_of(tiny_run, tmp_path / "sweep")
    config, run_dir, _ = tiny_run
    other = experiment / "simple_rnn-seed0"
    shutil.copytree(run_dir, other, ignore=shutil.ignore_patterns(".lock"))
    settings = json.loads((other / "config.json").read_text())
    (other / "config.json").write_text(json.dumps(settings | {"model": "simple_rnn"}))
    grid = json.loads((experiment / EXPERIMENT_FILE).read_text())
    grid |= {"models": ["gru", "simple_rnn"], "runs": [*grid["runs"], str(other)]}
    (experiment / EXPERIMENT_FILE).write_text(json.dumps(grid))
    before = files_of(experiment)
    assert main(["--resume", str(experiment)]) == 0
    out = capsys.readouterr().out
    assert f"[sweep 2/2] simple_rnn seed 0: finished in {other}, kept" in out
    assert files_of(experiment) == before


def test_two_names_of_one_model_are_one_model_of_the_sweep():
    from train.sweep import distinct_models

    models, notes = distinct_models(["gru", "simplified_gru", "lstm", "gru_no_reset_gate"])
    assert models == ["gru", "simplified_gru", "lstm"]
    assert notes == [
        "gru_no_reset_gate is the same model as simplified_gru: trained once, as simplified_gru"
    ]
    assert distinct_models(["gru_no_reset_gate", "simplified_gru"])[0] == ["gru_no_reset_gate"]


def test_a_sweep_given_both_names_of_a_model_trains_it_once(tmp_path, monkeypatch, capsys):
    from train import sweep
    from train.config import TrainConfig

    trained = []
    monkeypatch.setattr(sweep, "train_grid", lambda _, configs, **__: trained.extend(configs))
    base = TrainConfig(dataset_config="tiny", run_dir=str(tmp_path / "sweep"))
    sweep.run_sweep(base, ["simplified_gru", "gru", "gru_no_reset_gate"], 2, overwrite=False)
    assert [(c.model, c.seed) for c in trained] == [
        ("simplified_gru", 0), ("simplified_gru", 1), ("gru", 0), ("gru", 1)
    ]  # fmt: skip
    grid = json.loads((tmp_path / "sweep" / EXPERIMENT_FILE).read_text())
    assert grid["models"] == ["simplified_gru", "gru"] and len(grid["runs"]) == 4
    assert "gru_no_reset_gate is the same model as simplified_gru" in capsys.readouterr().out
    assert sweep.sweep_runs(tmp_path / "sweep") == [Path(c.run_dir) for c in trained]


def test_the_summary_of_a_sweep_names_a_model_by_all_its_names(tmp_path):
    from train.config import TrainConfig
    from train.run_summary import sweep_summary

    for model in ("gru", "simplified_gru"):
        run_dir = tmp_path / f"{model}-seed0"
        run_dir.mkdir()
        (run_dir / "config.json").write_text(TrainConfig(model=model).to_json())
        accuracy = {"accuracy": 0.75}
        (run_dir / "metrics.json").write_text(json.dumps({"test": accuracy, "test_long": accuracy}))
    lines = sweep_summary(tmp_path).splitlines()
    assert [line.split("  ")[0].strip() for line in lines[1:]] == [
        "gru-seed0",
        "simplified_gru-seed0 (= gru_no_reset_gate)",
    ]


@pytest.mark.parametrize(
    ("argv", "models", "seeds"),
    [
        (["--sweep", "quiz"], ["gru", "gru_no_update_gate", "gru_no_reset_gate", "simple_rnn"], 3),
        (["--sweep", "quiz", "--seeds", "1"], None, 1),
    ],
)
def test_a_named_sweep_sets_the_models_and_seeds(argv, models, seeds):
    from train.cli import parse_config
    from train.presets import SWEEP_PRESETS

    config, args = parse_config([*argv, "--dataset-config", "tiny"])
    assert args.models == list(models or SWEEP_PRESETS["quiz"].models)
    assert args.seeds == seeds and config.model == args.models[0]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--sweep", "quiz", "--model", "gru"], "--sweep: the quiz sweep names its models"),
        (["--sweep", "quizz"], "--sweep: invalid choice: 'quizz'"),
        (["--sweep", "quiz", "--resume", "runs/x"], "--resume: continues one run or sweep"),
    ],
)
def test_a_named_sweep_refuses_what_would_change_it_in_one_line(argv, expected, capsys):
    from train.cli import parse_config

    with pytest.raises(SystemExit) as exit_info:
        parse_config(argv)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and expected in error


def test_every_named_sweep_names_registered_models_once():
    import zoo
    from train.presets import SWEEP_PRESETS
    from train.sweep import distinct_models

    for preset in SWEEP_PRESETS.values():
        assert set(preset.models) <= set(zoo.names()) and preset.seeds >= 1
        assert distinct_models(list(preset.models))[0] == list(preset.models)
