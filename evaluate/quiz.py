"""The course's quiz, with data: which simplification of the GRU still carries agreement far?

    python -m evaluate quiz --out reports/quiz                        # 4 models × 3 seeds, default data
    python -m evaluate quiz --out /tmp/q --seeds 1 --epochs 1 --train-size 300 --dataset-config tiny
    python -m evaluate quiz --out reports/quiz --runs runs/quiz       # the sweep trained by train

The quiz is a named sweep of ``train`` (``python -m train --sweep quiz``; its models and
seeds are in ``train/presets.py``): the full GRU, the GRU without update gate (Γu ≡ 1:
c⟨t⟩ = c̃⟨t⟩), the GRU without reset gate (Γr ≡ 1) and a simple RNN, each with several
seeds. This subcommand runs that sweep through :func:`train.sweep.run_sweep`, the one code
that trains several runs (each run a ``python -m train`` process of its own, the sweep's
lines on stderr), into ``OUT/runs`` or ``--runs DIR``, then reports on the sweep's runs:
it scores them on increasingly long distractors (dependency-length buckets over ``test``
and ``test_long``) and measures how much of ‖∂loss/∂c⟨t⟩‖ still reaches far from the verb.
A sweep already there is continued with its own settings (:func:`train.sweep.resume_sweep`:
finished runs are kept, and flags that ask for other settings are refused), so an
interrupted quiz continues and a finished one is only reported.

From Python, :func:`configs` gives the runs to train and :func:`answer` the answer
from trained runs, as data.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cli_support.csv_rows import csv_text
from cli_support.errors import InputError
from cli_support.output_directories import write_outputs
from cli_support.parsing import positive_int
from evaluate import conditions, plots, report
from evaluate.comparison import interval_text, markdown
from evaluate.runs import find_runs, load_model, load_vocab
from train.presets import SWEEP_PRESETS

PRESET = SWEEP_PRESETS["quiz"]
WHAT_IT_DROPS = {
    "gru": "nothing (full GRU)",
    "gru_no_update_gate": "the update gate (Γu ≡ 1)",
    "gru_no_reset_gate": "the reset gate (Γr ≡ 1)",
    "simple_rnn": "both gates (simple RNN)",
}
# Training settings the quiz passes on to TrainConfig; unset (None) keeps its default.
TRAIN_FLAGS = {
    "epochs": int, "train_size": int, "units": int, "embed_dim": int, "batch_size": int,
    "learning_rate": float, "dataset_config": str, "max_train_length": int,
}  # fmt: skip
# Both test splits pooled, in dependency-length buckets.
DISTANCE = conditions.Condition("test+test_long", "dependency_length", conditions.LENGTH_BUCKETS)
SPLIT_CONDITIONS = tuple(dataclasses.replace(DISTANCE, split=split) for split in conditions.SPLITS)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="write quiz.csv, quiz.png (and runs/) here"
    )
    parser.add_argument(
        "--runs",
        metavar="DIR",
        help="the quiz's sweep: trained or continued there, then reported (default: OUT/runs; "
        "python -m train --sweep quiz --run-dir DIR trains one)",
    )
    parser.add_argument(
        "--models",
        help=f"comma-separated, for a new sweep (default: {','.join(PRESET.models)})",
    )
    parser.add_argument(
        "--seeds",
        type=positive_int,
        help=f"seeds per model, 0..N−1, for a new sweep (default: {PRESET.seeds})",
    )
    for name, kind in TRAIN_FLAGS.items():
        parser.add_argument(
            "--" + name.replace("_", "-"),
            type=kind,
            help=f"python -m train's --{name.replace('_', '-')} (default: its default)",
        )
    parser.add_argument(
        "--no-jit", action="store_true", help="train without XLA (faster for tiny models)"
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.9,
        help="accuracy that counts as keeping agreement (default: 0.9)",
    )
    parser.add_argument(
        "--gradient-examples",
        type=positive_int,
        default=64,
        help="test_long sentences for the gradient (default: 64)",
    )


def configs(models=None, seeds: int | None = None, **settings) -> list:
    """The quiz's runs as ``TrainConfig``s: each of ``models`` (default: the quiz sweep's,
    ``train.presets.SWEEP_PRESETS["quiz"]``) with seeds 0..seeds−1 (default: the sweep's),
    ``settings`` (``TrainConfig`` fields: ``epochs=1``, ``jit=False``, …) applied to all.
    For training them one by one in this process (a notebook); ``python -m evaluate quiz``
    trains them as a sweep.

    Example:
        >>> [(c.model, c.seed) for c in configs(["gru", "simple_rnn"], seeds=1, epochs=1)]
        [('gru', 0), ('simple_rnn', 0)]
    """
    from train.config import TrainConfig

    models = PRESET.models if models is None else models
    seeds = PRESET.seeds if seeds is None else seeds
    try:
        return [TrainConfig(model=m, seed=s, **settings) for m in models for s in range(seeds)]
    except (TypeError, ValueError) as error:
        raise InputError(str(error)) from None


def train_settings(args) -> dict:
    """The ``TrainConfig`` fields the quiz's flags set; unset ones are left out."""
    settings = {
        name: getattr(args, name) for name in TRAIN_FLAGS if getattr(args, name) is not None
    }
    if args.no_jit:
        settings["jit"] = False
    return settings


def train_sweep(experiment_dir: Path, args, flag: str) -> list[Path]:
    """Runs the quiz's sweep into ``experiment_dir``, or continues the one there; returns
    its runs in the sweep's order. ``flag`` is the argument that named the directory."""
    from train.run_contract import EXPERIMENT_FILE
    from train.run_directory import RunDirError
    from train.sweep import (
        SweepStopped,
        distinct_models,
        is_sweep,
        resume_sweep,
        run_sweep,
        sweep_runs,
    )

    settings = train_settings(args)
    models = None if args.models is None else [m.strip() for m in args.models.split(",")]
    # Every model and setting is checked, in one line, before anything is written.
    checked = configs(models, 1, **settings)
    models = [config.model for config in checked]
    try:
        if is_sweep(experiment_dir):
            # A sweep records each model once (distinct_models), under the name given first.
            given = {"model": ",".join(distinct_models(models)[0])} if args.models else {}
            resume_sweep(
                experiment_dir, settings | given, seeds=args.seeds, flag=flag, to_stderr=True
            )
        elif experiment_dir.is_dir() and any(experiment_dir.iterdir()):
            raise InputError(
                f"{flag}: {experiment_dir} holds files but no sweep ({EXPERIMENT_FILE}); "
                f"move them away or choose another {flag}"
            )
        else:
            base = dataclasses.replace(checked[0], run_dir=str(experiment_dir))
            seeds = PRESET.seeds if args.seeds is None else args.seeds
            run_sweep(base, models, seeds, overwrite=False, flag=flag, to_stderr=True)
    except (RunDirError, ValueError) as error:
        raise InputError(str(error)) from None
    except SweepStopped as stopped:
        _stop(str(stopped), stopped.status)
    except RuntimeError as error:  # a run failed; the sweep's line says how to continue
        _stop(str(error), 1)
    return sweep_runs(experiment_dir)


def _stop(message: str, status: int):
    print(f"python -m evaluate quiz: error: {message}", file=sys.stderr)
    raise SystemExit(status)


@dataclass(frozen=True, eq=False)
class QuizAnswer:
    """The quiz's answer: accuracy by distance per model, and how much gradient reaches back."""

    # Per model and dependency-length bucket, over its seeds: report.COLUMNS_BY_MODEL.
    rows: tuple[dict, ...]
    # Per model: distance (far), gradient_ratio (‖∂L/∂c‖ there over at distance 1,
    # geometric mean over seeds), mean_update (Γu along the way).
    gradient_rows: tuple[dict, ...]
    order: tuple[str, ...]  # the models, in the order asked
    seeds: int
    threshold: float  # accuracy that counts as keeping agreement

    def text(self) -> str:
        """What ``python -m evaluate quiz`` prints: the table, the headline and the answer."""
        return _answer_text(self)

    def png(self) -> bytes:
        """``quiz.png``: accuracy by distance per model, and the gradient ratios."""
        return _figure(list(self.rows), list(self.gradient_rows), list(self.order))


def run(args) -> int:
    flag = "--runs" if args.runs else "--out"
    experiment_dir = Path(args.runs) if args.runs else Path(args.out) / "runs"
    run_dirs = train_sweep(experiment_dir, args, flag)
    found = answer(run_dirs, args.gradient_examples, args.threshold)
    print(found.text())
    files = {
        "quiz.csv": csv_text(list(found.rows), report.COLUMNS_BY_MODEL),
        "quiz_gradients.csv": csv_text(list(found.gradient_rows)),
        "quiz.png": found.png(),
    }
    write_outputs(args.out, files)
    return 0


def answer(run_dirs, gradient_examples: int = 64, threshold: float = 0.9) -> QuizAnswer:
    """The quiz's answer from its trained runs (each a run of one of the quiz's models,
    however trained: ``python -m evaluate quiz`` trains them as a sweep, a notebook may
    call :func:`train.run.train`): a :class:`QuizAnswer`. The models are named as their
    runs were trained and ordered as their runs first appear in ``run_dirs``."""
    import keras

    from evaluate.gradients import gradient_profile

    runs = find_runs(run_dirs)
    scores = report.score_runs(runs, SPLIT_CONDITIONS)
    for per_run in scores.values():
        per_run[DISTANCE.name] = _pooled(per_run[c.name] for c in SPLIT_CONDITIONS)
    labels = {run.path: run.config.model for run in runs}
    rows = report.model_rows(runs, labels, scores, (DISTANCE,))
    profiles = {}
    for trained in runs:
        model, vocab = load_model(trained), load_vocab(trained)
        profile = gradient_profile(trained, model, vocab, gradient_examples)
        profiles.setdefault(trained.config.model, []).append(profile)
        keras.backend.clear_session()
    order = tuple(dict.fromkeys(run.config.model for run in runs))
    seeds = max(Counter(run.config.model for run in runs).values())
    gradient_rows = _gradient_rows(profiles, order)
    return QuizAnswer(tuple(rows), tuple(gradient_rows), order, seeds, threshold)


def _pooled(tallies) -> dict:
    pooled: dict[str, list[int]] = {}
    for tally in tallies:
        for group, (hits, count) in tally.items():
            entry = pooled.setdefault(group, [0, 0])
            entry[0] += hits
            entry[1] += count
    return {
        g: tuple(v) for g, v in sorted(pooled.items(), key=lambda item: int(item[0].split("-")[0]))
    }


def _gradient_rows(profiles, order) -> list[dict]:
    """Per model: ‖∂loss/∂c⟨t⟩‖ far from the verb relative to distance 1, mean over seeds."""
    from evaluate.gradients import far_distance

    by_model = {
        model: [{"distance": d, **v} for d, v in sorted(runs[0].items())]
        for model, runs in profiles.items()
    }
    far = far_distance(by_model)
    rows = []
    for model in order:
        ratios = [p[far]["gradient_norm"] / p[1]["gradient_norm"] for p in profiles[model]]
        updates = [_mean_update(p, far) for p in profiles[model]]
        rows.append(
            {
                "model": model,
                "distance": far,
                "gradient_ratio": float(np.exp(np.mean(np.log(ratios)))),
                "mean_update": float(np.mean(updates)),
            }
        )
    return rows


def _mean_update(profile, far) -> float:
    values = [profile[d]["mean_update"] for d in profile if d <= far]
    return float("nan") if np.all(np.isnan(values)) else float(np.nanmean(values))


def _answer_text(found: QuizAnswer) -> str:
    rows, gradient_rows, order = found.rows, found.gradient_rows, found.order
    lines = []
    buckets = list(dict.fromkeys(r["group"] for r in rows))
    cell = {(r["model"], r["group"]): r for r in rows}
    ratio = {r["model"]: r for r in gradient_rows}
    far = gradient_rows[0]["distance"]
    header = ["model", "drops", *buckets, f"‖∂L/∂c‖ at {far} / at 1"]
    body = []
    for model in order:
        accuracies = []
        for bucket in buckets:
            r = cell.get((model, bucket))
            accuracies.append(
                "–"
                if r is None
                else (f"{r['mean']:.3f}" + (f" ± {r['std']:.3f}" if r["runs"] > 1 else ""))
            )
        body.append(
            [
                model,
                WHAT_IT_DROPS.get(model, ""),
                *accuracies,
                f"{ratio[model]['gradient_ratio']:.1e}",
            ]
        )
    lines.append(
        f"Accuracy by dependency length (words between subject and verb), mean ± std over {found.seeds} seed(s):"
    )
    lines.append(markdown(header, body))
    longest = buckets[-1]
    kept, lost = {}, {}
    for model in order:
        r = cell.get((model, longest))
        if r is not None:
            text = f"{model} {r['accuracy']:.3f} {interval_text(r['ci_low'], r['ci_high'])}"
            (kept if r["accuracy"] >= found.threshold else lost)[model] = text
    lines.append(
        f"headline: at {longest} words, keeps agreement (≥ {found.threshold}): {'; '.join(kept.values()) or 'none'}; "
        f"loses it: {'; '.join(lost.values()) or 'none'}"
    )
    simplifications = [m for m in kept if m != "gru"]
    if simplifications:
        lines.append(
            "answer: the simplification(s) that still carry agreement far: "
            + ", ".join(f"{m} (drops {WHAT_IT_DROPS.get(m, '?')})" for m in simplifications)
        )
    else:
        lines.append(
            "answer: no simplified model kept agreement at the longest distance in this run"
        )
    return "\n".join(lines)


def _figure(rows, gradient_rows, order) -> bytes:
    series = {
        m: [(r["group"], r["accuracy"], r["ci_low"], r["ci_high"]) for r in rows if r["model"] == m]
        for m in order
    }
    figure, (left, right) = plots.subplots(
        1, 2, figsize=(11, 3.8), dpi=100, gridspec_kw={"width_ratios": [2, 1]}
    )
    buckets = list(dict.fromkeys(r["group"] for r in rows))
    for model, points in series.items():
        xs = [buckets.index(p[0]) for p in points]
        line = left.plot(xs, [p[1] for p in points], marker="o", markersize=3, label=model)[0]
        left.fill_between(
            xs, [p[2] for p in points], [p[3] for p in points], alpha=0.2, color=line.get_color()
        )
    left.set_xticks(range(len(buckets)), buckets)
    left.axhline(0.5, color="grey", linewidth=0.8, linestyle=":")
    left.set_ylim(0, 1.02)
    left.set_xlabel("dependency length (words between subject and verb)")
    left.set_ylabel("accuracy (pooled 95% interval)")
    left.set_title("Which simplification keeps agreement at long distances?", fontsize=9)
    left.legend(fontsize=7)
    right.bar(range(len(order)), [r["gradient_ratio"] for r in gradient_rows], color="tab:gray")
    right.set_yscale("log")
    right.set_xticks(range(len(order)), order, rotation=30, fontsize=7)
    right.set_ylabel(f"‖∂L/∂c‖ at distance {gradient_rows[0]['distance']} / at 1")
    right.set_title("How much gradient reaches back", fontsize=9)
    return plots.png_bytes(figure)
