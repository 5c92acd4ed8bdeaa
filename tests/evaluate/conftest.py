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


@pytest.fixture
def two_seed_sweep(tiny_run, tmp_path):
    """A sweep directory with the tiny run twice, as seeds 0 and 1 (seed 1 scores other sentences)."""
    _, run_dir, _ = tiny_run
    sweep = tmp_path / "sweep"
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
