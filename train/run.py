"""One training run: data → model → fit → scores, all written to a run directory.

A run directory holds ``config.json`` (the resolved :class:`TrainConfig`),
``vocab.json``, ``model.keras``, per-epoch ``checkpoints/`` that ``--resume``
continues from, TensorBoard ``logs/`` and ``metrics.json``; what may be deleted and
who may write it is :mod:`train.run_directory`'s business.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import keras

from cli_support import atomic_files
from datasets import agreement
from train import run_directory, scoring, tags
from train.batches import epoch_batches, steps_per_epoch
from train.checkpoints import (
    EpochCheckpoint,
    architecture_mismatch,
    completed_epochs,
    load_newest,
    set_aside_unreadable,
)
from train.config import TrainConfig, changed_settings
from train.dashboards import GateDashboard, make_probe
from train.distribution import WORKER_TIMEOUT_SECONDS, make_strategy
from train.hparams import write_experiment_config, write_gate_layout, write_run_hparams
from train.model import build_model, keras_xla_guard_silenced, use_xla
from train.run_contract import (
    CHECKPOINTS_DIR,
    CONFIG_FILE,
    EVAL_SIZES,
    EXPERIMENT_FILE,
    LOGS_DIR,
    METRICS_FILE,
    MODEL_FILE,
    VOCAB_FILE,
    asks_every_verb,
    dataset_config,
    recurrent_layer_name,
)

RunDirError = run_directory.RunDirError


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite; the run keeps its last good checkpoint."""


class StopOnNonFiniteLoss(keras.callbacks.TerminateOnNaN):
    """Keras's TerminateOnNaN, remembering the epoch and batch where the loss broke."""

    def __init__(self):
        super().__init__()
        self.epoch = 0
        self.stopped_at = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_batch_end(self, batch, logs=None):
        super().on_batch_end(batch, logs)
        if self.model.stop_training and self.stopped_at is None:
            self.stopped_at = (self.epoch + 1, batch)


def default_run_dir(config: TrainConfig) -> Path:
    return Path("runs") / f"{config.model}-{time.strftime('%Y%m%d-%H%M%S')}"


def prepare_run_dir(config: TrainConfig, overwrite: bool) -> Path:
    """Creates (or, with ``overwrite``, empties) the run directory and locks it.

    Refuses with :class:`RunDirError` before changing anything if the directory is a
    file or cannot be created, exists without ``overwrite``, is not a run of ours
    (then ``overwrite`` never deletes it), or another process is writing it. The lock
    is held until this process ends.
    """
    run_dir = Path(config.run_dir) if config.run_dir else default_run_dir(config)
    run_directory.check_location(run_dir, "--run-dir")
    # A lock alone is no run: one left by a process killed before it wrote anything.
    if run_dir.exists() and any(p.name != run_directory.LOCK_FILE for p in run_dir.iterdir()):
        if not overwrite:
            raise RunDirError(
                f"--run-dir: {run_dir} already exists; pass --overwrite to replace it "
                f"or --resume {run_dir} to continue it"
            )
        run_directory.refuse_unless_deletable(run_dir, "--overwrite")
    created = not run_dir.exists()
    run_directory.make_directory(run_dir, "--run-dir")
    run_directory.hold_lock(run_dir, "--run-dir")
    try:
        # Checked again under the lock: another process may have written meanwhile.
        if [entry for entry in run_dir.iterdir() if entry.name != run_directory.LOCK_FILE]:
            if not overwrite:
                raise RunDirError(f"--run-dir: {run_dir} was written by another process meanwhile")
            run_directory.refuse_unless_deletable(run_dir, "--overwrite")
            run_directory.clear(run_dir)
        # An empty checkpoints/ marks a run that has not finished an epoch yet; --resume
        # tells it from one whose checkpoints were deleted.
        (run_dir / CHECKPOINTS_DIR).mkdir(exist_ok=True)
        atomic_files.write_text(run_dir / CONFIG_FILE, config.to_json())
    except BaseException:
        if created:  # leave no half-made directory to block a retry
            run_directory.release_lock(run_dir)
            shutil.rmtree(run_dir, ignore_errors=True)
        raise
    return run_dir


class RunComplete(Exception):
    """``--resume`` of a run that has already finished: nothing to do."""


def open_run_for_resume(
    run_dir: str | Path, changes: dict | None = None
) -> tuple[TrainConfig, Path]:
    """The config and directory of an interrupted run, locked for this process.

    ``changes`` are settings the caller asks for (flags or ``--config`` keys); any that
    differ from the run's ``config.json`` are refused, since a resumed run is the run
    in ``config.json`` and changing its epochs, model or data would mix two runs in one
    directory. Unreadable newest checkpoints are set aside (``*.unreadable``) so
    training continues from the newest readable one, and the fall-back is reported on
    stderr. Raises :class:`RunComplete` if the run has already finished.
    """
    run_dir = Path(run_dir)
    config_path = run_dir / CONFIG_FILE
    if not run_dir.is_dir():
        raise RunDirError(f"--resume: {run_dir} is not a directory")
    run_directory.refuse_links(run_dir, "--resume")
    if not config_path.is_file():
        raise RunDirError(
            f"--resume: {run_dir} is neither a run (no {CONFIG_FILE}) nor a sweep "
            f"(no {EXPERIMENT_FILE})"
        )
    try:
        config = TrainConfig.from_json(config_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RunDirError(
            f"--resume: {config_path} is not valid JSON (truncated?); the run cannot be continued"
        ) from None
    except (ValueError, TypeError) as error:
        raise RunDirError(f"--resume: {config_path}: {error}") from None
    changed = changed_settings(config, changes or {})
    if changed:
        raise RunDirError(
            f"--resume: a resumed run keeps the settings of {config_path}; drop "
            + ", ".join(changed)
        )
    checkpoint_dir = run_dir / CHECKPOINTS_DIR
    if not checkpoint_dir.is_dir():
        raise RunDirError(
            f"--resume: {checkpoint_dir} is missing, so there is nothing to continue from; "
            f"start the run again with --run-dir {run_dir} --overwrite"
        )
    run_directory.hold_lock(run_dir, "--resume")
    set_aside, epoch = set_aside_unreadable(checkpoint_dir)
    if set_aside:
        names = ", ".join(str(path) for path in set_aside)
        resumed = f"continuing after epoch {epoch}" if epoch else "starting again from epoch 1"
        print(
            f"python -m train: {names} could not be read (truncated or corrupt); set aside as "
            f"*.unreadable, {resumed}",
            file=sys.stderr,
        )
    if epoch:
        checkpoint = completed_epochs(checkpoint_dir)[epoch]
        mismatch = architecture_mismatch(checkpoint, config)
        if mismatch is not None:
            run_directory.release_lock(run_dir)
            raise RunDirError(
                f"--resume: {checkpoint} holds another model than {config_path}: {mismatch}; "
                "nothing was changed: move it away to continue from an earlier checkpoint, "
                f"or start again with --run-dir {run_dir} --overwrite"
            )
    if (run_dir / METRICS_FILE).is_file() and epoch >= config.epochs:
        run_directory.release_lock(run_dir)
        raise RunComplete(f"{run_dir} has already finished (its {METRICS_FILE} is written)")
    return config, run_dir


def load_splits(config: TrainConfig) -> dict[str, list[dict]]:
    """The run's splits, drawn by as many processes as this process may use cores: the
    english preset's training sentences take minutes on one core."""
    sizes = {"train": config.train_size, **EVAL_SIZES}
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use (Linux)
        processes = len(os.sched_getaffinity(0))
    else:
        processes = os.cpu_count() or 1
    return agreement.load_splits(dataset_config(config), sizes, config.seed, processes)


def train(
    config: TrainConfig,
    run_dir: Path,
    callbacks=(),
    write_experiment: bool = True,
    resume: bool = False,
    worker_timeout: float = WORKER_TIMEOUT_SECONDS,
) -> dict:
    """Trains, scores and saves; returns the metrics written to ``metrics.json``.

    With ``resume=True`` training continues after the run's last completed epoch,
    from its checkpoint (weights and optimizer state). ``write_experiment=False``
    leaves the HParams experiment config to a sweep, which writes one for all its
    runs at its root. ``worker_timeout``: how long ``--strategy multiworker`` waits for
    the other workers to start.
    """
    import tensorflow as tf

    # Before any other TensorFlow op.
    strategy = make_strategy(config.strategy, worker_timeout)
    keras.utils.set_random_seed(config.seed)
    tf.config.experimental.enable_op_determinism()
    splits = load_splits(config)
    vocab = agreement.Vocabulary.from_config(dataset_config(config))
    atomic_files.write_text(run_dir / VOCAB_FILE, vocab.to_json())
    every_verb = asks_every_verb(config)
    x_train, y_train = agreement.task_arrays(
        splits["train"], config.task, vocab, seed=config.seed, every_verb=every_verb
    )
    validation = agreement.task_arrays(
        splits["validation"], config.task, vocab, seed=config.seed, every_verb=every_verb
    )
    w_train = None
    if every_verb:  # targets only right before agreeing verbs
        y_train, w_train = agreement.target_weights(y_train)
        validation = (validation[0], *agreement.target_weights(validation[1]))

    checkpoint_dir = run_dir / CHECKPOINTS_DIR
    with strategy.scope(), keras_xla_guard_silenced():
        model, initial_epoch = (
            load_newest(checkpoint_dir, config, len(vocab)) if resume else (None, 0)
        )
        if model is None:
            model = build_model(
                config,
                len(vocab),
                vocab.suffixes,
                steps_per_epoch=steps_per_epoch(len(x_train), config.batch_size),
                kept_ids=vocab.suffix_exceptions(dataset_config(config)),
            )
    use_xla(model, config.jit)
    log_dir = run_dir / LOGS_DIR
    dashboard = GateDashboard(
        str(log_dir / tags.GATES_LOG_DIR), make_probe(splits["test"], config.task, vocab)
    )
    write_gate_layout(log_dir, [recurrent_layer_name(i) for i in range(config.layers)])
    divergence = StopOnNonFiniteLoss()
    started = time.perf_counter()
    if initial_epoch < config.epochs:
        fit_options = dict(
            epochs=config.epochs,
            initial_epoch=initial_epoch,
            steps_per_epoch=steps_per_epoch(len(x_train), config.batch_size),
            validation_data=validation,
            callbacks=[
                divergence,
                EpochCheckpoint(checkpoint_dir),
                keras.callbacks.TensorBoard(str(log_dir)),
                dashboard,
                *callbacks,
            ],
            verbose=1 if sys.stdout.isatty() else 2,
        )

        def batches(epochs: range):
            return epoch_batches(
                x_train,
                y_train,
                config.batch_size,
                config.seed,
                epochs,
                weights=w_train,
                batching=config.batching,
            )

        with strategy.scope():
            if config.strategy == "multiworker":  # Keras's fit fails across workers
                from train.worker_loop import WorkerLoop

                loop = WorkerLoop(model, strategy, config.jit)
                loop.fit(lambda epoch: batches(range(epoch, epoch + 1)), **fit_options)
            else:
                # The batches come in the seed's order already (epoch_batches).
                model.fit(
                    batches(range(initial_epoch, config.epochs)), shuffle=False, **fit_options
                )
    train_seconds = time.perf_counter() - started
    if divergence.stopped_at is not None:
        raise diverged(divergence.stopped_at, checkpoint_dir)

    atomic_files.save_model(model, run_dir / MODEL_FILE)
    metrics = {"train_seconds": train_seconds}
    for split in ("test", "test_long"):
        examples = scoring.scored_examples(splits[split], config)
        correct = scoring.correct_by_example(model, config.task, examples, vocab)
        metrics[split] = scoring.summarize(examples, correct)
    atomic_files.write_text(run_dir / METRICS_FILE, json.dumps(metrics, indent=2, sort_keys=True))
    if write_experiment:
        write_experiment_config(log_dir, [config])
    write_run_hparams(log_dir, config, metrics, trial_id=run_dir.name)
    return metrics


def diverged(stopped_at: tuple[int, int], checkpoint_dir: Path) -> TrainingDiverged:
    """Drops the checkpoints Keras still saved at the end of the broken epoch, and says so."""
    epoch, batch = stopped_at
    for completed, path in completed_epochs(checkpoint_dir).items():
        if completed >= epoch:
            path.unlink()
    good = completed_epochs(checkpoint_dir)
    kept = f"the last good checkpoint is {good[max(good)]}" if good else "no epoch had completed"
    return TrainingDiverged(
        f"the training loss became NaN or infinite at epoch {epoch}, batch {batch}; "
        f"stopped without writing {MODEL_FILE} or {METRICS_FILE} ({kept}); try a smaller --learning-rate"
    )
