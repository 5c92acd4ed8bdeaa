"""Scoring runs on the length ladder (datasets.agreement.ladder), in bounded memory.

    python -m evaluate runs/sweep/ --ladder --out reports/ladder
    python -m evaluate runs/sweep/ --ladder --ladder-rungs 31-60,61-120 --ladder-size 500

A rung is streamed in chunks of CHUNK sentences; each chunk is sorted by length and cut
into batches, so a batch holds sentences of nearly one length (a 500-word rung is never
padded with 30-word rows, nor the reverse), and only one chunk is in memory at a time.
Batches are padded to a multiple of LENGTH_MULTIPLE words (masked), so a model compiled
with XLA compiles a few shapes per rung, not one per batch.
"""

from __future__ import annotations

import argparse
import itertools
import math
from collections import defaultdict

from cli_support.csv_rows import csv_text
from cli_support.errors import InputError
from cli_support.parsing import positive_int
from evaluate import intervals, leaderboard, plots

CHUNK = 1024
BATCH_SIZE = 128
LENGTH_MULTIPLE = 16
DEFAULT_SIZE = 1000  # sentences per rung and run
COLUMNS_BY_MODEL = [
    "model", "rung", "low", "high", "runs", "correct", "count", "accuracy", "ci_low", "ci_high",
    "mean", "std", "min", "max",
]  # fmt: skip
COLUMNS_BY_RUN = [
    "run", "model", "seed", "rung", "low", "high", "correct", "count", "accuracy", "ci_low",
    "ci_high",
]  # fmt: skip


def add_arguments(parser) -> None:
    parser.add_argument(
        "--ladder",
        action="store_true",
        help="also score the length ladder (rungs of longer dependencies than training) and "
        "write leaderboard.csv, leaderboard.md and accuracy_on_ladder.png",
    )
    parser.add_argument(
        "--ladder-rungs",
        type=rungs_flag,
        metavar="RUNGS",
        help="the ladder's rungs, e.g. 31-60,61-120 (default: of 31-60,61-120,121-250,251-500 "
        "those above each run's training lengths)",
    )
    parser.add_argument(
        "--ladder-size",
        type=positive_int,
        default=DEFAULT_SIZE,
        metavar="N",
        help=f"sentences per rung and run (default {DEFAULT_SIZE})",
    )


def rungs_flag(text: str):
    """--ladder-rungs parsed, in order and disjoint (checked at parse time, before
    TensorFlow is imported; the runs' training lengths are checked by `resolve_rungs`)."""
    from datasets.agreement.ladder import parse_rungs

    try:
        return parse_rungs(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def resolve_rungs(runs, given):
    """The rungs every run is scored on (one ladder for all, so they can be ranked):
    ``given`` (from `rungs_flag`), or None for each run's default."""
    from datasets.agreement.ladder import ladder_rungs
    from train.run_contract import dataset_config

    try:
        ladders = {ladder_rungs(dataset_config(run.config), given) for run in runs}
    except ValueError as error:
        raise InputError(f"--ladder-rungs: {error}") from None
    if len(ladders) > 1:
        raise InputError(
            f"--ladder-rungs: the runs were trained on different lengths, so their default "
            f"ladders differ ({sorted(ladders)}); give the rungs to score them all on"
        )
    return ladders.pop()


def length_grouped_batches(examples, chunk: int = CHUNK, batch_size: int = BATCH_SIZE):
    """Batches of nearly one length from a stream: ``chunk`` examples are read, sorted by
    length and cut into batches, before the next ``chunk`` is read."""
    examples = iter(examples)
    while block := list(itertools.islice(examples, chunk)):
        block.sort(key=lambda example: len(example["tokens"]))
        for start in range(0, len(block), batch_size):
            yield block[start : start + batch_size]


def score_rung(model, task: str, vocab, examples) -> tuple[int, int]:
    """(hits, count) over a stream of examples, in batches grouped by length."""
    from train import scoring

    hits = count = 0
    for batch in length_grouped_batches(examples):
        correct = scoring.correct_by_example(
            model, task, batch, vocab, BATCH_SIZE, length_multiple=LENGTH_MULTIPLE
        )
        hits += int(correct.sum())
        count += len(batch)
    return hits, count


def score_runs(runs, rungs, size: int) -> dict:
    """{run path: {rung: (hits, count)}}."""
    import keras

    from datasets.agreement.ladder import iter_rung
    from evaluate.runs import load_model, load_vocab
    from train.run_contract import dataset_config

    scores = {}
    for run in runs:
        model, vocab = load_model(run), load_vocab(run)
        config = dataset_config(run.config)
        scores[run.path] = {
            rung: score_rung(
                model, run.config.task, vocab, iter_rung(config, rung, size, seed=run.config.seed)
            )
            for rung in rungs
        }
        keras.backend.clear_session()
    return scores


def _counts_row(hits: int, count: int) -> dict:
    low, high = intervals.wilson(hits, count)
    return {
        "correct": hits,
        "count": count,
        "accuracy": hits / count,
        "ci_low": low,
        "ci_high": high,
    }


def ladder_files(runs, models: dict, rungs, scores) -> tuple[dict, str]:
    """({file name: content}, leaderboard markdown) for runs scored by :func:`score_runs`."""
    by_run, by_model, series = [], [], defaultdict(list)
    for run in runs:
        for rung in rungs:
            by_run.append(
                {
                    "run": str(run.path),
                    "model": models[run.path],
                    "seed": run.config.seed,
                    "rung": f"{rung[0]}-{rung[1]}",
                    "low": rung[0],
                    "high": rung[1],
                    **_counts_row(*scores[run.path][rung]),
                }
            )
    counts_by_model = {
        label: [scores[run.path] for run in runs if models[run.path] == label]
        for label in sorted(set(models.values()))
    }
    for label, seeds in counts_by_model.items():
        for rung in rungs:
            counts = [seed[rung] for seed in seeds]
            row = _counts_row(sum(h for h, _ in counts), sum(n for _, n in counts))
            spread = intervals.spread(h / n for h, n in counts)
            by_model.append(
                {
                    "model": label,
                    "rung": f"{rung[0]}-{rung[1]}",
                    "low": rung[0],
                    "high": rung[1],
                    "runs": len(counts),
                    **row,
                    "mean": spread.mean,
                    "std": spread.std,
                    "min": spread.min,
                    "max": spread.max,
                }
            )
            # Each rung is drawn at its geometric centre: the middle of its span on a log axis.
            centre = math.sqrt(rung[0] * rung[1])
            series[label].append((centre, row["accuracy"], row["ci_low"], row["ci_high"]))
    ranked = leaderboard.leaderboard(rungs, counts_by_model)
    table = leaderboard.leaderboard_markdown(ranked, rungs)
    plot = plots.accuracy_lines_png(
        dict(series),
        "dependency length (words between subject and verb, log scale)",
        "Agreement accuracy on the length ladder (each rung at its geometric centre)",
        log_x=True,
        ticks={math.sqrt(low * high): f"{low}-{high}" for low, high in rungs},
    )
    files = {
        "leaderboard.csv": csv_text(ranked, leaderboard.COLUMNS),
        "leaderboard.md": table + "\n\n![accuracy on the ladder](accuracy_on_ladder.png)\n",
        "ladder_by_model.csv": csv_text(by_model, COLUMNS_BY_MODEL),
        "ladder_by_run.csv": csv_text(by_run, COLUMNS_BY_RUN),
        "accuracy_on_ladder.png": plot,
    }
    return files, table
