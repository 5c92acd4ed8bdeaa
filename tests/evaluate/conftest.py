"""Fixtures for evaluate's tests: copies of the shared tiny run, edited to play other runs."""

import json
import shutil

import pytest


def copy_run(run_dir, target, **config_changes):
    """A copy of a run directory whose config.json has ``config_changes`` applied."""
    shutil.copytree(run_dir, target, ignore=shutil.ignore_patterns("logs", "checkpoints"))
    config = json.loads((target / "config.json").read_text())
    config.update(config_changes, run_dir=str(target))
    (target / "config.json").write_text(json.dumps(config))
    return target


@pytest.fixture(scope="session")
def opened_tiny_run(tiny_run):
    """The tiny run opened once (``evaluate.open_run``), its model loaded and its units
    ranked when first asked, shared by the tests that only read it."""
    import evaluate

    _, run_dir, _ = tiny_run
    return evaluate.open_run(run_dir)


@pytest.fixture(scope="session")
def two_seed_sweep(tiny_run, tmp_path_factory):
    """A sweep directory with the tiny run twice, as seeds 0 and 1 (seed 1 scores other
    sentences), shared: the commands given it only read it."""
    _, run_dir, _ = tiny_run
    sweep = tmp_path_factory.mktemp("two-seeds") / "sweep"
    copy_run(run_dir, sweep / "gru-seed0", seed=0)
    copy_run(run_dir, sweep / "gru-seed1", seed=1)
    return sweep


@pytest.fixture
def relabelled_run(tiny_run, tmp_path):
    """``relabelled_run(task)``: the tiny number run, claiming another task."""
    _, run_dir, _ = tiny_run
    return lambda task: copy_run(run_dir, tmp_path / f"{task}-run", task=task)


@pytest.fixture
def run_copy(tiny_run, tmp_path):
    """A copy of the tiny run, to damage."""
    _, run_dir, _ = tiny_run
    return copy_run(run_dir, tmp_path / "run")


@pytest.fixture
def gate_biased_run(tiny_run, tmp_path):
    """``gate_biased_run(update_bias)``: a copy of the tiny run whose first layer's Γu is
    σ(±30) per unit, so saturated to 0 or 1 whatever the input, and whose Γr is σ(0) = ½
    (its weights and bias zeroed): gates whose values are known in closed form."""
    import keras
    import numpy as np

    _, run_dir, _ = tiny_run

    def make(update_bias):
        target = copy_run(run_dir, tmp_path / "gate-biased")
        model = keras.saving.load_model(target / "model.keras")
        cell = model.get_layer("rnn_0").cell
        units = cell.units
        bias = np.zeros(cell.bias.shape, "float32")
        bias[:units] = update_bias
        bias[2 * units :] = cell.bias.numpy()[2 * units :]
        cell.bias.assign(bias)
        for weights in (cell.kernel, cell.recurrent_kernel):
            values = weights.numpy()
            values[:, units : 2 * units] = 0.0
            weights.assign(values)
        model.save(target / "model.keras")
        return target, model

    return make


@pytest.fixture
def rebuilt_run(tiny_run, tmp_path):
    """``rebuilt_run(name, **config_changes)``: a copy of the tiny run whose config has
    ``config_changes`` and whose model is built afresh from that config, untrained (seeded
    weights): a run of another cell or shape, for what needs no trained weights."""
    from datasets import agreement
    from train.config import TrainConfig
    from train.model import build_model

    _, run_dir, _ = tiny_run

    def make(name, **config_changes):
        target = copy_run(run_dir, tmp_path / name, **config_changes)
        config = TrainConfig.from_json((target / "config.json").read_text())
        vocab = agreement.Vocabulary.load(target / "vocab.json")
        build_model(config, len(vocab), vocab.suffixes).save(target / "model.keras")
        return target

    return make
