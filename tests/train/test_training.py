"""A real (tiny) training run: it learns, its run directory is complete, its numbers are honest."""

import json

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
    assert metrics["train_seconds"] > 0


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


class RecordJit(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.jit_compile = self.model.jit_compile


@pytest.mark.parametrize("jit", [True, False])
def test_training_compiles_with_xla_exactly_when_asked(jit, tmp_path):
    """Keras switches XLA off for a model compiled under op determinism; a run must not."""
    from train.run import prepare_run_dir, train

    config = very_small_config(tmp_path, epochs=1, train_size=200, jit=jit)
    recorder = RecordJit()
    train(config, prepare_run_dir(config, overwrite=False), callbacks=[recorder])
    assert recorder.jit_compile is jit
