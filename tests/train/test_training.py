"""A real (tiny) training run: it learns, its run directory is complete, its numbers are honest."""

import json
import math
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import zoo  # noqa: F401  (registers the zoo's layers for keras.saving.load_model)
from datasets import agreement
from train import scoring, tags
from train.config import TrainConfig
from train.run import dataset_config


def test_a_tiny_run_learns_agreement_well_above_chance(tiny_run):
    _, _, metrics = tiny_run
    assert metrics["test"]["accuracy"] > 0.8


def _epoch_values(log_dir, tag="epoch_loss"):
    """[(epoch, wall time, value)] of a scalar Keras's TensorBoard callback wrote."""
    import tensorflow as tf
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(log_dir), size_guidance={"tensors": 0})
    accumulator.Reload()
    return [
        (event.step, event.wall_time, float(tf.make_ndarray(event.tensor_proto)))
        for event in accumulator.Tensors(tag)
    ]


def test_the_training_and_validation_losses_fall(tiny_run):
    config, run_dir, _ = tiny_run
    for split in ("train", "validation"):
        losses = [loss for _, _, loss in _epoch_values(run_dir / "logs" / split)]
        assert len(losses) == config.epochs, split
        # Chance for two balanced classes is ln 2 = 0.693; a learning model ends far below
        # it and below where its first epoch ended.
        assert losses[-1] < min(0.5 * losses[0], 0.5 * math.log(2)), (split, losses)


def test_train_seconds_is_the_time_fit_took(tiny_run):
    _, run_dir, metrics = tiny_run
    epochs = _epoch_values(run_dir / "logs" / "train")
    # At least the time between the first and the last epoch's end (Keras's own clock)...
    assert metrics["train_seconds"] >= epochs[-1][1] - epochs[0][1]
    # ...and at most the time between the vocabulary written before training and the model
    # saved after it.
    written = (run_dir / "model.keras").stat().st_mtime - (run_dir / "vocab.json").stat().st_mtime
    assert metrics["train_seconds"] <= written


def test_the_run_directory_holds_config_model_checkpoints_logs_and_metrics(tiny_run):
    config, run_dir, metrics = tiny_run
    assert TrainConfig.from_json((run_dir / "config.json").read_text()) == config
    assert json.loads((run_dir / "metrics.json").read_text()) == metrics
    assert len(list((run_dir / "checkpoints").glob("epoch-*.keras"))) == config.epochs
    assert (run_dir / "model.keras").is_file() and (run_dir / "vocab.json").is_file()
    assert list((run_dir / "logs" / "train").glob("events.out.tfevents.*"))


def test_reported_accuracies_come_from_the_held_out_test_splits(tiny_run):
    config, run_dir, metrics = tiny_run
    model = keras.saving.load_model(run_dir / "model.keras")
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    data_config = dataset_config(config)
    for split in ("test", "test_long"):
        examples = agreement.load_split(
            data_config, split, metrics[split]["count"], seed=config.seed
        )
        inputs, labels = agreement.task_arrays(examples, "number", vocab)
        predicted = np.argmax(model.predict(inputs, verbose=0), axis=-1)
        assert metrics[split]["accuracy"] == pytest.approx(np.mean(predicted == labels))
        by_length = scoring.accuracy_by(examples, predicted == labels, "dependency_length")
        assert metrics[split]["by_dependency_length"] == pytest.approx(by_length)
    train_lengths = {int(k) for k in metrics["test"]["by_dependency_length"]}
    long_lengths = {int(k) for k in metrics["test_long"]["by_dependency_length"]}
    assert max(train_lengths) < min(long_lengths)


def _event_tags(log_dir):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(
        str(log_dir), size_guidance={"images": 0, "histograms": 0, "tensors": 0}
    )
    accumulator.Reload()
    return accumulator.Tags()


def test_the_gate_dashboards_hold_gate_statistics_heatmaps_and_the_gradient_plot(tiny_run):
    _, run_dir, _ = tiny_run
    written = _event_tags(run_dir / "logs" / tags.GATES_LOG_DIR)
    tensors = set(written["tensors"])
    for gate in ("update", "reset"):
        assert tags.gate_mean("rnn_0", gate) in tensors
        assert tags.gate_saturated("rnn_0", gate) in tensors
        assert tags.gate_histogram("rnn_0", gate) in tensors
    for quantity in ("update", "reset", "state"):
        assert tags.heatmap("rnn_0", quantity) in tensors
    assert tags.gradient_by_distance("rnn_0") in tensors


def very_small_config(tmp_path, **settings) -> TrainConfig:
    """A gru of 4 units on the tiny data, written to tmp_path/run."""
    return TrainConfig(
        model="gru", dataset_config="tiny", units=4, embed_dim=4,
        run_dir=str(tmp_path / "run"), **settings,
    )  # fmt: skip


class PoisonWeightsAfterFirstEpoch(keras.callbacks.Callback):
    """Test input: corrupts the recurrent weights once the first epoch is saved."""

    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0:
            kernel = self.model.get_layer("rnn_0").cell.recurrent_kernel
            kernel.assign(np.full(kernel.shape, np.nan, "float32"))


def test_a_non_finite_loss_stops_the_run_keeping_only_good_checkpoints(tmp_path):
    from train.run import TrainingDiverged, prepare_run_dir, train

    config = very_small_config(tmp_path, epochs=3, train_size=300, jit=False)
    run_dir = prepare_run_dir(config, overwrite=False)
    with pytest.raises(TrainingDiverged, match="epoch 2, batch 0.*epoch-01.keras"):
        train(config, run_dir, callbacks=[PoisonWeightsAfterFirstEpoch()])
    checkpoints = sorted(p.name for p in (run_dir / "checkpoints").iterdir())
    assert checkpoints == ["epoch-01.keras"]
    assert not (run_dir / "model.keras").exists() and not (run_dir / "metrics.json").exists()
    kept = keras.saving.load_model(run_dir / "checkpoints" / "epoch-01.keras")
    assert all(np.all(np.isfinite(np.asarray(weight))) for weight in kept.weights)


def test_rendering_dashboard_images_leaves_pyplot_alone():
    import matplotlib
    from matplotlib import pyplot

    from train.dashboards import gradient_plot_png, heatmap_png

    backend, open_figures = matplotlib.get_backend(), pyplot.get_fignums()
    heatmap = heatmap_png(
        np.random.default_rng(0).uniform(size=(5, 3)),
        ["the", "cats", ",", "which", "ate"],
        "update",
    )
    plot = gradient_plot_png({1: 0.5, 2: 0.25, 3: 0.125}, "gradient")
    assert heatmap[:4] == plot[:4] == b"\x89PNG"
    assert matplotlib.get_backend() == backend and pyplot.get_fignums() == open_figures


@pytest.mark.parametrize("jit", [True, False])
def test_training_compiles_its_step_with_xla_exactly_when_asked(jit, tmp_path, repo_root):
    """Keras switches XLA off for a model compiled under op determinism; a run must not.

    The observable is XLA's own: with XLA_FLAGS=--xla_dump_to it writes every module it
    compiles, and the training step's is the one holding the optimizer's (Adam's) update.
    XLA reads the flag once per process, hence a fresh one.
    """
    dump = tmp_path / "xla"
    argv = [
        sys.executable, "-m", "train", "--dataset-config", "tiny", "--units", "4",
        "--embed-dim", "4", "--epochs", "1", "--train-size", "200",
        "--run-dir", str(tmp_path / "run"), *([] if jit else ["--no-jit"]),
    ]  # fmt: skip
    env = {**os.environ, "XLA_FLAGS": f"--xla_dump_to={dump} --xla_dump_hlo_as_text"}
    subprocess.run(argv, env=env, cwd=repo_root, check=True, capture_output=True)
    modules = [path.read_text() for path in dump.glob("*before_optimizations.txt")]
    assert any('op_name="adam/' in module for module in modules) is jit
