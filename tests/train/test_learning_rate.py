"""Adam's step size over a run: constant, or a cosine from --learning-rate down to 0 over
the run's steps, saved with the model so that a resumed run goes on along it."""

import math

import keras
import numpy as np
import pytest

import zoo  # noqa: F401  (registers the zoo's layers for keras.saving.load_model)
from train.config import TrainConfig
from train.model import learning_rate
from train.run import prepare_run_dir, train


def test_constant_is_the_learning_rate_itself():
    assert learning_rate(TrainConfig(learning_rate=0.003)) == 0.003


@pytest.mark.parametrize("step", [0, 1, 17, 30, 59, 60])
def test_cosine_falls_from_the_learning_rate_to_zero_over_every_step_of_the_run(step):
    config = TrainConfig(learning_rate=0.003, learning_rate_schedule="cosine", epochs=6)
    schedule = learning_rate(config, steps_per_epoch=10)
    expected = 0.5 * 0.003 * (1 + math.cos(math.pi * step / 60))  # the half cosine
    assert float(schedule(step)) == pytest.approx(expected, abs=1e-9)


def test_a_cosine_run_ends_at_a_step_size_of_zero_and_saves_its_schedule(tmp_path):
    config = TrainConfig(
        dataset_config="tiny",
        units=8,
        embed_dim=8,
        epochs=2,
        batch_size=100,
        train_size=1000,
        learning_rate_schedule="cosine",
        run_dir=str(tmp_path / "run"),
    )
    run_dir = prepare_run_dir(config, overwrite=False)
    train(config, run_dir)
    model = keras.saving.load_model(run_dir / "model.keras")
    optimizer = model.optimizer
    assert int(optimizer.iterations.numpy()) == 2 * 10
    # The saved optimizer holds the schedule, not a number: a run resumed from one of its
    # checkpoints reads its step size from the schedule at the saved step count.
    saved = optimizer.get_config()["learning_rate"]
    assert saved["class_name"] == "CosineDecay"
    assert saved["config"]["decay_steps"] == 2 * 10
    assert float(np.asarray(optimizer.learning_rate)) == pytest.approx(0.0, abs=1e-9)
