"""Held length, longest-rung accuracy and AUC over log length, on hand-made count tables."""

import math

import pytest

from evaluate.intervals import wilson
from evaluate.leaderboard import auc_log_length, held_length, leaderboard

RUNGS = [(31, 60), (61, 120), (121, 250), (251, 500)]


def counts(*accuracies, n=1000):
    """{rung: (hits, n)} with the given accuracies on RUNGS in order."""
    return {rung: (round(a * n), n) for rung, a in zip(RUNGS, accuracies, strict=True)}


def test_held_length_is_the_top_of_the_last_rung_whose_lower_bound_reaches_095():
    # Wilson lower bounds at n=1000: 0.99 → 0.982, 0.96 → 0.946 (< 0.95), 0.965 → 0.952.
    assert wilson(960, 1000)[0] < 0.95 < wilson(965, 1000)[0]
    assert held_length(RUNGS, counts(1.0, 0.99, 0.965, 0.5)) == 250
    assert held_length(RUNGS, counts(1.0, 0.99, 0.96, 0.5)) == 120
    assert held_length(RUNGS, counts(1.0, 1.0, 1.0, 1.0)) == 500
    assert held_length(RUNGS, counts(0.9, 1.0, 1.0, 1.0)) == 0


def test_a_rung_beyond_a_failed_one_is_not_held():
    assert held_length(RUNGS, counts(1.0, 0.7, 1.0, 1.0)) == 60


def test_too_few_sentences_cannot_hold_a_rung_even_when_all_are_right():
    # 20 of 20: the Wilson lower bound is 0.839, so the evidence does not reach 0.95.
    assert held_length(RUNGS, counts(1.0, 1.0, 1.0, 1.0, n=20)) == 0
    assert held_length(RUNGS, counts(1.0, 1.0, 1.0, 1.0, n=80)) == 500  # bound 0.954


def test_auc_is_the_mean_accuracy_over_log_length_of_the_rungs_step_curve():
    # Rung [a, b] spans log(b + 1) − log(a): 31-60 and 61-120 share the point 61.
    widths = [math.log(61 / 31), math.log(121 / 61), math.log(251 / 121), math.log(501 / 251)]
    accuracies = dict(zip(RUNGS, [1.0, 0.9, 0.7, 0.5], strict=True))
    expected = (1.0 * widths[0] + 0.9 * widths[1] + 0.7 * widths[2] + 0.5 * widths[3]) / math.log(
        501 / 31
    )
    assert auc_log_length(RUNGS, accuracies) == pytest.approx(expected)
    assert auc_log_length(RUNGS, dict.fromkeys(RUNGS, 1.0)) == pytest.approx(1.0)
    assert auc_log_length(RUNGS, dict.fromkeys(RUNGS, 0.5)) == pytest.approx(0.5)
    # By hand: log widths 0.6769, 0.6849, 0.7297, 0.6912 (sum 2.7826); area 2.1497.
    assert auc_log_length(RUNGS, accuracies) == pytest.approx(0.7725, abs=1e-4)


def test_seeds_are_pooled_and_models_ranked_by_held_length_then_longest_accuracy():
    table = {
        # Each seed alone holds 250 at n=1000 (0.965 → bound 0.952); pooled 2000 too.
        "steady": [counts(1.0, 0.99, 0.965, 0.60), counts(1.0, 0.99, 0.965, 0.70)],
        # Holds everything on one seed, only 60 on the other: pooled 0.93 at 61-120 fails.
        "erratic": [counts(1.0, 1.0, 1.0, 1.0), counts(1.0, 0.86, 0.9, 0.9)],
        "chance": [counts(0.5, 0.5, 0.5, 0.5)],
        "also_chance_but_better_at_the_end": [counts(0.5, 0.5, 0.5, 0.56)],
    }
    rows = leaderboard(RUNGS, table)
    assert [r["model"] for r in rows] == [
        "steady",
        "erratic",
        "also_chance_but_better_at_the_end",
        "chance",
    ]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]
    steady, erratic = rows[0], rows[1]
    assert (steady["held_length"], steady["held_length_min"], steady["held_length_max"]) == (
        250,
        250,
        250,
    )
    assert (erratic["held_length"], erratic["held_length_min"], erratic["held_length_max"]) == (
        60,
        60,
        500,
    )
    assert steady["seeds"] == 2 and steady["longest_rung"] == "251-500"
    assert steady["accuracy_longest"] == pytest.approx(0.65)
    low, high = wilson(1300, 2000)
    assert steady["accuracy_longest_low"] == pytest.approx(low)
    assert steady["accuracy_longest_high"] == pytest.approx(high)
    pooled = dict(zip(RUNGS, [1.0, 0.93, 0.95, 0.95], strict=True))
    assert erratic["auc_log_length"] == pytest.approx(auc_log_length(RUNGS, pooled))
    assert erratic["auc_log_length_max"] == pytest.approx(1.0)


def test_a_model_trained_under_either_of_its_names_is_one_row_naming_both(tmp_path):
    """gru_no_reset_gate is simplified_gru: their runs are the seeds of one model, and the
    leaderboard shows it once, under a name that says both."""
    from pathlib import Path

    from evaluate.ladder_report import ladder_files
    from evaluate.report import model_labels
    from evaluate.runs import Run
    from train.config import TrainConfig

    trained = [("gru", 0), ("simplified_gru", 0), ("gru_no_reset_gate", 1)]
    runs = [
        Run(Path(f"{model}-seed{seed}"), TrainConfig(model=model, seed=seed), {})
        for model, seed in trained
    ]
    scores = {
        run.path: counts(1.0, 1.0, 1.0, 0.9 if run.config.model == "gru" else 0.8) for run in runs
    }
    models = model_labels(runs)
    _, table = ladder_files(runs, models, RUNGS, scores)
    rows = [line for line in table.splitlines() if line.startswith("| ") and "rank" not in line]
    assert [row.split(" | ")[1:3] for row in rows] == [
        ["gru", "1"],
        ["simplified_gru (= gru_no_reset_gate)", "2"],
    ]
