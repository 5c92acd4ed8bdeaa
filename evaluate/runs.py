"""Finding and reading run directories: the ones ``python -m train`` writes.

Besides ``config.json`` and ``metrics.json`` (read eagerly), a run gives its
trained model, its vocabulary and, regenerated deterministically from its
config and seed, the exact test splits it was scored on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from evaluate.cli import InputError
from train.config import TrainConfig


class RunError(InputError):
    """A path given as a run is not one (missing, or without config.json/metrics.json)."""


@dataclass(frozen=True)
class Run:
    path: Path
    config: TrainConfig
    metrics: dict


def find_runs(paths) -> list[Run]:
    """Runs at ``paths``; a directory that is not a run counts as the runs below it (a sweep)."""
    runs = []
    for path in map(Path, paths):
        if not path.is_dir():
            raise RunError(f"RUN_DIR: no such directory {str(path)!r}")
        if (path / "config.json").is_file():
            runs.append(read_run(path))
            continue
        found = sorted(p.parent for p in path.glob("*/config.json"))
        if not found:
            raise RunError(
                f"RUN_DIR: {path} is neither a run (no config.json) nor a directory of runs"
            )
        runs.extend(read_run(run_dir) for run_dir in found)
    return runs


def read_run(run_dir: Path) -> Run:
    metrics_path = run_dir / "metrics.json"
    if not metrics_path.is_file():
        raise RunError(f"RUN_DIR: {run_dir} has no metrics.json (did its training finish?)")
    try:
        config = TrainConfig.from_json((run_dir / "config.json").read_text())
        metrics = json.loads(metrics_path.read_text())
    except (ValueError, TypeError) as error:
        raise RunError(
            f"RUN_DIR: {run_dir} has an unreadable config.json or metrics.json ({error})"
        ) from None
    return Run(path=run_dir, config=config, metrics=metrics)


def require_task(run: Run, tasks: tuple[str, ...], what: str, argument: str = "RUN_DIR") -> None:
    """Refuses a run whose task ``what`` cannot analyse, naming the tasks it can."""
    if run.config.task not in tasks:
        raise RunError(
            f"{argument}: {run.path} was trained on the {run.config.task!r} task; "
            f"{what} needs a run of task {' or '.join(repr(t) for t in tasks)}"
        )


def load_model(run: Run):
    """The run's trained ``model.keras`` (the zoo's layers registered first)."""
    import keras

    import train.embedding  # noqa: F401  (registers the open vocabulary's embedding)
    import zoo  # noqa: F401  (registers the zoo's layers for deserialisation)

    path = run.path / "model.keras"
    if not path.is_file():
        raise RunError(f"RUN_DIR: {run.path} has no model.keras (did its training finish?)")
    return keras.saving.load_model(path)


def load_vocab(run: Run):
    from datasets import agreement

    path = run.path / "vocab.json"
    if not path.is_file():
        raise RunError(f"RUN_DIR: {run.path} has no vocab.json")
    return agreement.Vocabulary.load(path)


def load_examples(run: Run, split: str, n: int | None = None) -> list[dict]:
    """The first ``n`` examples (default: as many as training scored, or for
    ``test_attractors`` about 2000, as many with each attractor count) of a test split.

    The generator is deterministic, so these are the sentences ``metrics.json`` counts.
    """
    from datasets import agreement
    from train.run import EVAL_SIZES, dataset_config

    config = dataset_config(run.config)
    size = EVAL_SIZES.get(split, 2000) if n is None else n
    if split == "test_attractors" and n is None:  # Whole cycles of 0..k attractors: balanced.
        size -= size % (config.attractor_test_max + 1)
    return agreement.load_split(config, split, size, seed=run.config.seed)
