"""Every task trains end to end and is scored on agreement over the held-out splits."""

import pytest

from train.config import TrainConfig
from train.run import prepare_run_dir, train


@pytest.mark.parametrize("task", ["lm", "grammaticality"])
def test_every_task_trains_and_reports_agreement_accuracy(task, tmp_path):
    config = TrainConfig(
        task=task, dataset_config="tiny", units=8, embed_dim=8, epochs=1, train_size=500,
        run_dir=str(tmp_path / task),
    )  # fmt: skip
    metrics = train(config, prepare_run_dir(config, overwrite=False))
    for split in ("test", "test_long"):
        summary = metrics[split]
        assert 0.0 <= summary["accuracy"] <= 1.0
        assert sum(summary["count_by_dependency_length"].values()) == summary["count"]
        assert set(summary["by_attractors"]) == set(summary["count_by_attractors"])
