"""The comparison report: its numbers are the models' own predictions, sliced and aggregated."""

import csv
import math

import numpy as np
import pytest

from evaluate.__main__ import main
from evaluate.intervals import spread, wilson


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def report(two_seed_sweep, tmp_path, capsys):
    out = tmp_path / "report"
    assert main([str(two_seed_sweep), "--out", str(out)]) == 0
    return out, capsys.readouterr().out


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
        expected = spread(int(r["correct"]) / int(r["count"]) for r in members)
        assert float(row["mean"]) == pytest.approx(expected.mean, abs=1e-5)
        assert float(row["std"]) == pytest.approx(expected.std, abs=1e-5)


def test_every_interval_contains_its_point_estimate(report):
    out, _ = report
    for name in ("accuracy_by_model.csv", "accuracy_by_run.csv"):
        for row in read_csv(out / name):
            assert float(row["ci_low"]) <= float(row["accuracy"]) <= float(row["ci_high"])


@pytest.mark.parametrize("hits,count", [(0, 1), (1, 1), (3, 10), (50, 100), (999, 1000)])
def test_wilson_interval_is_inside_0_1_and_contains_the_proportion(hits, count):
    low, high = wilson(hits, count)
    assert 0.0 <= low <= hits / count <= high <= 1.0
    assert high - low > 0
    assert all(math.isnan(v) for v in wilson(0, 0))


def test_the_same_runs_give_the_same_report_byte_for_byte(two_seed_sweep, tmp_path, capsys):
    first, second = tmp_path / "first", tmp_path / "second"
    assert main([str(two_seed_sweep), "--out", str(first)]) == 0
    assert main([str(two_seed_sweep), "--out", str(second)]) == 0
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
