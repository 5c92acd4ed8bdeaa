"""One training run: data → model → fit → scores, all written to a run directory.

A run directory holds ``config.json`` (the resolved :class:`TrainConfig`),
``vocab.json``, ``model.keras``, per-epoch ``checkpoints/`` that ``--resume``
continues from, TensorBoard ``logs/`` and ``metrics.json``.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import keras

from datasets import agreement
from train import scoring, tags
from train.batches import epoch_batches, steps_per_epoch
from train.checkpoints import EpochCheckpoint, completed_epochs
from train.config import TrainConfig
from train.dashboards import GateDashboard, make_probe
from train.distribution import make_strategy
from train.hparams import write_experiment_config, write_gate_layout, write_run_hparams
from train.model import build_model, keras_xla_guard_silenced, recurrent_layer_name, use_xla

EVAL_SIZES = {"validation": 1000, "test": 4000, "test_long": 2000}


class RunDirError(ValueError):
    """The run directory cannot be used as asked (exists, or is not a run)."""


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
    run_dir = Path(config.run_dir) if config.run_dir else default_run_dir(config)
    if run_dir.exists() and any(run_dir.iterdir()):
        if not overwrite:
            raise RunDirError(
                f"--run-dir: {run_dir} already exists; pass --overwrite to replace it "
                f"or --resume {run_dir} to continue it"
            )
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "config.json").write_text(config.to_json())
    return run_dir


def open_run_for_resume(run_dir: str | Path) -> tuple[TrainConfig, Path]:
    """The config and directory of an interrupted run; training continues from ``backup/``."""
    run_dir = Path(run_dir)
    config_path = run_dir / "config.json"
    if not config_path.is_file():
        raise RunDirError(f"--resume: {run_dir} is not a run directory (no config.json)")
    return TrainConfig.from_json(config_path.read_text()), run_dir


def dataset_config(config: TrainConfig) -> agreement.AgreementConfig:
    """The named dataset config, its training lengths capped by ``--max-train-length``.

    ``test_long`` keeps its span of lengths but starts above the training maximum.
    """
    data_config = agreement.CONFIGS[config.dataset_config]
    if config.max_train_length is None:
        return data_config
    shortest, _ = data_config.dependency_length
    if config.max_train_length < shortest:
        raise ValueError(
            f"--max-train-length: must be at least the dataset config's shortest dependency "
            f"length {shortest}, got {config.max_train_length}"
        )
    long_low, long_high = data_config.long_dependency_length
    long_low_new = max(long_low, config.max_train_length + 1)
    return data_config.replace(  # AgreementConfig.replace recomputes automatic fields
        dependency_length=(shortest, config.max_train_length),
        long_dependency_length=(long_low_new, long_low_new + long_high - long_low),
    )


def load_splits(config: TrainConfig) -> dict[str, list[dict]]:
    data_config = dataset_config(config)
    sizes = {"train": config.train_size, **EVAL_SIZES}
    return {
        split: agreement.load_split(data_config, split, n, seed=config.seed)
        for split, n in sizes.items()
    }


def train(
    config: TrainConfig,
    run_dir: Path,
    callbacks=(),
    write_experiment: bool = True,
    resume: bool = False,
) -> dict:
    """Trains, scores and saves; returns the metrics written to ``metrics.json``.

    With ``resume=True`` training continues after the run's last completed epoch,
    from its checkpoint (weights and optimizer state). ``write_experiment=False``
    leaves the HParams experiment config to a sweep, which writes one for all its
    runs at its root.
    """
    import tensorflow as tf

    strategy = make_strategy(config.strategy)  # before any other TensorFlow op
    keras.utils.set_random_seed(config.seed)
    tf.config.experimental.enable_op_determinism()
    splits = load_splits(config)
    vocab = agreement.Vocabulary.from_config(dataset_config(config))
    (run_dir / "vocab.json").write_text(vocab.to_json())
    x_train, y_train = agreement.task_arrays(splits["train"], config.task, vocab, seed=config.seed)
    validation = agreement.task_arrays(splits["validation"], config.task, vocab, seed=config.seed)

    checkpoint_dir = run_dir / "checkpoints"
    done = completed_epochs(checkpoint_dir) if resume else {}
    initial_epoch = max(done, default=0)
    with strategy.scope(), keras_xla_guard_silenced():
        model = (
            keras.saving.load_model(done[initial_epoch])
            if done
            else build_model(config, len(vocab), vocab.suffixes)
        )
    use_xla(model, config.jit)
    log_dir = run_dir / "logs"
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
            return epoch_batches(x_train, y_train, config.batch_size, config.seed, epochs)

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

    model.save(run_dir / "model.keras")
    metrics = {"train_seconds": train_seconds}
    for split in ("test", "test_long"):
        correct = scoring.correct_by_example(model, config.task, splits[split], vocab)
        metrics[split] = scoring.summarize(splits[split], correct)
    (run_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True))
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
        f"stopped without writing model.keras or metrics.json ({kept}); try a smaller --learning-rate"
    )
