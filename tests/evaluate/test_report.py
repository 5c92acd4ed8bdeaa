"""The comparison report: its numbers are the models' own predictions, sliced and aggregated."""

import contextlib
import csv
import io
import math
import statistics
from pathlib import Path

import numpy as np
import pytest

from evaluate.__main__ import main
from evaluate.conditions import Condition
from evaluate.intervals import spread, wilson
from evaluate.report import model_rows
from evaluate.runs import Run
from train.config import TrainConfig


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def report(two_seed_sweep, tmp_path_factory):
    """The report of the two-seed sweep and what it printed, made once for the tests that
    read it."""
    out = tmp_path_factory.mktemp("report") / "report"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main([str(two_seed_sweep), "--out", str(out)]) == 0
    return out, printed.getvalue()


def test_the_report_writes_tables_csvs_plots_and_a_markdown_page_that_embeds_them(report):
    out, stdout = report
    names = {p.name for p in out.iterdir()}
    assert {"report.md", "accuracy_by_model.csv", "accuracy_by_run.csv"} <= names
    assert {"accuracy_by_dependency_length.png", "accuracy_by_attractors.png"} <= names
    markdown = (out / "report.md").read_text()
    for png in ("accuracy_by_dependency_length.png", "accuracy_by_attractors.png"):
        assert f"]({png})" in markdown
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| gru | test | all | 2 |" in stdout


def test_per_length_accuracy_is_the_models_own_predictions(report, tiny_run):
    import keras

    from datasets import agreement
    from train.run import EVAL_SIZES, dataset_config

    config, run_dir, _ = tiny_run
    out, _ = report
    model = keras.saving.load_model(run_dir / "model.keras")
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    examples = agreement.load_split(dataset_config(config), "test", EVAL_SIZES["test"], seed=1)
    inputs, labels = agreement.number_arrays(examples, vocab)
    predicted = model.predict(inputs, verbose=0).argmax(-1)
    lengths = np.array([e["dependency_length"] for e in examples])
    rows = [
        r
        for r in read_csv(out / "accuracy_by_run.csv")
        if r["run"].endswith("gru-seed1") and r["split"] == "test"
    ]
    by_length = {r["group"]: r for r in rows if r["grouping"] == "dependency_length"}
    assert set(by_length) == {str(n) for n in np.unique(lengths)}
    for length, row in by_length.items():
        chosen = lengths == int(length)
        assert int(row["count"]) == chosen.sum()
        assert int(row["correct"]) == (predicted[chosen] == labels[chosen]).sum()
    (overall,) = [r for r in rows if r["grouping"] == "all"]
    assert float(overall["accuracy"]) == pytest.approx((predicted == labels).mean(), abs=1e-6)


def test_attractors_are_also_scored_on_test_attractors_as_many_sentences_for_each(report, tiny_run):
    import keras

    from datasets import agreement
    from train.run import dataset_config

    config, run_dir, _ = tiny_run
    out, _ = report
    rows = [
        r
        for r in read_csv(out / "accuracy_by_run.csv")
        if r["run"].endswith("gru-seed1") and r["split"] == "test_attractors"
    ]
    by_attractors = {int(r["group"]): r for r in rows if r["grouping"] == "n_attractors"}
    k = dataset_config(config).attractor_test_max
    assert sorted(by_attractors) == list(range(k + 1)) and k >= 1
    assert len({int(r["count"]) for r in by_attractors.values()}) == 1  # balanced
    total = sum(int(r["count"]) for r in by_attractors.values())
    model = keras.saving.load_model(run_dir / "model.keras")
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    examples = agreement.load_split(dataset_config(config), "test_attractors", total, seed=1)
    inputs, labels = agreement.number_arrays(examples, vocab)
    right = model.predict(inputs, verbose=0).argmax(-1) == labels
    attractors = np.array([e["n_attractors"] for e in examples])
    for n, row in by_attractors.items():
        assert int(row["correct"]) == right[attractors == n].sum()
    report_page = (out / "report.md").read_text()
    assert "| gru | test_attractors | 0 |" in report_page


def test_seeds_are_aggregated_mean_spread_and_pooled_interval(report):
    out, _ = report
    by_run = read_csv(out / "accuracy_by_run.csv")
    by_model = read_csv(out / "accuracy_by_model.csv")
    assert len({r["run"] for r in by_run}) == 2 and {r["model"] for r in by_model} == {"gru"}
    for row in by_model:
        members = [
            r
            for r in by_run
            if (r["split"], r["grouping"], r["group"])
            == (row["split"], row["grouping"], row["group"])
        ]
        assert int(row["runs"]) == len(members)
        hits, count = sum(int(r["correct"]) for r in members), sum(int(r["count"]) for r in members)
        assert (int(row["correct"]), int(row["count"])) == (hits, count)
        low, high = wilson(hits, count)
        assert float(row["ci_low"]) == pytest.approx(low, abs=1e-5)
        assert float(row["ci_high"]) == pytest.approx(high, abs=1e-5)
        accuracies = [int(r["correct"]) / int(r["count"]) for r in members]
        assert float(row["mean"]) == pytest.approx(statistics.mean(accuracies), abs=1e-5)
        assert float(row["std"]) == pytest.approx(statistics.stdev(accuracies), abs=1e-5)


def test_three_seeds_aggregate_to_the_hand_computed_mean_sample_std_and_pooled_interval():
    # Seeds scoring 6/10, 8/10 and 7/10: mean 0.7; sample std (n - 1 = 2 in the
    # denominator) sqrt((0.01 + 0.01 + 0) / 2) = 0.1, where the population std would be
    # 0.0816; pooled 21/30, whose Wilson interval is 0.5212-0.8334 (scipy's binomtest gives
    # 0.52124, 0.83335).
    condition = Condition("test", "all")
    runs = [
        Run(Path(f"gru-seed{seed}"), TrainConfig(model="gru", seed=seed), {}) for seed in range(3)
    ]
    counts = {"gru-seed0": (6, 10), "gru-seed1": (8, 10), "gru-seed2": (7, 10)}
    scores = {run.path: {condition.name: {"all": counts[run.path.name]}} for run in runs}
    models = {run.path: "gru" for run in runs}
    (row,) = model_rows(runs, models, scores, (condition,))
    assert (row["runs"], row["correct"], row["count"]) == (3, 21, 30)
    assert row["mean"] == pytest.approx(0.7)
    assert row["std"] == pytest.approx(0.1)
    assert (row["min"], row["max"]) == (pytest.approx(0.6), pytest.approx(0.8))
    assert row["accuracy"] == pytest.approx(0.7)
    assert row["ci_low"] == pytest.approx(0.52124, abs=1e-5)
    assert row["ci_high"] == pytest.approx(0.83335, abs=1e-5)


def test_one_seed_has_no_spread_and_missing_accuracies_are_left_out():
    assert spread([0.25]).std == 0.0
    assert spread([0.5, math.nan, 0.7]).mean == pytest.approx(0.6)
    assert spread([0.5, math.nan, 0.7]).std == pytest.approx(statistics.stdev([0.5, 0.7]))


def test_every_interval_contains_its_point_estimate(report):
    out, _ = report
    for name in ("accuracy_by_model.csv", "accuracy_by_run.csv"):
        for row in read_csv(out / name):
            assert float(row["ci_low"]) <= float(row["accuracy"]) <= float(row["ci_high"])


@pytest.mark.parametrize(
    "hits,count,low,high",
    [
        # As statsmodels' proportion_confint(3, 10, method="wilson") gives it.
        (3, 10, 0.1078, 0.6032),
        # The worked examples of Newcombe (1998), "Two-sided confidence intervals for the
        # single proportion", Statistics in Medicine 17:857-872, method 3 (score interval).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # By hand: at p = 0 the interval is [0, z²/(n + z²)] = [0, 3.8415/13.8415], and it
        # mirrors at p = 1; at p = 1/2 it is 1/2 ± z·sqrt(1/(4n) + z²/(4n²))/(1 + z²/n).
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (50, 100, 0.4038, 0.5962),
    ],
)
def test_wilson_interval_matches_published_values(hits, count, low, high):
    assert wilson(hits, count) == (
        pytest.approx(low, abs=5e-5),
        pytest.approx(high, abs=5e-5),
    )


@pytest.mark.parametrize("hits,count", [(0, 1), (1, 1), (3, 10), (50, 100), (999, 1000)])
def test_wilson_interval_is_inside_0_1_and_contains_the_proportion(hits, count):
    low, high = wilson(hits, count)
    assert 0.0 <= low <= hits / count <= high <= 1.0
    assert high - low > 0
    assert all(math.isnan(v) for v in wilson(0, 0))


def test_the_same_runs_give_the_same_report_byte_for_byte(report, two_seed_sweep, tmp_path, capsys):
    first, _ = report
    second = tmp_path / "second"
    assert main([str(two_seed_sweep), "--out", str(second)]) == 0
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in second.iterdir())
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_a_run_under_the_other_name_of_a_model_is_the_same_run_counted_once(
    tiny_run, tmp_path, capsys
):
    """A sweep from before aliases were trained once has simplified_gru-seed0 and
    gru_no_reset_gate-seed0, the same training twice: the second is left out, with a
    warning, so that the model's seeds are not counted twice."""
    import json
    import shutil

    from evaluate.runs import find_runs

    config, run_dir, _ = tiny_run
    for model in ("simplified_gru", "gru_no_reset_gate", "gru"):
        copy = tmp_path / "sweep" / f"{model}-seed0"
        shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns(".lock"))
        settings = json.loads((copy / "config.json").read_text())
        settings |= {"model": model, "run_dir": str(copy)}
        (copy / "config.json").write_text(json.dumps(settings))
    runs = find_runs([tmp_path / "sweep"])
    assert sorted(run.path.name for run in runs) == ["gru-seed0", "gru_no_reset_gate-seed0"]
    warning = capsys.readouterr().err
    assert f"{tmp_path / 'sweep' / 'simplified_gru-seed0'} is " in warning
    assert "counted once" in warning
