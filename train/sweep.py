"""Sweeps: a grid of (model, seed) runs in one experiment directory.

    python -m train --model gru,simplified_gru,lstm,simple_rnn --seeds 3
    python -m train --sweep quiz                         # a named sweep (train/presets.py)
    python -m train --resume runs/sweep-20261124-110000   # continue an interrupted sweep

This module is the one place that trains several runs: the command line's sweeps, the
named ones and ``python -m evaluate quiz`` all run through :func:`run_sweep` and
:func:`resume_sweep`. Each run is its own ``python -m train`` process writing
``<experiment>/<model>-seed<seed>/``, so a sweep can later be spread over machines.
Two names of one registry entry (``gru_no_reset_gate`` is ``simplified_gru``) are one
model: a sweep given both trains it once, under the first name given.

The experiment directory holds ``experiment.json`` (the sweep's settings and its grid)
and the HParams experiment config that ``tensorboard --logdir <experiment>`` shows all runs
with. The sweep locks the experiment directory while it runs and each run locks its own;
``--overwrite`` replaces only an experiment directory that a sweep wrote.

A sweep is continued with ``--resume`` on its experiment directory: finished runs (those
with ``metrics.json``) are kept and skipped, a started one is resumed from its last
checkpoint (``python -m train --resume RUN``) and the others are trained. SIGINT or
SIGTERM to the sweep stops the running child too, waits for it, and says how to continue:
the child runs in a process group of its own, so the sweep alone decides when it stops,
and it never outlives the sweep as an orphan.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shlex
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

from cli_support import atomic_files
from cli_support.quiet_tensorflow import user_environment
from train import run_directory
from train.config import TrainConfig, changed_settings, flag_name
from train.hparams import write_experiment_config
from train.limits import check_before_creating
from train.run_contract import CONFIG_FILE, EXPERIMENT_FILE, METRICS_FILE
from train.run_directory import RunDirError
from train.stop_signals import (
    STOP_STATUS,
    SWEEP_RUN_VARIABLE,
    Terminated,
    signal_of,
    sigterm_raises,
    stop_signals_handled_by,
)

# How long a stopped child may take to end before it is killed.
CHILD_STOP_SECONDS = 60


class SweepStopped(Exception):
    """SIGINT or SIGTERM stopped the sweep, and its running child with it."""

    def __init__(self, message: str, signal_number: int):
        super().__init__(message)
        self.status = STOP_STATUS[signal_number]


def is_sweep_member(run_dir: Path) -> bool:
    """A run inside a sweep leaves the HParams experiment config to the sweep."""
    return (run_dir.parent / EXPERIMENT_FILE).is_file()


def is_sweep(directory: Path) -> bool:
    return (directory / EXPERIMENT_FILE).is_file()


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


def distinct_models(models: list[str]) -> tuple[list[str], list[str]]:
    """``models`` with each registry entry once, under the first of its names given, and a
    line for each name left out, saying which model it is trained as."""
    from zoo.registry import canonical_name

    kept, notes = {}, []
    for model in models:
        entry = canonical_name(model)
        if entry in kept:
            notes.append(
                f"{model} is the same model as {kept[entry]}: trained once, as {kept[entry]}"
            )
        else:
            kept[entry] = model
    return list(kept.values()), notes


def sweep_runs(experiment_dir: Path) -> list[Path]:
    """The run directories of the sweep in ``experiment_dir``, in the order it trains them
    (model by model, seed by seed), as its ``experiment.json`` lists them."""
    values = json.loads((experiment_dir / EXPERIMENT_FILE).read_text(encoding="utf-8"))
    return [experiment_dir / Path(run).name for run in values["runs"]]


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


def run_sweep(
    base: TrainConfig,
    models: list[str],
    n_seeds: int,
    overwrite: bool,
    *,
    flag: str = "--run-dir",
    to_stderr: bool = False,
) -> Path:
    """Trains every (model, seed) of the grid, one process each; returns the experiment dir.

    ``flag`` is the argument that named the experiment directory, as errors give it;
    ``to_stderr`` sends the sweep's lines and its runs' output to stderr, leaving stdout to
    a caller's own report.
    """
    experiment_dir = Path(base.run_dir) if base.run_dir else default_experiment_dir()
    models, notes = distinct_models(models)
    configs = grid(base, models, n_seeds, experiment_dir)
    for config in configs:  # every run's refusal comes before the first run is written
        check_before_creating(config)
    run_directory.check_location(experiment_dir, flag)
    if experiment_dir.exists() and any(experiment_dir.iterdir()):
        if not overwrite:
            raise RunDirError(
                f"{flag}: {experiment_dir} already exists; pass --overwrite to replace it "
                f"or --resume {experiment_dir} to continue it"
            )
        run_directory.refuse_unless_deletable(experiment_dir, "--overwrite", experiment=True)
    run_directory.make_directory(experiment_dir, flag)
    run_directory.hold_lock(experiment_dir, flag)
    if overwrite:
        # Each run locks its own directory: taking their locks proves none is being written.
        run_dirs = [entry for entry in experiment_dir.iterdir() if entry.is_dir()]
        for run_dir in run_dirs:
            run_directory.hold_lock(run_dir, "--overwrite")
        run_directory.clear(experiment_dir)
        for run_dir in run_dirs:
            run_directory.release_lock(run_dir)
    settings = json.loads(dataclasses.replace(base, run_dir=str(experiment_dir)).to_json())
    atomic_files.write_text(
        experiment_dir / EXPERIMENT_FILE,
        json.dumps(
            {
                "config": settings,
                "models": models,
                "seeds": n_seeds,
                "runs": [c.run_dir for c in configs],
            },
            indent=2,
        ),
    )
    write_experiment_config(experiment_dir, configs)
    for note in notes:
        print(note, file=sys.stderr if to_stderr else sys.stdout, flush=True)
    train_grid(experiment_dir, configs, to_stderr=to_stderr)
    return experiment_dir


def resume_sweep(
    experiment_dir: Path,
    changes: dict | None = None,
    *,
    seeds: int | None = None,
    flag: str = "--resume",
    to_stderr: bool = False,
) -> Path:
    """Continues the sweep in ``experiment_dir`` with the settings of its
    ``experiment.json``; returns the experiment dir.

    ``changes`` (flags or ``--config`` keys) that differ from those settings are refused,
    as for a run, and so is a number of ``seeds`` other than the sweep's. Every run
    directory is checked before the first child starts: one whose ``config.json`` is not
    the run the grid names, or that holds files but no ``config.json``, is refused in one
    line. ``flag`` names the argument that named ``experiment_dir``, as errors give it;
    ``to_stderr`` as for :func:`run_sweep`.
    """
    path = experiment_dir / EXPERIMENT_FILE
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise RunDirError(f"{flag}: {path} is not JSON (truncated?)") from None
    problem = run_directory.experiment_problem(values)
    if problem is not None:
        raise RunDirError(f"{flag}: {path} is not a sweep's: {problem}")
    if "config" not in values:
        raise RunDirError(
            f"{flag}: {path} has no 'config' (written before sweeps could be continued), so "
            f"the sweep's settings are unknown; start it again with --run-dir {experiment_dir} "
            "--overwrite and its flags"
        )
    base = TrainConfig(**values["config"])
    models, n_seeds = values["models"], values["seeds"]
    # The sweep's models as one setting, as --model gives them; a TrainConfig holds one
    # model and would refuse the list.
    settings = types.SimpleNamespace(**dataclasses.asdict(base) | {"model": ",".join(models)})
    changed = changed_settings(settings, changes or {}, "the sweep")
    if seeds is not None and seeds != n_seeds:
        changed.append(f"--seeds {seeds} (the sweep has {n_seeds})")
    if changed:
        raise RunDirError(
            f"{flag}: a resumed sweep keeps the settings of {path}; drop {', '.join(changed)}"
        )
    configs = grid(base, models, n_seeds, experiment_dir)
    if [Path(c.run_dir).name for c in configs] != [Path(run).name for run in values["runs"]]:
        raise RunDirError(f"{flag}: {path}: 'runs' are not the runs of its models and seeds")
    run_directory.hold_lock(experiment_dir, flag)
    for config in configs:
        _check_run_of_the_grid(config, flag)
    train_grid(experiment_dir, configs, to_stderr=to_stderr)
    return experiment_dir


def _check_run_of_the_grid(config: TrainConfig, flag: str) -> None:
    run_dir = Path(config.run_dir)
    config_path = run_dir / CONFIG_FILE
    if config_path.is_file():
        try:
            found = TrainConfig.from_json(config_path.read_text(encoding="utf-8"))
        except (ValueError, TypeError) as error:
            raise RunDirError(f"{flag}: {config_path}: {error}") from None
        settings = dataclasses.asdict(found) | {"run_dir": config.run_dir}
        changed = changed_settings(config, settings, "the sweep")
        if changed:
            raise RunDirError(
                f"{flag}: {config_path} is another run than the sweep lists: {', '.join(changed)}"
            )
    elif run_dir.is_dir() and any(p.name != run_directory.LOCK_FILE for p in run_dir.iterdir()):
        raise RunDirError(
            f"{flag}: {run_dir} holds files but no {CONFIG_FILE}, so it is no run of the "
            "sweep; move it away first"
        )


def train_grid(experiment_dir: Path, configs: list[TrainConfig], to_stderr: bool = False) -> None:
    """Trains the runs of ``configs`` one process each, in order: a finished run (its
    ``metrics.json`` written) is kept, a started one (its ``config.json`` written) resumed,
    any other trained from the start.

    Raises :class:`SweepStopped` on SIGINT or SIGTERM, once the running child has ended,
    and RuntimeError when a run fails; both say how to continue. ``to_stderr`` as for
    :func:`run_sweep`.
    """
    continue_with = f"continue with: python -m train --resume {shlex.quote(str(experiment_dir))}"
    try:
        with sigterm_raises():
            _train_each(configs, continue_with, to_stderr)
    except (KeyboardInterrupt, Terminated) as stop:
        signal_number = signal_of(stop)
        raise SweepStopped(
            f"interrupted by {signal_number.name}; " + continue_with, signal_number
        ) from None


def _train_each(configs: list[TrainConfig], continue_with: str, to_stderr: bool) -> None:
    out = sys.stderr if to_stderr else sys.stdout
    for number, config in enumerate(configs, start=1):
        run_dir = Path(config.run_dir)
        where = f"[sweep {number}/{len(configs)}] {config.model} seed {config.seed}"
        if (run_dir / METRICS_FILE).is_file():
            print(f"{where}: finished in {run_dir}, kept", file=out, flush=True)
            continue
        if (run_dir / CONFIG_FILE).is_file():
            print(f"{where} → {run_dir}, resumed", file=out, flush=True)
            argv = [f"--resume={run_dir}"]
        else:
            print(f"{where} → {run_dir}", file=out, flush=True)
            argv = config_to_argv(config)
        # The child's stdout is file descriptor 2 for to_stderr, whatever sys.stderr is now.
        status = _run_child(
            [sys.executable, "-m", "train", *argv], run_dir, stdout=2 if to_stderr else None
        )
        if status != 0:
            raise RuntimeError(
                f"run {run_dir} failed with exit status {status}; after fixing it, " + continue_with
            )


def _run_child(command: list[str], run_dir: Path, stdout: int | None = None) -> int:
    """Runs one run's process to its end; on SIGINT or SIGTERM to the sweep, stops it
    (SIGTERM, then SIGKILL after :data:`CHILD_STOP_SECONDS`), waits for it and re-raises.

    The child has a process group of its own, so Ctrl-C at the terminal reaches the sweep
    alone and the child is stopped once, by the sweep.
    """
    environment = {**user_environment(), SWEEP_RUN_VARIABLE: "1"}
    child = None
    try:
        with _stop_signals_held():
            child = subprocess.Popen(command, env=environment, process_group=0, stdout=stdout)
        return child.wait()
    except BaseException:
        if child is None:
            raise  # no child was started
        # Further signals are ignored until the child is gone: a second Ctrl-C must not
        # leave it running.
        with stop_signals_handled_by(signal.SIG_IGN):
            child.terminate()
            try:
                child.wait(timeout=CHILD_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            _release_stale_lock(run_dir)
        raise


@contextlib.contextmanager
def _stop_signals_held():
    """Holds SIGINT and SIGTERM while the block runs and raises the first one after it.

    `subprocess.Popen` returns some time after the child's program has started; a stop
    raised inside it would leave that child running with no one to stop it. Held, the stop
    comes once the caller has the child to stop."""
    held = []
    with stop_signals_handled_by(lambda number, _frame: held.append(number)):
        yield
    if held:
        signal.raise_signal(held[0])  # its handler raises here: KeyboardInterrupt, Terminated


def _release_stale_lock(run_dir: Path) -> None:
    """Removes the lock a stopped child left, so that continuing says nothing of it."""
    if (run_dir / run_directory.LOCK_FILE).is_file():
        try:
            run_directory.RunLock(run_dir, "--resume").release()
        except (RunDirError, OSError):
            pass  # a lock not ours to remove: continuing will say so
