"""A run on the nested grammar: accuracy per tested verb, main and embedded."""

import csv

import numpy as np

from evaluate.__main__ import main


def test_accuracy_is_reported_per_verb_main_and_embedded(nested_tiny_run, tmp_path):
    import keras

    from datasets import agreement
    from train.run import EVAL_SIZES, dataset_config

    config, run_dir, metrics = nested_tiny_run
    assert set(metrics["test"]["by_verb_role"]) == {"main", "embedded_1", "embedded_2"}
    out = tmp_path / "report"
    assert main([str(run_dir), "--out", str(out)]) == 0
    with open(out / "accuracy_by_run.csv", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["split"] == "test"]
    by_role = {r["group"]: r for r in rows if r["grouping"] == "verb_role"}
    by_verb = {r["group"]: r for r in rows if r["grouping"] == "nested_verb"}
    assert set(by_verb) == {
        "k=1 main", "k=2 main", "k=2 embedded_1", "k=3 main", "k=3 embedded_1", "k=3 embedded_2",
    }  # fmt: skip
    model = keras.saving.load_model(run_dir / "model.keras")
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    examples = agreement.load_split(dataset_config(config), "test", EVAL_SIZES["test"], seed=0)
    inputs, labels = agreement.number_arrays(examples, vocab)
    right = model.predict(inputs, verbose=0).argmax(-1) == labels
    roles = np.array([e["verb_role"] for e in examples])
    for role, row in by_role.items():
        assert (int(row["correct"]), int(row["count"])) == (
            right[roles == role].sum(),
            (roles == role).sum(),
        )
    assert sum(int(r["count"]) for r in by_verb.values()) == len(examples)
    report = (out / "report.md").read_text()
    assert "## By verb role" in report and "## By nested agreements" in report


def test_a_controlled_run_has_no_per_verb_rows(tiny_run, tmp_path):
    _, run_dir, metrics = tiny_run
    assert "by_verb_role" not in metrics["test"]
    out = tmp_path / "report"
    assert main([str(run_dir), "--out", str(out)]) == 0
    assert "verb_role" not in (out / "accuracy_by_model.csv").read_text()
    report = (out / "report.md").read_text()
    assert "verb role" not in report and "nested agreements" not in report
