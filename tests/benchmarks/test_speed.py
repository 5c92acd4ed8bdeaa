"""`python -m benchmarks.speed`: runs quick on JAX without TensorFlow, gates rows on correctness,
rejects bad flags. No test asserts a timing."""

import csv
import json
import os
import subprocess
import sys
import time

import pytest

from benchmarks.speed.__main__ import main
from benchmarks.speed.measure import measurements
from benchmarks.speed.rows import REFERENCE_ROW, ROWS, Row, reference_min_gru
from benchmarks.speed.settings import Settings
from benchmarks.speed.timing import Budget

TINY = dict(T=(5,), batch=(4,), units=(8,), features=None, jit=(False,))
INSTANT = Budget(min_time=0.0, min_steps=1, max_steps=2, warmup=0)


@pytest.mark.slow
def test_quick_runs_on_jax_without_importing_tensorflow(repo_root, tmp_path):
    out = tmp_path / "speed"
    script = (
        "import sys; from benchmarks.speed.__main__ import main; "
        f"code = main(['--quick', '--out', {str(out)!r}]); "
        "print('exit', code, 'tensorflow imported:', 'tensorflow' in sys.modules)"
    )
    environment = {**os.environ, "KERAS_BACKEND": "jax"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=repo_root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.stdout.strip().splitlines()[-1] == "exit 0 tensorflow imported: False", (
        result.stdout[-2000:] + result.stderr[-2000:]
    )
    with open(out / "speed.csv") as handle:
        lines = list(csv.DictReader(handle))
    required = {"row", "backend", "jit", "T", "batch", "units", "train_seq_per_s", "ratio"}
    assert required <= set(lines[0])
    assert {line["row"] for line in lines} >= {row.name for row in ROWS if row.framework == "keras"}
    assert all(line["status"] == "ok" for line in lines)
    assert {line["ratio"] for line in lines if line["row"] == REFERENCE_ROW} == {"1"}
    assert json.loads((out / "environment.json").read_text())["backend"] == "jax"
    assert (out / "speed.png").read_bytes().startswith(b"\x89PNG")
    assert {line["memory_source"] for line in lines if line["backend"] == "jax"} == {"xla-compiled"}
    with open(out / "fits.csv") as handle:
        fitted = {line["row"]: line for line in csv.DictReader(handle)}
    assert float(fitted["zoo.GRU"]["memory_mb_per_T"]) > 0
    assert float(fitted["zoo.GRU"]["memory_mb_r2"]) > 0.999  # compiled buffers: a straight line


def test_correctness_gate_reports_a_wrong_row_as_failed_and_does_not_time_it():
    import zoo

    wrong = Row(
        "zoo.SimplifiedGRU checked against minGRU",
        lambda features, units: zoo.SimplifiedGRU(units),
        lambda features, units: 1,
        reference=reference_min_gru,
    )
    right = next(row for row in ROWS if row.name == "zoo.GRU")
    settings = Settings(**TINY, rows=(right, wrong), budget=INSTANT)
    results = {r["row"]: r for r in measurements(settings, log=lambda line: None)}
    assert results[wrong.name]["status"] == "failed"
    assert "train_seq_per_s" not in results[wrong.name]
    assert results[wrong.name]["gate_max_error"] > 1e-3
    assert results["zoo.GRU"]["status"] == "ok" and results["zoo.GRU"]["train_seq_per_s"] > 0


def test_rows_are_compared_with_the_reference_at_the_same_setting():
    rows = tuple(row for row in ROWS if row.name in ("zoo.SimplifiedGRU", REFERENCE_ROW))
    results = measurements(Settings(**TINY, rows=rows, budget=INSTANT), log=lambda line: None)
    reference = next(r for r in results if r["row"] == REFERENCE_ROW)
    zoo_row = next(r for r in results if r["row"] == "zoo.SimplifiedGRU")
    assert reference["ratio"] == 1.0
    assert zoo_row["ratio"] == pytest.approx(
        zoo_row["train_seq_per_s"] / reference["train_seq_per_s"]
    )
    assert zoo_row["ratio_to"].startswith(REFERENCE_ROW) and zoo_row["jit"] == "off"


@pytest.mark.parametrize(
    "flags, named",
    [
        (["--jit", "maybe"], "--jit"),
        (["--rows", "nosuch.*"], "--rows"),
        (["--T", "0"], "--T"),
        (["--min-time", "-1"], "--min-time"),
        (["--features", "²"], "--features"),
    ],
)
def test_bad_flags_get_a_one_line_error_naming_the_flag(flags, named, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(tmp_path / "o"), *flags])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and named in error
    assert not (tmp_path / "o").exists()


def test_a_size_beyond_this_machines_memory_is_refused_before_measuring(tmp_path, capsys):
    started = time.monotonic()
    with pytest.raises(SystemExit) as exit_info:
        main(
            ["--T", "100000000", "--batch", "1024", "--units", "1024", "--out", str(tmp_path / "o")]
        )
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert error.startswith(
        "python -m benchmarks.speed: error: --T/--batch/--units: T=100000000, batch=1024, "
        "units=1024 needs at least "
    )
    assert "more than this machine's" in error and "T up to" in error
    assert time.monotonic() - started < 30 and not (tmp_path / "o").exists()


def test_the_memory_check_names_the_largest_t_that_fits():
    from benchmarks.speed.settings import check_memory
    from cli_support.errors import InputError

    settings = Settings(T=(10, 1000), batch=(32,), units=(64,), features=None, jit=(False,))
    check_memory(settings, available=2**30)  # 4 × 32 × 1000 × (3 × 64 + 128) bytes fit
    with pytest.raises(InputError) as error:
        check_memory(settings, available=4 * 32 * 500 * (3 * 64 + 128))
    assert str(error.value) == (
        "--T/--batch/--units: T=1000, batch=32, units=64 needs at least 39.1 MiB of memory "
        "(its input batches and the states a training step keeps), more than this machine's "
        "19.5 MiB; at batch 32 and units 64, T up to 500 fits"
    )


def test_an_output_directory_that_cannot_be_made_is_refused_before_measuring(tmp_path, capsys):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("keep")
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(in_the_way / "speed"), "--quick"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("python -m benchmarks.speed: error: --out:")
    assert len(error.splitlines()) == 1 and in_the_way.read_text() == "keep"


def test_help_lists_the_flags(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    usage = capsys.readouterr().out
    assert usage.startswith("usage: python -m benchmarks.speed")
    assert all(flag in usage for flag in ("--quick", "--rows", "--jit", "--out"))


def test_the_rows_of_a_point_are_timed_in_alternating_rounds_and_a_failing_row_drops_out():
    from benchmarks.speed.timing import Ready, time_interleaved

    calls = []

    def step(name, fails_at=None):
        def run(i):
            if i == fails_at:
                raise MemoryError(f"{name} ran out")
            calls.append(name)

        return run

    rows = [
        Ready({"row": name}, step(name), step(name + "-forward"), 0.0, 0.0) for name in ("a", "b")
    ] + [Ready({"row": "c"}, step("c", fails_at=2), step("c-forward"), 0.0, 0.0)]
    errors = []
    budget = Budget(min_time=0.0, min_steps=4, max_steps=4, warmup=0, rounds=4)
    time_interleaved(rows, budget, lambda row, error: errors.append((row.result["row"], error)))

    training = [name for name in calls if "-" not in name]
    assert training[:6] == ["a", "b", "c", "a", "b", "c"]  # round by round
    assert training.count("a") == training.count("b") == 4 and training.count("c") == 2
    assert [(row, str(error)) for row, error in errors] == [("c", "c ran out")]
    for row in rows[:2]:
        assert row.result["train_step_s"] > 0 and row.result["forward_step_s"] > 0
    assert "train_step_s" not in rows[2].result


def test_peak_memory_of_a_training_step_comes_from_the_allocator_and_grows_linearly_with_T(
    repo_root, tmp_path
):
    # A process of its own: Keras turns XLA off in a process where another test has
    # enabled TensorFlow's op determinism.
    out = tmp_path / "speed"
    command = [
        sys.executable, "-m", "benchmarks.speed", "--T", "40,80,160", "--batch", "32",
        "--units", "64", "--jit", "on", "--rows", "zoo.GRU,keras.GRU(reset*",
        "--min-time", "0.01", "--out", str(out),
    ]  # fmt: skip
    # oneDNN off, as on CPUs without AVX-512 VNNI (an AMD EPYC): there TensorFlow's default
    # CPU allocator keeps no statistics, and the benchmark must still read an allocator's.
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0"}
    result = subprocess.run(
        command, cwd=repo_root, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    with open(out / "speed.csv") as handle:
        lines = list(csv.DictReader(handle))
    sources = {(line["jit"], line["memory_source"]) for line in lines}
    assert sources in ({("on", "allocator CPU:0")}, {("on", "allocator GPU:0")})
    with open(out / "fits.csv") as handle:
        for line in csv.DictReader(handle):
            assert float(line["memory_mb_per_T"]) > 0 and float(line["memory_mb_r2"]) > 0.99, line
