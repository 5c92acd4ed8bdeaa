"""Shared test settings: quiet TensorFlow, and the repository root for subprocesses."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


TINY_RUN = dict(
    model="gru",
    dataset_config="tiny",
    units=16,
    embed_dim=16,
    epochs=4,
    batch_size=64,
    train_size=3000,
    learning_rate=1e-2,
)


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """One real tiny training run, shared: (config, run_dir, metrics)."""
    from train.config import TrainConfig
    from train.run import prepare_run_dir, train

    config = TrainConfig(**TINY_RUN, run_dir=str(tmp_path_factory.mktemp("runs") / "tiny"))
    run_dir = prepare_run_dir(config, overwrite=False)
    metrics = train(config, run_dir)
    return config, run_dir, metrics
