"""Finding and reading run directories: the ones ``python -m train`` writes.

Besides ``config.json`` and ``metrics.json`` (read eagerly), a run gives its
trained model, its vocabulary and, regenerated deterministically from its
config and seed, the exact test splits it was scored on.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from cli_support.errors import InputError
from cli_support.parsing import undecodable_path
from train.config import TrainConfig
from train.run_contract import CONFIG_FILE, METRICS_FILE, MODEL_FILE, VOCAB_FILE


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
        if path.exists() and not path.is_dir():
            raise RunError(f"RUN_DIR: {str(path)!r} is a file, not a run directory")
        if not path.is_dir():
            raise RunError(f"RUN_DIR: no such directory {str(path)!r}")
        if (path / CONFIG_FILE).is_file():
            runs.append(read_run(path))
            continue
        found = sorted(p.parent for p in path.glob(f"*/{CONFIG_FILE}"))
        if not found:
            raise RunError(
                f"RUN_DIR: {path} is neither a run (no {CONFIG_FILE}) nor a directory of runs"
            )
        for run_dir in found:  # the command line's own paths were checked when parsed
            if undecodable_path(str(run_dir)):
                raise RunError(f"RUN_DIR: {undecodable_path(str(run_dir))}")
        runs.extend(read_run(run_dir) for run_dir in found)
    return distinct_runs(runs)


def distinct_runs(runs: list[Run]) -> list[Run]:
    """``runs`` with each training once: a run whose settings are those of an earlier run
    but for the model's name, another name of the same registry entry (``gru_no_reset_gate``
    and ``simplified_gru``, both trained by a sweep from before such a model was trained
    once), is that run again, and is left out with a warning."""
    kept, by_settings = [], {}
    for run in runs:
        settings = dataclasses.asdict(run.config)
        del settings["model"], settings["run_dir"]
        earlier = by_settings.setdefault(json.dumps(settings, sort_keys=True), [])
        twin = next((other for other in earlier if _other_name_of(other.config.model, run)), None)
        if twin is not None:
            print(
                f"warning: {run.path} is {twin.path} again ({run.config.model} is "
                f"{twin.config.model} under another name); counted once",
                file=sys.stderr,
            )
            continue
        earlier.append(run)
        kept.append(run)
    return kept


def _other_name_of(model: str, run: Run) -> bool:
    if model == run.config.model:
        return False
    from zoo.registry import canonical_name  # only for runs that differ in name alone

    return canonical_name(model) == canonical_name(run.config.model)


def read_run(run_dir: Path) -> Run:
    metrics_path = run_dir / METRICS_FILE
    if not metrics_path.is_file():
        raise RunError(f"RUN_DIR: {run_dir} has no {METRICS_FILE} (did its training finish?)")
    try:
        config = TrainConfig.from_json((run_dir / CONFIG_FILE).read_text(encoding="utf-8"))
    except (ValueError, TypeError, RecursionError) as error:
        raise RunError(
            f"RUN_DIR: {run_dir / CONFIG_FILE} is not a run's config ({_reason(error)})"
        ) from None
    try:
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as error:
        raise RunError(f"RUN_DIR: {metrics_path} is not JSON ({_reason(error)})") from None
    if not isinstance(metrics, dict):
        raise RunError(f"RUN_DIR: {run_dir} has a {METRICS_FILE} that is not a JSON object")
    return Run(path=run_dir, config=config, metrics=metrics)


def require_task(run: Run, tasks: tuple[str, ...], what: str, argument: str = "RUN_DIR") -> None:
    """Refuses a run whose task ``what`` cannot analyse, naming the tasks it can."""
    if run.config.task not in tasks:
        raise RunError(
            f"{argument}: {run.path} was trained on the {run.config.task!r} task; "
            f"{what} needs a run of task {' or '.join(repr(t) for t in tasks)}"
        )


def load_model(run: Run):
    """The run's trained ``model.keras`` (the zoo's layers registered first), once it is
    known to be the model the run's ``config.json`` and ``vocab.json`` describe: a
    ``model.keras`` copied from another run would be analysed as if it were this one, or
    fail deep inside an analysis.

    Keras only imports the modules of its own packages while loading, so a model of
    zoo layers loads only where ``zoo`` has been imported; this function does that.
    """
    import zipfile

    import keras

    import train.embedding  # noqa: F401  (registers the open vocabulary's embedding)
    import zoo  # noqa: F401  (registers the zoo's layers for deserialisation)
    from train.checkpoints import architecture_mismatch

    path = run.path / MODEL_FILE
    if not path.is_file():
        raise RunError(f"RUN_DIR: {run.path} has no {MODEL_FILE} (did its training finish?)")
    if not zipfile.is_zipfile(path):  # Keras would say "File not found".
        raise RunError(f"RUN_DIR: {path} is not a Keras model file (truncated or corrupt?)")
    mismatch = architecture_mismatch(path, run.config, vocab_size=len(load_vocab(run)))
    if mismatch is not None:
        raise RunError(
            f"RUN_DIR: {path} holds another model than {run.path / CONFIG_FILE} describes: "
            f"{mismatch}"
        )
    try:
        return keras.saving.load_model(path)
    except (ValueError, TypeError, KeyError, OSError, EOFError, zipfile.BadZipFile) as error:
        # A zip with a damaged member, or a model of layers this code does not know.
        raise RunError(f"RUN_DIR: {path} cannot be loaded ({_reason(error)})") from None


def load_vocab(run: Run):
    from datasets import agreement

    path = run.path / VOCAB_FILE
    if not path.is_file():
        raise RunError(f"RUN_DIR: {run.path} has no {VOCAB_FILE}")
    try:
        return agreement.Vocabulary.load(path)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        raise RunError(f"RUN_DIR: {path} is not a readable vocabulary ({_reason(error)})") from None


def _reason(error: BaseException) -> str:
    """An exception's message cut to its first line and 200 characters (Keras appends
    whole configurations to its errors)."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    first = lines[0]
    return first if len(first) <= 200 else first[:200] + "…"


def load_examples(run: Run, split: str, n: int | None = None) -> list[dict]:
    """The first ``n`` examples (default: as many as training scored, or for
    ``test_attractors`` about 2000, as many with each attractor count) of a test split.

    The generator is deterministic, so these are the sentences ``metrics.json`` counts; a
    ``number`` run of every-verb data (english) gets one example per agreeing verb, as
    training scored them (:func:`train.scoring.scored_examples`).
    """
    from datasets import agreement
    from train.run_contract import EVAL_SIZES, dataset_config
    from train.scoring import scored_examples

    config = dataset_config(run.config)
    size = EVAL_SIZES.get(split, 2000) if n is None else n
    if split == "test_attractors" and n is None:  # Whole cycles of 0..k attractors: balanced.
        size -= size % (config.attractor_test_max + 1)
    examples = agreement.load_split(config, split, size, seed=run.config.seed)
    return scored_examples(examples, run.config)
