"""Compare runs on the agreement benchmark, with confidence intervals, CSVs and plots.

    python -m evaluate runs/gru-seed0 runs/simple_rnn-seed0
    python -m evaluate runs/sweep-20261124/ --out reports/sweep   # a sweep = its runs
    python -m evaluate runs/gru-seed0 --suite blimp-agreement      # + BLiMP beside test, test_long

Every run's model is rescored on the regenerated ``test`` and ``test_long``
splits, and on ``test_attractors`` (as many sentences with 0, 1, …, k
attractors), sliced by each condition of :data:`evaluate.conditions.CONDITIONS`;
runs of one model that differ only in their seed are aggregated: mean, std and
min–max of their accuracies, and the Wilson 95% interval of the pooled counts.
``--suite`` adds each file of a suite of minimal pairs (scored as ``evaluate pairs``
scores them, over the pairs it can score) as one more column beside the splits.
``--ladder`` adds the length ladder (evaluate.ladder_report) and its ranked leaderboard
(evaluate.leaderboard).
"""

from __future__ import annotations

import dataclasses
import sys
from collections import defaultdict

from cli_support.csv_rows import csv_text
from cli_support.output_directories import write_outputs
from evaluate import comparison, conditions, intervals, ladder_report, plots
from evaluate.pair_scoring import TASKS as PAIR_TASKS
from evaluate.runs import find_runs, load_examples, load_model, load_vocab
from train.run_contract import METRICS_FILE

# The splits of the per-model tables: test_attractors has the "all" and "n_attractors" rows.
TABLE_SPLITS = (*comparison.SPLITS, "test_attractors")
# Config fields that do not make a different model: runs differing only here are seeds.
NOT_MODEL_FIELDS = ("seed", "run_dir", "jit", "strategy")
COLUMNS_BY_MODEL = [
    "model", "split", "grouping", "group", "runs", "correct", "count", "accuracy",
    "ci_low", "ci_high", "mean", "std", "min", "max",
]  # fmt: skip
COLUMNS_BY_RUN = [
    "run", "model", "seed", "split", "grouping", "group", "correct", "count", "accuracy",
    "ci_low", "ci_high",
]  # fmt: skip


def add_arguments(parser) -> None:
    parser.add_argument(
        "run_dirs", nargs="+", metavar="RUN_DIR", help="run directories, or directories of runs"
    )
    parser.add_argument(
        "--out", metavar="REPORT_DIR", help="write report.md, CSVs and PNG plots here"
    )
    parser.add_argument(
        "--suite",
        metavar="SUITE",
        help="also score a suite of minimal pairs (blimp-agreement, a directory or a file, as "
        "`evaluate pairs` takes them): each file's accuracy beside test and test_long",
    )
    ladder_report.add_arguments(parser)


def run(args) -> int:
    runs = find_runs(args.run_dirs)
    if args.ladder:  # bad rungs are refused before any model is scored
        rungs = ladder_report.resolve_rungs(runs, args.ladder_rungs)
    pair_files = []
    if args.suite:
        from evaluate.suites import load_pair_files

        pair_files = load_pair_files(args.suite, flag="--suite")
    suite_conditions = tuple(conditions.Condition(f.name, "all") for f in pair_files)
    condition_list = conditions.CONDITIONS + suite_conditions
    scores = score_runs(runs, conditions.CONDITIONS, pair_files)
    models = model_labels(runs)
    by_run = run_rows(runs, models, scores, condition_list)
    by_model = model_rows(runs, models, scores, condition_list)
    columns = (*comparison.SPLITS, *(c.split for c in suite_conditions))
    warn_if_metrics_differ(runs, by_run)
    overall = {
        run.path: {
            r["split"]: r["accuracy"]
            for r in by_run
            if r["run"] == str(run.path) and r["grouping"] == "all"
        }
        for run in runs
    }
    tables = (
        comparison.markdown_table(runs, overall, columns)
        + "\n\n"
        + comparison.model_table(by_model, "all", (*TABLE_SPLITS, *columns[2:]))
    )
    print(tables)
    ladder_outputs, leaderboard_table = {}, None
    if args.ladder:
        ladder_scores = ladder_report.score_runs(runs, rungs, args.ladder_size)
        ladder_outputs, leaderboard_table = ladder_report.ladder_files(
            runs, models, rungs, ladder_scores
        )
        print("\n" + leaderboard_table)
    if args.out:
        files = {**report_files(runs, by_run, by_model, tables), **ladder_outputs}
        if leaderboard_table:
            files["report.md"] += (
                "\n"
                + leaderboard_table.replace("# Length ladder", "## Length ladder", 1)
                + "\n\n![accuracy on the ladder](accuracy_on_ladder.png)\n"
            )
        write_outputs(args.out, files)
        print(f"\nwrote {', '.join(sorted(files))} to {args.out}")
    return 0


def score_runs(runs, condition_list, pair_files=()) -> dict:
    """{run path: {condition name: {group: (hits, count)}}} from each model's predictions.

    Each of ``pair_files`` adds the condition ``<file name>/all`` for runs of a task that
    pairs can score, with a tie counted as half a hit.
    """
    import keras

    from evaluate.pairs import score_pair_file
    from train import scoring

    splits = sorted({c.split for c in condition_list})
    scores = {}
    for run in runs:
        model, vocab = load_model(run), load_vocab(run)
        per_run = {}
        for split in splits:
            examples = load_examples(run, split)
            correct = scoring.correct_by_example(model, run.config.task, examples, vocab)
            for condition in condition_list:
                if condition.split == split:
                    per_run[condition.name] = conditions.tally(condition, examples, correct)
        for pair_file in pair_files if run.config.task in PAIR_TASKS else ():
            result = score_pair_file(model, run.config.task, vocab, pair_file)
            if result.scored:
                name = conditions.Condition(pair_file.name, "all").name
                per_run[name] = {"all": (result.hits, result.scored)}
        scores[run.path] = per_run
        keras.backend.clear_session()
    return scores


def model_labels(runs) -> dict:
    """{run path: model label}: the model's registry label, plus what else differs among
    same-named groups. A model of several names has one label whichever name its runs
    were trained under, ``simplified_gru (= gru_no_reset_gate)``, so its runs are one row."""
    from zoo.registry import label

    def fields(run):
        values = dataclasses.asdict(run.config) | {"model": label(run.config.model)}
        return {k: v for k, v in values.items() if k not in NOT_MODEL_FIELDS}

    variants = defaultdict(list)
    for run in runs:
        if fields(run) not in variants[label(run.config.model)]:
            variants[label(run.config.model)].append(fields(run))
    labels = {}
    for run in runs:
        name = label(run.config.model)
        differing = sorted(k for k in fields(run) if len({str(v[k]) for v in variants[name]}) > 1)
        extra = ", ".join(f"{k}={fields(run)[k]}" for k in differing)
        labels[run.path] = f"{name} ({extra})" if extra else name
    return labels


def _accuracy_row(hits: int, count: int) -> dict:
    low, high = intervals.wilson(hits, count)
    return {
        "correct": hits,
        "count": count,
        "accuracy": hits / count if count else float("nan"),
        "ci_low": low,
        "ci_high": high,
    }


def run_rows(runs, models, scores, condition_list=conditions.CONDITIONS) -> list[dict]:
    rows = []
    for run in runs:
        for condition in condition_list:
            for group, (hits, count) in scores[run.path].get(condition.name, {}).items():
                rows.append(
                    {
                        "run": str(run.path),
                        "model": models[run.path],
                        "seed": run.config.seed,
                        "split": condition.split,
                        "grouping": condition.grouping,
                        "group": group,
                        **_accuracy_row(hits, count),
                    }
                )
    return rows


def model_rows(runs, models, scores, condition_list=conditions.CONDITIONS) -> list[dict]:
    """Per model, condition and group: pooled counts with their interval, and the seeds' spread."""
    rows = []
    for label in sorted(set(models.values())):
        members = [run for run in runs if models[run.path] == label]
        for condition in condition_list:
            groups = {}
            for run in members:
                for group, counts in scores[run.path].get(condition.name, {}).items():
                    groups.setdefault(group, []).append(counts)
            for group, counts in groups.items():
                hits, total = sum(h for h, _ in counts), sum(n for _, n in counts)
                spread = intervals.spread(h / n for h, n in counts)
                rows.append(
                    {
                        "model": label,
                        "split": condition.split,
                        "grouping": condition.grouping,
                        "group": group,
                        "runs": len(counts),
                        **_accuracy_row(hits, total),
                        **dataclasses.asdict(spread),
                    }
                )
    return rows


def warn_if_metrics_differ(runs, by_run) -> None:
    for run in runs:
        for row in by_run:
            if row["run"] != str(run.path) or row["grouping"] != "all":
                continue
            recorded = run.metrics.get(row["split"], {}).get("accuracy")
            if recorded is not None and abs(recorded - row["accuracy"]) > 1e-9:
                print(
                    f"warning: {run.path}: {row['split']} accuracy rescored {row['accuracy']:.4f}, "
                    f"{METRICS_FILE} says {recorded:.4f} (has the generator changed since training?)",
                    file=sys.stderr,
                )


def _series(by_model, grouping: str, splits) -> dict:
    series = defaultdict(list)
    for row in by_model:
        if row["grouping"] == grouping and row["split"] in splits:
            x = int(row["group"]) if grouping != "dependency_length_bucket" else row["group"]
            series[row["model"]].append((x, row["accuracy"], row["ci_low"], row["ci_high"]))
    return {
        label: sorted(points, key=lambda p: (isinstance(p[0], str), p[0]))
        for label, points in series.items()
    }


PLOTS = {
    # file: (grouping, splits, x label, title)
    "accuracy_by_dependency_length.png": (
        "dependency_length",
        ("test", "test_long"),
        "dependency length (words between subject and verb)",
        "Agreement accuracy against dependency length (test and test_long)",
    ),
    "accuracy_by_attractors.png": (
        "n_attractors",
        ("test_attractors",),
        "attractors (intervening nouns of the other number)",
        "Agreement accuracy against attractors (test_attractors: as many sentences for each)",
    ),
}


def report_files(runs, by_run, by_model, tables: str) -> dict:
    files = {
        "accuracy_by_model.csv": csv_text(by_model, COLUMNS_BY_MODEL),
        "accuracy_by_run.csv": csv_text(by_run, COLUMNS_BY_RUN),
    }
    for name, (grouping, splits, xlabel, title) in PLOTS.items():
        files[name] = plots.accuracy_lines_png(_series(by_model, grouping, splits), xlabel, title)
    sections = [
        "# Agreement benchmark: comparison report",
        f"{len(runs)} run(s). Accuracy is the share of sentences whose agreement the model got "
        "right; intervals are Wilson 95% intervals of the pooled counts; across seeds, "
        "mean ± std (min–max).",
        tables,
        "## Accuracy against dependency length",
        "![accuracy against dependency length](accuracy_by_dependency_length.png)",
        "## Accuracy against attractors",
        "![accuracy against attractors](accuracy_by_attractors.png)",
    ]
    for grouping in ("dependency_length_bucket", "n_attractors", "construction", "verb_kind"):
        sections += [f"## By {grouping}", comparison.model_table(by_model, grouping, TABLE_SPLITS)]
    # Nested and english runs only: the role of the verb each example tests.
    for grouping, heading in (("verb_role", "verb role"), ("nested_verb", "nested agreements")):
        if any(row["grouping"] == grouping for row in by_model):
            sections += [
                f"## By {heading}",
                comparison.model_table(by_model, grouping, TABLE_SPLITS),
            ]
    sections.append("Per-length numbers: `accuracy_by_model.csv`; per run: `accuracy_by_run.csv`.")
    files["report.md"] = "\n\n".join(sections) + "\n"
    return files
