"""Finding and reading run directories: the ones ``python -m train`` writes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from train.config import TrainConfig


class RunError(ValueError):
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
