"""Killed runs resume where they stopped; the same seed gives the same run."""

import json
import signal
import subprocess
import sys
import time

import keras
import numpy as np

import zoo  # noqa: F401  (registers the zoo's layers for keras.saving.load_model)
from train.checkpoints import completed_epochs
from train.config import TrainConfig
from train.run import prepare_run_dir, train

EPOCHS = 5


def train_command(run_dir):
    return [
        sys.executable, "-m", "train", "--dataset-config", "tiny", "--units", "8",
        "--embed-dim", "8", "--epochs", str(EPOCHS), "--train-size", "3000", "--batch-size", "32",
        "--seed", "3", "--run-dir", str(run_dir),
    ]  # fmt: skip


def run_ok(command, cwd):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_killed_run_resumes_to_the_weights_of_an_uninterrupted_run(tmp_path, repo_root):
    interrupted = tmp_path / "interrupted"
    process = subprocess.Popen(
        train_command(interrupted),
        cwd=repo_root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while len(completed_epochs(interrupted / "checkpoints")) < 2:
        assert process.poll() is None and time.monotonic() < deadline, (
            "the run ended before it was killed"
        )
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(completed_epochs(interrupted / "checkpoints")) < EPOCHS
    assert not (interrupted / "model.keras").exists()

    run_ok([sys.executable, "-m", "train", "--resume", str(interrupted)], repo_root)
    run_ok(train_command(tmp_path / "uninterrupted"), repo_root)

    resumed = keras.saving.load_model(interrupted / "model.keras")
    uninterrupted = keras.saving.load_model(tmp_path / "uninterrupted" / "model.keras")
    for mine, reference in zip(resumed.weights, uninterrupted.weights, strict=True):
        np.testing.assert_array_equal(np.asarray(mine), np.asarray(reference), err_msg=mine.path)
    assert sorted(completed_epochs(interrupted / "checkpoints")) == list(range(1, EPOCHS + 1))


def without_timing(metrics):
    return {key: value for key, value in metrics.items() if key != "train_seconds"}


def test_the_same_seed_gives_the_same_metrics_twice(tmp_path):
    metrics = []
    for attempt in ("first", "second"):
        config = TrainConfig(
            dataset_config="tiny", units=8, embed_dim=8, epochs=2, train_size=1000,
            seed=5, run_dir=str(tmp_path / attempt),
        )  # fmt: skip
        metrics.append(train(config, prepare_run_dir(config, overwrite=False)))
    assert without_timing(metrics[0]) == without_timing(metrics[1])
    saved = json.loads((tmp_path / "first" / "metrics.json").read_text())
    assert without_timing(saved) == without_timing(metrics[0])
