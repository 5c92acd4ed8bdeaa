"""TensorBoard's HParams and custom-scalars dashboards for runs and sweeps.

Each run writes its hyperparameters and final metrics to its own ``logs/``
(one HParams session); the experiment's ``hparams_config`` is written once at
the root that ``tensorboard --logdir`` opens: the run's ``logs/`` for a single
run, the experiment directory for a sweep. The custom-scalars layout groups
the gate scalars by gate, one chart per layer.
"""

from __future__ import annotations

from pathlib import Path

from train import tags
from train.config import TrainConfig

# The TrainConfig fields shown as HParams columns.
HPARAM_FIELDS = (
    "model",
    "task",
    "dataset_config",
    "units",
    "embed_dim",
    "layers",
    "epochs",
    "batch_size",
    "learning_rate",
    "seed",
    "train_size",
)
FINAL_METRICS = {
    "final/test/accuracy": "accuracy on test",
    "final/test_long/accuracy": "accuracy on test_long (longer dependencies than in training)",
}


def write_experiment_config(log_root: str | Path, configs: list[TrainConfig]) -> None:
    """Declares the experiment's hyperparameters (with the values the runs take) and metrics."""
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    hparams = []
    for name in HPARAM_FIELDS:
        values = sorted({getattr(config, name) for config in configs})
        hparams.append(hp.HParam(name, hp.Discrete(values)))
    metrics = [hp.Metric(tag, description=text) for tag, text in FINAL_METRICS.items()]
    metrics += [
        hp.Metric("epoch_accuracy", group="train", display_name="train accuracy"),
        hp.Metric("epoch_accuracy", group="validation", display_name="validation accuracy"),
    ]
    with tf.summary.create_file_writer(str(log_root)).as_default():
        hp.hparams_config(hparams=hparams, metrics=metrics)


def write_run_hparams(
    log_dir: str | Path, config: TrainConfig, metrics: dict, trial_id: str
) -> None:
    """One HParams session: this run's hyperparameters and its final accuracies."""
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    values = {name: getattr(config, name) for name in HPARAM_FIELDS}
    with tf.summary.create_file_writer(str(log_dir)).as_default():
        hp.hparams(values, trial_id=trial_id)
        tf.summary.scalar("final/test/accuracy", metrics["test"]["accuracy"], step=config.epochs)
        tf.summary.scalar(
            "final/test_long/accuracy", metrics["test_long"]["accuracy"], step=config.epochs
        )


def write_gate_layout(log_dir: str | Path, layer_names: list[str]) -> None:
    """A custom-scalars layout: one category per gate, charts of mean and saturated fraction."""
    import tensorflow as tf
    from tensorboard.plugins.custom_scalar import layout_pb2
    from tensorboard.plugins.custom_scalar import summary as custom_scalar

    from zoo.tracing import GATES

    categories = []
    for gate in GATES:
        charts = []
        for layer in layer_names:
            for stat, tag in (
                ("mean", tags.gate_mean(layer, gate)),
                ("saturated", tags.gate_saturated(layer, gate)),
            ):
                charts.append(
                    layout_pb2.Chart(
                        title=f"{layer} {gate} {stat}",
                        multiline=layout_pb2.MultilineChartContent(tag=[_exact(tag)]),
                    )
                )
        categories.append(layout_pb2.Category(title=f"gate {gate}", chart=charts))
    layout = layout_pb2.Layout(category=categories)
    with tf.summary.create_file_writer(str(log_dir)).as_default():
        tf.summary.experimental.write_raw_pb(custom_scalar.pb(layout).SerializeToString(), step=0)


def _exact(tag: str) -> str:
    return "^" + tag.replace(".", r"\.") + "$"
