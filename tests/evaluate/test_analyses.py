"""The analysis subcommands run on the tiny run, write their files and print their headline."""

import csv
import os
import subprocess
import sys

import numpy as np
import pytest

from evaluate.__main__ import main


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def run_cli(argv, capsys):
    assert main(argv) == 0
    return capsys.readouterr().out


def test_stepping_reproduces_the_model_and_its_traced_states(tiny_run):
    import keras

    import zoo
    from datasets import agreement
    from evaluate.stack_stepping import run_stack

    config, run_dir, _ = tiny_run
    model = keras.saving.load_model(run_dir / "model.keras")
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    ids, _ = agreement.number_arrays(agreement.load_split("tiny", "test", 64, seed=0), vocab)
    logits, states = run_stack(model, ids)
    np.testing.assert_allclose(logits, model.predict(ids, verbose=0), atol=1e-4)
    np.testing.assert_allclose(states["rnn_0"], zoo.trace(model, ids)["rnn_0"]["state"], atol=1e-5)
    clamped, clamped_states = run_stack(model, ids, {"rnn_0": ([3], [0.25])})
    assert np.all(clamped_states["rnn_0"][:, :, 3][ids != 0] == pytest.approx(0.25))


def test_gates_reports_saturation_per_gate_and_region(tiny_run, tmp_path, capsys):
    _, run_dir, _ = tiny_run
    out = tmp_path / "gates"
    stdout = run_cli(["gates", str(run_dir), "--out", str(out), "--examples", "200"], capsys)
    assert {p.name for p in out.iterdir()} == {"gates.csv", "gates.png"}
    rows = read_csv(out / "gates.csv")
    assert {(r["gate"], r["region"]) for r in rows} == {
        (gate, region)
        for gate in ("update", "reset")
        for region in ("subject", "span", "elsewhere", "all")
    }
    for row in rows:
        fractions = [float(row[k]) for k in ("near_0", "near_1", "grey")]
        assert sum(fractions) == pytest.approx(1.0) and all(0 <= f <= 1 for f in fractions)
    assert "headline: Γu (rnn_0) values over the distractor span" in stdout


def test_units_finds_number_units_and_compares_clamping_with_random_units(
    tiny_run, tmp_path, capsys
):
    _, run_dir, _ = tiny_run
    out = tmp_path / "units"
    argv = ["units", str(run_dir), "--out", str(out), "--examples", "200", "--top", "1,3"]
    stdout = run_cli(argv + ["--random-draws", "2"], capsys)
    assert {p.name for p in out.iterdir()} == {
        "units.csv",
        "ablation.csv",
        "units_over_time.csv",
        "units.png",
    }
    units = read_csv(out / "units.csv")
    assert len(units) == 16 and {int(r["unit"]) for r in units} == set(range(16))
    magnitudes = [abs(float(r["r_span"])) for r in units]
    assert magnitudes == sorted(magnitudes, reverse=True)
    assert [int(r["k"]) for r in read_csv(out / "ablation.csv")] == [1, 3]
    assert f"top number unit: {units[0]['unit']} " in stdout and "headline:" in stdout


@pytest.mark.parametrize("command", ["gates", "units", "gradients", "trace"])
def test_analyses_refuse_a_missing_run_dir_in_one_line(command, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, str(tmp_path / "absent"), "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "RUN_DIR" in error
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["units", "gradients"])
def test_analyses_refuse_a_run_of_another_task_in_one_line(
    command, relabelled_run, tmp_path, capsys
):
    with pytest.raises(SystemExit) as exit_info:
        main([command, str(relabelled_run("lm")), "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "'lm'" in error and "number" in error
    assert not (tmp_path / "out").exists()


def test_gradients_profiles_the_gradient_and_gamma_u_by_distance(two_seed_sweep, tmp_path, capsys):
    out = tmp_path / "gradients"
    stdout = run_cli(
        ["gradients", str(two_seed_sweep), "--out", str(out), "--examples", "32"], capsys
    )
    assert {p.name for p in out.iterdir()} == {"gradients.csv", "gradients.png"}
    rows = read_csv(out / "gradients.csv")
    assert len({r["run"] for r in rows}) == 2
    assert min(int(r["distance"]) for r in rows) == 1
    for row in rows:
        assert float(row["gradient_norm"]) > 0 and 0 <= float(row["mean_update"]) <= 1
    assert "headline: gru: ‖∂loss/∂c⟨t⟩‖ at distance" in stdout and "mean Γu" in stdout


def test_trace_prints_the_worked_calculation_for_each_word(tiny_run, tmp_path, capsys):
    _, run_dir, _ = tiny_run
    out = tmp_path / "trace"
    sentence = "The cats, which the dog chases, eat"
    argv = ["trace", str(run_dir), "--sentence", sentence, "--units", "2,5", "--out", str(out)]
    stdout = run_cli(argv, capsys)
    steps = [line for line in stdout.splitlines() if line.startswith("t=")]
    assert [line.split()[1] for line in steps] == [
        repr(w) for w in ["the", "cats", ",", "which", "the", "dog", "chases", ",", "eat"]
    ]
    rows = read_csv(out / "trace.csv")
    assert len(rows) == 2 * len(steps) and {r["unit"] for r in rows} == {"2", "5"}
    for row in rows:  # the printed equation holds: c = Γu·c̃ + (1 − Γu)·c⟨t−1⟩
        update, candidate = float(row["update"]), float(row["candidate"])
        expected = update * candidate + (1 - update) * float(row["state_previous"])
        assert float(row["state"]) == pytest.approx(expected, abs=1e-4)
    assert "headline: after 'eat'" in stdout


def test_trace_defaults_to_the_top_number_units(tiny_run, capsys):
    _, run_dir, _ = tiny_run
    stdout = run_cli(["trace", str(run_dir), "--sentence", "the dogs near the cat"], capsys)
    assert "top number units:" in stdout.splitlines()[0]


def test_trace_shows_unit_0_because_units_are_numbered_from_0(tiny_run, capsys):
    _, run_dir, _ = tiny_run
    stdout = run_cli(["trace", str(run_dir), "--sentence", "the dogs", "--units", "0,3"], capsys)
    assert "units [0, 3] (chosen)" in stdout.splitlines()[0]
    assert sum(line.strip().startswith("unit  0:") for line in stdout.splitlines()) == 2


def test_trace_png_of_a_long_sentence_stays_at_most_3000_pixels_wide(tiny_run, tmp_path, capsys):
    import struct

    _, run_dir, _ = tiny_run
    sentence = " ".join(["the dogs near the cat"] * 100)  # 500 words: 22,700 px before
    out = tmp_path / "trace"
    run_cli(
        ["trace", str(run_dir), "--sentence", sentence, "--units", "1", "--out", str(out)], capsys
    )
    png = (out / "trace.png").read_bytes()
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert width <= 3000 and height == 500
    assert len(read_csv(out / "trace.csv")) == 500


def test_a_unit_equal_to_the_label_has_r_1_and_the_others_np_corrcoef():
    from evaluate.units import correlations

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 40)
    states = rng.normal(size=(40, 7, 5))
    states[:, :, 2] = labels[:, None]  # unit 2 holds the number at every step
    where = rng.random((40, 7)) < 0.6
    r = correlations(states, labels, where)
    assert r[2] == pytest.approx(1.0)
    assert np.argmax(np.abs(r)) == 2
    steps_label = np.broadcast_to(labels[:, None], where.shape)[where]
    for unit in range(5):
        expected = np.corrcoef(states[:, :, unit][where], steps_label)[0, 1]
        assert r[unit] == pytest.approx(expected, abs=1e-12)


def test_units_csv_holds_pearson_r_of_each_traced_unit_with_the_subjects_number(
    tiny_run, tmp_path, capsys
):
    import keras

    import zoo
    from datasets import agreement
    from train.run import dataset_config

    config, run_dir, _ = tiny_run
    out = tmp_path / "units"
    argv = ["units", str(run_dir), "--out", str(out), "--examples", "200", "--top", "1"]
    run_cli(argv + ["--random-draws", "1"], capsys)
    units = read_csv(out / "units.csv")

    # The oracle: the states zoo.trace reports, the labels the sentences carry, and the
    # span (strictly between subject and verb) from their indices, through np.corrcoef.
    examples = agreement.load_split(dataset_config(config), "test", 200, seed=config.seed)
    model = keras.saving.load_model(run_dir / "model.keras")
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    ids, _ = agreement.number_arrays(examples, vocab)
    states = zoo.trace(model, ids)["rnn_0"]["state"]
    values, numbers = [], []
    for row, example in enumerate(examples):
        for t in range(example["subject_index"] + 1, example["verb_index"]):
            values.append(states[row, t])
            numbers.append(example["label"])
    values, numbers = np.array(values), np.array(numbers)
    expected = {u: np.corrcoef(values[:, u], numbers)[0, 1] for u in range(values.shape[1])}
    assert {int(r["unit"]): float(r["r_span"]) for r in units} == pytest.approx(expected, abs=1e-4)
    best = max(expected, key=lambda u: abs(expected[u]))
    assert int(units[0]["unit"]) == best and units[0]["rank"] == "1"


def test_gates_saturation_of_gates_known_in_closed_form(
    tiny_run, gate_biased_run, tmp_path, capsys
):
    from datasets import agreement
    from train.run import dataset_config

    config, _, _ = tiny_run
    # Γu = σ(−30) ≈ 0 in units 0-3, σ(+30) ≈ 1 in units 4-15; Γr = σ(0) = ½ everywhere.
    update_bias = np.where(np.arange(16) < 4, -30.0, 30.0)
    run_dir, _ = gate_biased_run(update_bias)
    out = tmp_path / "gates"
    run_cli(["gates", str(run_dir), "--out", str(out), "--examples", "100"], capsys)
    rows = {(r["gate"], r["region"]): r for r in read_csv(out / "gates.csv")}
    examples = agreement.load_split(dataset_config(config), "test", 100, seed=config.seed)
    # Number-task inputs are the words before the verb: verb_index steps per sentence, of
    # which verb_index - subject_index - 1 lie in the span.
    steps = sum(e["verb_index"] for e in examples)
    span = sum(e["verb_index"] - e["subject_index"] - 1 for e in examples)
    assert int(rows["update", "all"]["count"]) == 16 * steps
    assert int(rows["update", "span"]["count"]) == 16 * span
    assert int(rows["update", "subject"]["count"]) == 16 * len(examples)
    for region in ("subject", "span", "elsewhere", "all"):
        update, reset = rows["update", region], rows["reset", region]
        assert float(update["near_0"]) == pytest.approx(4 / 16)
        assert float(update["near_1"]) == pytest.approx(12 / 16)
        assert float(update["grey"]) == pytest.approx(0.0, abs=1e-12)
        assert float(update["mean"]) == pytest.approx(12 / 16, abs=1e-6)
        assert float(reset["grey"]) == pytest.approx(1.0)
        assert float(reset["mean"]) == pytest.approx(0.5, abs=1e-6)


def test_a_closed_update_gate_passes_the_loss_gradient_back_unchanged(
    tiny_run, gate_biased_run, tmp_path, capsys
):
    """Γu ≡ 0: c⟨t⟩ = c⟨t−1⟩ = 0 at every step, so ∂c⟨T⟩/∂c⟨t⟩ = I and at every distance
    ‖∂loss/∂c⟨t⟩‖ = ‖W (softmax(b) − onehot(label))‖, with W, b the logits layer's weights."""
    from datasets import agreement
    from train.run import dataset_config

    run_dir, model = gate_biased_run(np.full(16, -30.0))
    out = tmp_path / "gradients"
    run_cli(["gradients", str(run_dir), "--out", str(out), "--examples", "24"], capsys)
    rows = {int(r["distance"]): r for r in read_csv(out / "gradients.csv")}

    config, _, _ = tiny_run
    examples = agreement.load_split(dataset_config(config), "test_long", 24, seed=config.seed)
    kernel, bias = (w.numpy().astype(np.float64) for w in model.get_layer("logits").weights)
    probabilities = np.exp(bias) / np.exp(bias).sum()
    by_distance = {}
    for example in examples:
        norm = np.linalg.norm(kernel @ (probabilities - np.eye(2)[example["label"]]))
        for t in range(example["verb_index"]):
            by_distance.setdefault(example["verb_index"] - t, []).append(norm)
    assert sorted(rows) == sorted(by_distance)
    for distance, norms in by_distance.items():
        assert float(rows[distance]["gradient_norm"]) == pytest.approx(np.mean(norms), rel=1e-4)
        assert float(rows[distance]["mean_update"]) == pytest.approx(0.0, abs=1e-9)
        assert int(rows[distance]["sentences"]) == len(norms)


def test_trace_prints_on_an_ascii_terminal(tiny_run, repo_root):
    """The course's notation as escapes, not a UnicodeEncodeError, where stdout is ASCII."""
    _, run_dir, _ = tiny_run
    result = subprocess.run(
        [sys.executable, "-m", "evaluate", "trace", str(run_dir)],
        cwd=repo_root,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert result.returncode == 0, result.stderr.decode("ascii", "replace")[-500:]
    out = result.stdout.decode("ascii")
    assert "\\u0393u=" in out and "P(plural)" in out


def test_the_dashboards_and_evaluate_gates_call_the_same_values_saturated():
    from evaluate.gates import gate_rows
    from train.dashboards import gate_statistics

    update = np.array([[[0.01, 0.5], [0.97, 0.2], [0.03, 0.99]]])  # (batch, time, units)
    reset = 1 - update
    traced = {"rnn_0": {"update": update, "reset": reset, "state": update}}
    everywhere = np.ones((1, 3), bool)
    regions = {"subject": everywhere, "span": ~everywhere, "elsewhere": ~everywhere}
    shown = gate_statistics(traced, everywhere)
    reported = {
        (r["layer"], r["gate"]): r for r in gate_rows(traced, regions) if r["region"] == "all"
    }
    assert set(shown) == set(reported) == {("rnn_0", "update"), ("rnn_0", "reset")}
    for key, row in reported.items():
        assert shown[key]["saturated"] == pytest.approx(row["near_0"] + row["near_1"])
        assert shown[key]["saturated"] == pytest.approx(4 / 6)
