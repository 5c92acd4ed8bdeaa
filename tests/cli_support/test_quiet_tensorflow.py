"""The command lines start quietly: TensorFlow's C++ start-up lines are filtered out unless
the user sets TF_CPP_MIN_LOG_LEVEL, and help and flag errors never import TensorFlow."""

import os
import re
import subprocess
import sys

import pytest

from cli_support.quiet_tensorflow import is_tensorflow_log_line

# Lines TensorFlow 2.21 printed on this project's machines, before and after absl starts.
TENSORFLOW_LINES = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    "I0000 00:00:1796027699.013001   14051 port.cc:153] oneDNN custom operations are on.",
    "I0000 00:00:1796027699.013378   14051 cudart_stub.cc:31] Could not find cuda drivers on "
    "your machine, GPU will not be used.",
    "E0000 00:00:1796027710.487094   14051 cuda_platform.cc:52] failed call to cuInit: INTERNAL",
    "W1130 08:31:02.123456   14051 node_def_util.cc:682] NodeDef mentions attribute",
    "To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild "
    "TensorFlow with the appropriate compiler flags.",
]
OUR_LINES = [
    "python -m train: error: --units: expected a positive integer, got 0",
    "2/2 - 22s - 11s/step - accuracy: 0.5400 - loss: 0.6936",
    "Run written to runs/gru-20261130-083000",
    "I0000 is not a log line without its time and source",
]


def environment(**changes):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    return {**env, **changes}


def test_tensorflow_log_lines_are_told_from_ours():
    assert all(is_tensorflow_log_line(line) for line in TENSORFLOW_LINES)
    assert not any(is_tensorflow_log_line(line) for line in OUR_LINES)


def test_a_training_run_prints_only_its_own_lines(tmp_path, repo_root):
    command = [
        sys.executable, "-m", "train", "--dataset-config", "tiny", "--epochs", "1",
        "--train-size", "200", "--units", "4", "--embed-dim", "4",
        "--run-dir", str(tmp_path / "run"),
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=repo_root, env=environment(), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    printed = (result.stdout + result.stderr).splitlines()
    assert [line for line in printed if is_tensorflow_log_line(line)] == []
    assert re.match(r"\d+/\d+ - ", printed[0])  # the first line is the first epoch's
    assert "Run written to" in result.stdout


PROBE = (
    "import sys\n"
    "from cli_support.quiet_tensorflow import import_tensorflow\n"
    "print('before', file=sys.stderr, flush=True)\n"
    "import_tensorflow()\n"
    "print('after', file=sys.stderr)\n"
)


def test_a_level_set_by_the_user_shows_tensorflow_untouched(repo_root):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=repo_root,
        env=environment(TF_CPP_MIN_LOG_LEVEL="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stderr.splitlines()
    assert lines[0] == "before" and lines[-1] == "after"
    assert any(is_tensorflow_log_line(line) for line in lines)


def test_unset_level_filters_the_import(repo_root):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=repo_root,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stderr.splitlines() == ["before", "after"]


@pytest.mark.parametrize(
    ("module", "argv"),
    [
        ("train", ["--help"]),
        ("train", ["--model", "nope"]),
        ("train", ["--units", "0"]),
        ("train", ["--dataset-config", "nope"]),
        ("train", ["--learning-rate", "inf"]),
        ("train", ["--seeds", "0"]),
        ("evaluate", ["--help"]),
        ("evaluate", ["gates", "--help"]),
        ("evaluate", ["units", "RUN", "--out", "o", "--top", "two"]),
        ("evaluate", ["RUN", "--ladder", "--ladder-size", "0"]),
        ("evaluate", ["RUN", "--ladder", "--ladder-rungs", "121-250,250-500"]),
        ("evaluate", ["RUN", "--ladder", "--ladder-rungs", "121-250,200-500"]),
        ("evaluate", ["RUN", "--ladder", "--ladder-rungs", "251-500,121-250"]),
    ],
)
def test_help_and_flag_errors_answer_without_tensorflow(module, argv, repo_root):
    probe = (
        "import runpy, sys\n"
        f"sys.argv = [{module!r}, *{argv!r}]\n"
        "try:\n"
        f"    runpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({'tensorflow', 'keras'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo_root, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
    if "--help" not in argv:
        assert result.stderr.startswith(f"python -m {module}")
        assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("module", "argv", "backend"),
    [
        ("train", ["--dataset-config", "tiny"], "bogus"),
        ("train", ["--dataset-config", "tiny"], "torch"),
        ("evaluate", ["RUN"], "bogus"),
    ],
)
def test_an_unsupported_keras_backend_is_refused_in_one_line(
    module, argv, backend, repo_root, tmp_path
):
    run_dir = tmp_path / "run"
    flags = [*argv, "--run-dir", str(run_dir)] if module == "train" else argv
    result = subprocess.run(
        [sys.executable, "-m", module, *flags],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "KERAS_BACKEND": backend},
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"python -m {module}: error: KERAS_BACKEND: expected one of tensorflow, jax (or "
        f"unset), got {backend!r}"
    ]
    assert not run_dir.exists()


@pytest.mark.parametrize(
    "command",
    [["train", "--help"], ["evaluate", "--help"], ["benchmarks.speed", "--help"]],
    ids=" ".join,
)
def test_every_command_line_starts_without_tensorflow_lines(command, repo_root):
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=repo_root,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: python -m" in result.stdout
    printed = (result.stdout + result.stderr).splitlines()
    assert [line for line in printed if is_tensorflow_log_line(line)] == []
