"""`--strategy`: mirrored and one-worker multiworker train; an unsupported cluster is refused."""

import json
import os
import socket
import subprocess
import sys

import pytest

from train.__main__ import main

TINY_FLAGS = [
    "--dataset-config", "tiny", "--units", "16", "--embed-dim", "16", "--epochs", "3",
    "--train-size", "2000", "--batch-size", "64", "--learning-rate", "0.01",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tf_config(n_workers: int, index: int = 0) -> str:
    workers = [f"127.0.0.1:{free_port()}" for _ in range(n_workers)]
    return json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}})


@pytest.mark.parametrize("strategy", ["mirrored", "multiworker"])
def test_a_distributed_run_trains_and_learns(strategy, tmp_path, repo_root):
    env = {**os.environ, "TF_CONFIG": tf_config(1)}
    run_dir = tmp_path / strategy
    command = [
        sys.executable,
        "-m",
        "train",
        *TINY_FLAGS,
        "--strategy",
        strategy,
        "--run-dir",
        str(run_dir),
    ]
    result = subprocess.run(
        command, cwd=repo_root, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["test"]["accuracy"] > 0.7


@pytest.mark.parametrize(
    ("tf_config_value", "expected"),
    [
        (None, "set TF_CONFIG"),
        ("not json", "TF_CONFIG must be JSON"),
        (tf_config(2), "keras-team/keras#20585"),
    ],
)
def test_a_multiworker_run_that_cannot_start_says_why_and_writes_nothing(
    tf_config_value, expected, tmp_path, monkeypatch, capsys
):
    if tf_config_value is None:
        monkeypatch.delenv("TF_CONFIG", raising=False)
    else:
        monkeypatch.setenv("TF_CONFIG", tf_config_value)
    run_dir = tmp_path / "run"
    with pytest.raises(SystemExit) as exit_info:
        main(["--strategy", "multiworker", "--run-dir", str(run_dir)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "--strategy multiworker" in error and expected in error
    assert not run_dir.exists()
