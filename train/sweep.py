"""Sweeps: a grid of (model, seed) runs in one experiment directory.

    python -m train --model gru,simplified_gru,lstm,simple_rnn --seeds 3

Each run is its own ``python -m train`` process writing ``<experiment>/<model>-seed<seed>/``,
so a sweep can later be spread over machines. The experiment directory holds
``experiment.json`` (the grid) and the HParams experiment config that
``tensorboard --logdir <experiment>`` shows all runs with. The sweep locks the
experiment directory while it runs and each run locks its own; ``--overwrite`` replaces
only an experiment directory that a sweep wrote.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

from quiet_start import user_environment
from train import atomic_files, run_directory
from train.config import TrainConfig, flag_name
from train.hparams import write_experiment_config
from train.limits import check_before_creating
from train.run_contract import EXPERIMENT_FILE
from train.run_directory import RunDirError


def is_sweep_member(run_dir: Path) -> bool:
    """A run inside a sweep leaves the HParams experiment config to the sweep."""
    return (run_dir.parent / EXPERIMENT_FILE).is_file()


def grid(
    base: TrainConfig, models: list[str], n_seeds: int, experiment_dir: Path
) -> list[TrainConfig]:
    return [
        dataclasses.replace(
            base, model=model, seed=seed, run_dir=str(experiment_dir / f"{model}-seed{seed}")
        )
        for model in models
        for seed in range(base.seed, base.seed + n_seeds)
    ]


def config_to_argv(config: TrainConfig) -> list[str]:
    """The flags that make ``python -m train`` run exactly ``config``."""
    argv = []
    for spec in dataclasses.fields(TrainConfig):
        value = getattr(config, spec.name)
        if spec.name == "jit":
            argv += [] if value else ["--no-jit"]
        elif value is not None:
            # "--flag=value": a value that starts with "-" (--run-dir=-exp) stays a value.
            argv.append(f"{flag_name(spec.name)}={value}")
    return argv


def default_experiment_dir() -> Path:
    return Path("runs") / f"sweep-{time.strftime('%Y%m%d-%H%M%S')}"


def run_sweep(base: TrainConfig, models: list[str], n_seeds: int, overwrite: bool) -> Path:
    """Trains every (model, seed) of the grid, one process each; returns the experiment dir."""
    experiment_dir = Path(base.run_dir) if base.run_dir else default_experiment_dir()
    configs = grid(base, models, n_seeds, experiment_dir)
    for config in configs:  # every run's refusal comes before the first run is written
        check_before_creating(config)
    run_directory.check_location(experiment_dir, "--run-dir")
    if experiment_dir.exists() and any(experiment_dir.iterdir()):
        if not overwrite:
            raise RunDirError(
                f"--run-dir: {experiment_dir} already exists; pass --overwrite to replace it"
            )
        run_directory.refuse_unless_deletable(experiment_dir, "--overwrite", experiment=True)
    run_directory.make_directory(experiment_dir, "--run-dir")
    run_directory.hold_lock(experiment_dir, "--run-dir")
    if overwrite:
        # Each run locks its own directory: taking their locks proves none is being written.
        run_dirs = [entry for entry in experiment_dir.iterdir() if entry.is_dir()]
        for run_dir in run_dirs:
            run_directory.hold_lock(run_dir, "--overwrite")
        run_directory.clear(experiment_dir)
        for run_dir in run_dirs:
            run_directory.release_lock(run_dir)
    atomic_files.write_text(
        experiment_dir / EXPERIMENT_FILE,
        json.dumps(
            {"models": models, "seeds": n_seeds, "runs": [c.run_dir for c in configs]}, indent=2
        ),
    )
    write_experiment_config(experiment_dir, configs)
    for number, config in enumerate(configs, start=1):
        print(
            f"[sweep {number}/{len(configs)}] {config.model} seed {config.seed} → {config.run_dir}",
            flush=True,
        )
        command = [sys.executable, "-m", "train", *config_to_argv(config)]
        completed = subprocess.run(command, env=user_environment())
        if completed.returncode != 0:
            raise RuntimeError(
                f"run {config.run_dir} failed with exit status {completed.returncode}"
            )
    return experiment_dir
