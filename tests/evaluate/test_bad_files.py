"""Corrupt runs, unwritable outputs, a full disk and Ctrl-C: one line on stderr, a
non-zero exit, no traceback, and no file half-written or lost.

A full disk is the kernel's own refusal: the command runs in a subprocess whose file
size limit (RLIMIT_FSIZE) is below the size of the figure it writes, so its write
fails with EFBIG just as it would fail with ENOSPC on a full disk.
"""

import json
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from evaluate.__main__ import main


def one_line_error(capsys) -> str:
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1, error
    assert "Traceback" not in error
    return error


def truncate_model(run):
    data = (run / "model.keras").read_bytes()
    (run / "model.keras").write_bytes(data[: len(data) // 3])


def damage_model_weights(run):
    """A zip that opens, whose weights file is cut in half."""
    path = run / "model.keras"
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            archive.writestr(
                info, data[: len(data) // 2] if info.filename.endswith(".h5") else data
            )


def corrupt_vocab_json(run):
    (run / "vocab.json").write_text('{"tokens": ["<pad>", "the')


def vocab_of_the_wrong_shape(run):
    (run / "vocab.json").write_text(json.dumps({"tokens": 5}))


def suffixes_of_one_bucket(run):
    vocab = json.loads((run / "vocab.json").read_text())
    (run / "vocab.json").write_text(
        json.dumps({**vocab, "suffixes": {"lengths": [1], "buckets": 1}})
    )


def suffix_lengths_that_are_not_numbers(run):
    vocab = json.loads((run / "vocab.json").read_text())
    suffixes = {"lengths": ["a"], "buckets": 8192}
    (run / "vocab.json").write_text(json.dumps({**vocab, "suffixes": suffixes}))


def metrics_that_are_not_an_object(run):
    (run / "metrics.json").write_text("[1, 2, 3]")


def deeply_nested_config(run):
    (run / "config.json").write_text("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize(
    ("command", "damage", "bad_file"),
    [
        ("gates", truncate_model, "model.keras"),
        ("gates", damage_model_weights, "model.keras"),
        ("trace", corrupt_vocab_json, "vocab.json"),
        ("trace", vocab_of_the_wrong_shape, "vocab.json"),
        ("trace", suffixes_of_one_bucket, "vocab.json"),
        ("trace", suffix_lengths_that_are_not_numbers, "vocab.json"),
        ("report", deeply_nested_config, "config.json"),
        ("report", metrics_that_are_not_an_object, "metrics.json"),
    ],
)
def test_a_corrupt_run_file_gets_one_line_naming_it(
    command, damage, bad_file, run_copy, tmp_path, capsys
):
    run = run_copy
    damage(run)
    out = tmp_path / "out"
    argv = [str(run), "--out", str(out)] if command == "report" else [command, str(run)]
    if command == "gates":
        argv += ["--out", str(out)]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    error = one_line_error(capsys)
    assert "RUN_DIR" in error and str(run) in error and bad_file in error
    assert not out.exists()


@pytest.mark.parametrize("where", ["an existing file", "a path under a file", "an empty path"])
def test_an_out_that_cannot_be_a_directory_is_refused_before_anything_runs(
    where, tiny_run, tmp_path, capsys, monkeypatch
):
    _, run_dir, _ = tiny_run
    monkeypatch.chdir(tmp_path)  # where an empty path would write
    existing = tmp_path / "notes.txt"
    existing.write_text("mine")
    out = {"an existing file": existing, "a path under a file": existing / "report"}.get(where, "")
    with pytest.raises(SystemExit) as exit_info:
        main([str(run_dir), "--out", str(out)])
    assert exit_info.value.code == 2
    error = one_line_error(capsys)
    assert "--out" in error and (str(existing) in error or "empty path" in error)
    assert existing.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def evaluate_in_subprocess(args, repo_root, file_size_limit=None, **kwargs):
    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.Popen(
        [sys.executable, "-m", "evaluate", *args],
        cwd=repo_root,
        env={**os.environ, "PYTHONPATH": str(repo_root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit_file_size if file_size_limit else None,
        **kwargs,
    )


# gates.csv is a few hundred bytes, gates.png tens of kilobytes.
SMALLER_THAN_THE_FIGURE = 4096


@pytest.mark.parametrize("out_exists", [False, True], ids=["new out", "existing out"])
def test_a_full_disk_during_evaluate_out_leaves_nothing_half_written(
    out_exists, tiny_run, tmp_path, repo_root
):
    _, run_dir, _ = tiny_run
    out = tmp_path / "reports" / "gates"
    if out_exists:
        out.mkdir(parents=True)
        (out / "gates.csv").write_text("old csv")
        (out / "gates.png").write_bytes(b"old png")
    process = evaluate_in_subprocess(
        ["gates", str(run_dir), "--out", str(out), "--examples", "50"],
        repo_root,
        file_size_limit=SMALLER_THAN_THE_FIGURE,
    )
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1
    error = stderr.strip().splitlines()[-1]
    assert error.startswith("python -m evaluate gates: error: --out: cannot write")
    assert str(out / "gates.png") in error and "Traceback" not in stderr
    if out_exists:  # Both files as they were: the new CSV fitted but is not moved in alone.
        assert sorted(p.name for p in tmp_path.rglob("*")) == [
            "gates",
            "gates.csv",
            "gates.png",
            "reports",
        ]
        assert (out / "gates.csv").read_text() == "old csv"
        assert (out / "gates.png").read_bytes() == b"old png"
    else:  # Not even the parent directories this call made.
        assert list(tmp_path.iterdir()) == []


def test_ctrl_c_ends_evaluate_with_one_line(tiny_run, tmp_path, repo_root):
    _, run_dir, _ = tiny_run
    out = tmp_path / "gates"
    process = evaluate_in_subprocess(["gates", str(run_dir), "--out", str(out)], repo_root)
    # Interrupt while TensorFlow is being imported or used: well past Python's start.
    deadline = time.monotonic() + 120
    while "tensorflow" not in open(f"/proc/{process.pid}/maps").read():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stderr.strip().splitlines()[-1] == "python -m evaluate gates: interrupted"
    assert "Traceback" not in stderr
    assert not out.exists()


def save_model_of(run, **other):
    """Puts in ``run`` the untrained model of a run whose settings differ by ``other``
    (as a model.keras copied from that run)."""
    import dataclasses

    from datasets import agreement
    from train.config import TrainConfig
    from train.model import build_model
    from train.run_contract import dataset_config

    config = TrainConfig.from_json((run / "config.json").read_text())
    vocab_size = other.pop("vocab_size", None)
    foreign = dataclasses.replace(config, **other)
    if vocab_size is None:
        vocab_size = len(agreement.Vocabulary.from_config(dataset_config(foreign)))
    build_model(foreign, vocab_size).save(run / "model.keras")


def analysis_argv(command, run, out) -> list[str]:
    return {
        "report": [str(run), "--out", str(out)],
        "gates": ["gates", str(run), "--out", str(out)],
        "trace": ["trace", str(run), "--sentence", "the dog near the cats is"],
    }[command]


@pytest.mark.parametrize(
    ("command", "other", "expected"),
    [
        ("report", {"units": 8}, "8 units (the run has --units 16)"),
        ("trace", {"model": "lstm"}, "a model of cell lstm (the run has --model gru)"),
        ("gates", {"vocab_size": 500}, "a vocabulary of 500 words (the run's vocab.json has 124)"),
    ],
    ids=["units", "cell", "vocabulary"],
)
def test_a_model_copied_from_another_run_is_refused_naming_what_disagrees(
    command, other, expected, run_copy, tmp_path, capsys
):
    save_model_of(run_copy, **other)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        main(analysis_argv(command, run_copy, out))
    assert exit_info.value.code == 2
    error = one_line_error(capsys)
    assert f"{run_copy / 'model.keras'} holds another model than" in error
    assert expected in error
    assert not out.exists()


@pytest.mark.parametrize(
    ("command", "task", "expected"),
    [
        ("report", "lm", "a model of task number (the run has --task lm)"),
        ("gates", "lm", "a model of task number (the run has --task lm)"),
        ("trace", "grammaticality", "a model of task number (the run has --task grammaticality)"),
        ("report", "parsing", "--task: invalid choice 'parsing' (choose from number, lm, "
         "grammaticality)"),
    ],
)  # fmt: skip
def test_a_config_naming_another_task_than_its_model_is_refused_in_one_line(
    command, task, expected, relabelled_run, tmp_path, capsys
):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        main(analysis_argv(command, relabelled_run(task), out))
    assert exit_info.value.code == 2
    assert expected in one_line_error(capsys)
    assert not out.exists()


@pytest.mark.parametrize("where", ["RUN_DIR", "a run in RUN_DIR", "--out"])
def test_a_path_that_is_not_valid_utf8_is_refused_in_one_line(where, tiny_run, tmp_path, capsys):
    """TensorFlow and the reports encode their paths as UTF-8: such a name would fail
    mid-way, after part of the output was written."""
    import shutil

    _, run_dir, _ = tiny_run
    bad = bytes(tmp_path) + b"/run\xff"
    out = tmp_path / "out"
    if where == "--out":
        out = os.fsdecode(bad)
    elif where == "RUN_DIR":
        shutil.copytree(run_dir, os.fsdecode(bad), ignore=shutil.ignore_patterns(".lock"))
        run_dir = os.fsdecode(bad)
    else:
        shutil.copytree(run_dir, os.fsdecode(bad), ignore=shutil.ignore_patterns(".lock"))
        run_dir = tmp_path
    before = sorted(os.listdir(bytes(tmp_path)))
    with pytest.raises(SystemExit) as exit_info:
        main([str(run_dir), "--out", str(out)])
    assert exit_info.value.code == 2
    error = one_line_error(capsys)
    name = "--out" if where == "--out" else "RUN_DIR"
    assert error == (
        f"python -m evaluate: error: {name}: {bad!r} is not valid UTF-8, which TensorFlow "
        "needs in a path; rename it"
    )
    assert sorted(os.listdir(bytes(tmp_path))) == before
