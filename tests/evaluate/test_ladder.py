"""`python -m evaluate RUNS --ladder`: the length ladder scored, and the ranked leaderboard."""

import contextlib
import csv
import io
import itertools
import subprocess
import sys

import numpy as np
import pytest

from evaluate.__main__ import main
from evaluate.ladder_report import length_grouped_batches

TINY_LADDER = ["--ladder", "--ladder-rungs", "13-16,17-32", "--ladder-size", "60"]
REQUIRED_COLUMNS = {
    "model",
    "seeds",
    "held_length",
    "accuracy_longest",
    "accuracy_longest_low",
    "accuracy_longest_high",
    "auc_log_length",
}


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def ladder_report(two_seed_sweep, tmp_path_factory):
    """The two-seed sweep's report with the ladder, and what it printed, made once."""
    out = tmp_path_factory.mktemp("ladder") / "report"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main([str(two_seed_sweep), *TINY_LADDER, "--out", str(out)]) == 0
    return out, printed.getvalue()


def test_the_ladder_writes_a_leaderboard_per_rung_csvs_and_a_log_length_plot(ladder_report):
    out, stdout = ladder_report
    names = {p.name for p in out.iterdir()}
    assert {
        "leaderboard.csv",
        "leaderboard.md",
        "ladder_by_model.csv",
        "ladder_by_run.csv",
    } <= names
    assert (out / "accuracy_on_ladder.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    (row,) = read_csv(out / "leaderboard.csv")
    assert REQUIRED_COLUMNS <= set(row)
    assert (row["model"], row["seeds"], row["longest_rung"]) == ("gru", "2", "17-32")
    low, acc, high = (
        float(row[k]) for k in ("accuracy_longest_low", "accuracy_longest", "accuracy_longest_high")
    )
    assert low <= acc <= high
    assert "# Length ladder: leaderboard" in (out / "leaderboard.md").read_text()
    assert "](accuracy_on_ladder.png)" in (out / "report.md").read_text()
    assert "| 1 | gru | 2 |" in stdout


def test_rung_accuracy_is_the_models_own_predictions_on_the_rungs_sentences(
    ladder_report, tiny_run
):
    import keras

    from datasets import agreement
    from datasets.agreement.ladder import iter_rung
    from train.run import dataset_config

    config, run_dir, _ = tiny_run
    out, _ = ladder_report
    model = keras.saving.load_model(run_dir / "model.keras")
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    rows = {
        (r["run"].rsplit("-seed", 1)[1], r["rung"]): r for r in read_csv(out / "ladder_by_run.csv")
    }
    assert set(rows) == {(s, g) for s in "01" for g in ("13-16", "17-32")}
    for (seed, rung), row in rows.items():
        low, high = map(int, rung.split("-"))
        examples = list(iter_rung(dataset_config(config), (low, high), 60, seed=int(seed)))
        inputs, labels = agreement.number_arrays(examples, vocab)  # one batch, padded to longest
        right = model.predict(inputs, verbose=0).argmax(-1) == labels
        assert (int(row["correct"]), int(row["count"])) == (right.sum(), 60)
    by_model = {r["rung"]: r for r in read_csv(out / "ladder_by_model.csv")}
    for rung, row in by_model.items():
        assert int(row["correct"]) == sum(int(rows[(s, rung)]["correct"]) for s in "01")


def test_batches_are_grouped_by_length_and_read_one_chunk_at_a_time():
    lengths = [40, 500, 35, 300, 480, 33, 260, 45] * 4
    stream = iter({"tokens": ["w"] * n} for n in lengths)
    consumed = itertools.count()
    counted = ({**e, "n": next(consumed)} for e in stream)
    batches = length_grouped_batches(counted, chunk=8, batch_size=4)
    first = next(batches)
    assert [len(e["tokens"]) for e in first] == [33, 35, 40, 45]
    assert next(consumed) == 8  # only the first chunk has been read
    second = next(batches)
    assert [len(e["tokens"]) for e in second] == [260, 300, 480, 500]
    assert sum(len(b) for b in [first, second, *batches]) == len(lengths)


@pytest.mark.parametrize(
    "flags,message",
    [
        (
            ["--ladder-rungs", "5-10"],
            "--ladder-rungs: rungs must be ranges above the training maximum 8",
        ),
        (["--ladder-rungs", "13-16,x"], "--ladder-rungs: rungs must be comma-separated ranges"),
        (["--ladder-rungs", "13-16,16-32"], "--ladder-rungs: rungs must not touch"),
        (["--ladder-rungs", "13-20,16-32"], "--ladder-rungs: rungs must not overlap"),
        (["--ladder-rungs", "17-32,13-16"], "--ladder-rungs: rungs must be in increasing order"),
        (["--ladder-size", "0"], "--ladder-size: expected a positive integer"),
    ],
)
def test_bad_ladder_flags_are_one_line_errors_and_write_nothing(
    tiny_run, tmp_path, capsys, flags, message
):
    _, run_dir, _ = tiny_run
    out = tmp_path / "report"
    with pytest.raises(SystemExit) as exit_info:
        main([str(run_dir), "--ladder", *flags, "--out", str(out)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert message in error and "\n" not in error
    assert not out.exists()


def test_train_two_models_then_evaluate_the_ladder_gives_one_leaderboard_row_per_model(
    tmp_path, repo_root
):
    runs, out = tmp_path / "D", tmp_path / "R"
    tiny = ["--dataset-config", "tiny", "--train-size", "200", "--epochs", "1", "--units", "8"]
    subprocess.run(
        [sys.executable, "-m", "train", "--model", "gru,simplified_gru", "--run-dir", str(runs),
         *tiny, "--no-jit"],
        cwd=repo_root, check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "evaluate", str(runs), "--ladder", "--ladder-rungs", "13-16",
         "--ladder-size", "20", "--out", str(out)],
        cwd=repo_root, check=True, capture_output=True,
    )  # fmt: skip
    rows = read_csv(out / "leaderboard.csv")
    # simplified_gru has a second name: its row names both (zoo.registry.label)
    assert sorted(r["model"] for r in rows) == ["gru", "simplified_gru (= gru_no_reset_gate)"]
    assert sorted(r["rank"] for r in rows) == ["1", "2"]
    assert all(r["seeds"] == "1" and r["longest_rung"] == "13-16" for r in rows)
    assert np.isfinite([float(r["auc_log_length"]) for r in rows]).all()
