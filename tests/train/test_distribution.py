"""`--strategy`: mirrored and multiworker runs train and learn; two workers train one model
as good as one process's; batches are split across replicas and workers without loss or
overlap; a cluster description that cannot work is refused in one line."""

import json
import os
import socket
import subprocess
import sys

import numpy as np
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


def cluster(n_workers: int) -> list[str]:
    return [f"127.0.0.1:{free_port()}" for _ in range(n_workers)]


def tf_config(workers: list[str] | int, index: int = 0) -> str:
    workers = cluster(workers) if isinstance(workers, int) else workers
    return json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}})


def start_workers(command: list[str], n_workers: int, repo_root) -> list[subprocess.Popen]:
    """One process per worker of a fresh cluster on 127.0.0.1; ``{index}`` in the command
    is replaced by the worker's index."""
    workers = cluster(n_workers)
    return [
        subprocess.Popen(
            [part.format(index=index) for part in command],
            cwd=repo_root,
            env={**os.environ, "TF_CONFIG": tf_config(workers, index)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(n_workers)
    ]


def finish(processes: list[subprocess.Popen], timeout: int = 400) -> None:
    try:
        for process in processes:
            _, stderr = process.communicate(timeout=timeout)
            assert process.returncode == 0, stderr[-3000:]
    finally:
        for process in processes:
            process.kill()


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
        (tf_config(2, index=2), "task.index must be 0 to 1"),
    ],
    # Named, since the third value holds free ports, which differ between xdist's workers.
    ids=["unset", "not JSON", "index out of range"],
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


def test_a_worker_says_which_worker_it_waits_for_and_gives_up_after_the_timeout():
    from train.distribution import WorkersMissing, wait_for_workers

    workers = cluster(2)  # nobody listens at worker 1's port
    said = []
    with pytest.raises(WorkersMissing) as error:
        wait_for_workers(workers, 0, timeout=1, log=said.append)
    assert said == [
        f"python -m train: waiting for worker 1 of 2 at {workers[1]} to start (the same "
        "command, with TF_CONFIG task.index 1); giving up after 1 s (--worker-timeout)"
    ]
    assert str(error.value) == (
        f"--worker-timeout: worker 1 of 2 at {workers[1]} did not start within 1 s; start the "
        "same command there, with its TF_CONFIG task.index"
    )
    with socket.create_server(("", int(workers[0].rpartition(":")[2]))):
        pass  # this worker's port is given back for TensorFlow's server


def test_workers_meet_whichever_starts_first_and_a_taken_port_is_refused():
    import threading

    from train.distribution import StrategyUnavailable, wait_for_workers

    workers = cluster(2)
    said, met = [], []

    def worker(index):
        wait_for_workers(workers, index, timeout=30, log=said.append)
        met.append(index)

    first = threading.Thread(target=worker, args=(0,))
    first.start()
    first.join(timeout=1.5)  # worker 0 waits alone for a while, and says so
    worker(1)
    # Worker 1's TensorFlow server now listens at its port, as TensorFlow's would.
    with socket.create_server(("", int(workers[1].rpartition(":")[2]))):
        first.join(timeout=30)
    assert sorted(met) == [0, 1] and said[0].startswith("python -m train: waiting for worker 1")
    with socket.create_server(("", int(workers[0].rpartition(":")[2]))):
        with pytest.raises(StrategyUnavailable, match="cannot be listened on"):
            wait_for_workers(workers, 0, timeout=1, log=said.append)


def test_worker_timeout_must_be_a_positive_number(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--strategy", "multiworker", "--worker-timeout", "0"])
    assert exit_info.value.code == 2
    assert "--worker-timeout: expected a positive number of seconds" in capsys.readouterr().err


def test_two_workers_train_one_model_as_good_as_one_process(tmp_path, repo_root):
    train_command = [sys.executable, "-m", "train", *TINY_FLAGS]
    workers = start_workers(
        [*train_command, "--strategy", "multiworker", "--run-dir", f"{tmp_path}/worker-{{index}}"],
        2,
        repo_root,
    )
    single = subprocess.run(
        [*train_command, "--run-dir", str(tmp_path / "single")],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=400,
    )
    finish(workers)
    assert single.returncode == 0, single.stderr[-2000:]

    import keras

    import zoo  # noqa: F401  (registers the zoo's layers for loading)

    first, second = (
        keras.saving.load_model(tmp_path / f"worker-{index}" / "model.keras") for index in (0, 1)
    )
    for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    metrics = {
        run: json.loads((tmp_path / run / "metrics.json").read_text())
        for run in ("worker-0", "worker-1", "single")
    }
    assert metrics["worker-0"]["test"] == metrics["worker-1"]["test"]
    for split in ("test", "test_long"):
        together, alone = metrics["worker-0"][split], metrics["single"][split]
        assert together["accuracy"] == pytest.approx(alone["accuracy"], abs=0.02)
    assert metrics["worker-0"]["test"]["accuracy"] > 0.9


@pytest.mark.parametrize("strategy", ["mirrored", "multiworker"])
def test_each_global_batch_is_split_across_replicas_without_loss_or_overlap(
    strategy, tmp_path, repo_root
):
    from train.batches import epoch_order

    probe = [sys.executable, str(repo_root / "tests" / "train" / "shard_probe.py"), strategy]
    if strategy == "mirrored":  # two replicas in one process
        finish(start_workers([*probe, f"{tmp_path}/probe-0.json"], 1, repo_root))
        n_processes = 1
    else:  # one replica in each of two workers
        finish(start_workers([*probe, f"{tmp_path}/probe-{{index}}.json"], 2, repo_root))
        n_processes = 2
    probes = [json.loads((tmp_path / f"probe-{i}.json").read_text()) for i in range(n_processes)]
    per_process = [found["steps"] for found in probes]

    order = epoch_order(probes[0]["sentences"], probes[0]["seed"], 0).tolist()
    batch_size = probes[0]["batch_size"]
    global_batches = [
        order[start : start + batch_size] for start in range(0, len(order), batch_size)
    ]
    assert all(len(steps) == len(global_batches) for steps in per_process)
    for step, global_batch in enumerate(global_batches):
        replicas = [part for steps in per_process for part in steps[step]]
        assert len(replicas) == 2 and all(replicas)
        assert sorted(replicas[0] + replicas[1]) == sorted(global_batch)


def test_a_multiworker_run_resumes_from_its_last_checkpoint_to_the_same_weights(
    tmp_path, repo_root
):
    import shutil

    import keras

    import zoo  # noqa: F401  (registers the zoo's layers for loading)

    env = {**os.environ, "TF_CONFIG": tf_config(1)}
    command = [sys.executable, "-m", "train", *TINY_FLAGS, "--strategy", "multiworker"]
    whole = tmp_path / "whole"
    run = subprocess.run([*command, "--run-dir", str(whole)], cwd=repo_root, env=env,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    cut = tmp_path / "cut"  # the same run, as if killed during its last epoch
    shutil.copytree(whole, cut)
    for written_later in ("model.keras", "metrics.json", "checkpoints/epoch-03.keras"):
        (cut / written_later).unlink()
    resumed = subprocess.run([sys.executable, "-m", "train", "--resume", str(cut)], cwd=repo_root,
                             env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    mine, reference = (keras.saving.load_model(d / "model.keras") for d in (cut, whole))
    for a, b in zip(mine.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
