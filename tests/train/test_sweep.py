"""`--model a,b --seeds N` trains the grid into one experiment with one HParams view."""

import json
import os
import subprocess
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import metadata

from quiet_start import is_tensorflow_log_line
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
