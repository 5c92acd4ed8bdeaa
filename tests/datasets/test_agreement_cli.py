"""The command line: preview, export, and one-line errors for bad flags."""

import json
import subprocess
import sys

import pytest

CLI = [sys.executable, "-m", "datasets.agreement"]


def run(*args, cwd=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_preview_marks_subject_verb_and_attractors():
    result = run("preview", "--n", "5", "--min-length", "20")
    assert result.returncode == 0, result.stderr
    sentences = result.stdout.splitlines()[::2]
    assert len(sentences) == 5
    for line in sentences:
        tokens = line.split()
        subject = next(i for i, t in enumerate(tokens) if t.startswith("["))
        verb = next(i for i, t in enumerate(tokens) if t.startswith("<"))
        assert verb - subject - 1 >= 20
    assert "dependency 2" in result.stdout  # the second line of each entry describes it


@pytest.mark.parametrize("fmt", ["jsonl", "tsv"])
def test_export_writes_a_split(tmp_path, fmt):
    out = tmp_path / f"test.{fmt}"
    result = run(
        "export",
        "--config",
        "tiny",
        "--split",
        "test",
        "--n",
        "7",
        "--format",
        fmt,
        "--output",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    lines = out.read_text().splitlines()
    if fmt == "jsonl":
        rows = [json.loads(line) for line in lines]
        assert len(rows) == 7 and all(r["split"] == "test" for r in rows)
    else:
        header, *rows = [line.split("\t") for line in lines]
        assert header[:2] == ["sentence", "label"] and len(rows) == 7
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["export", "--format", "xml"], "--format"),
        (["export", "--split", "dev"], "--split"),
        (["preview", "--n", "many"], "--n"),
        (["preview", "--config", "huge"], "--config"),
        (["preview", "--min-length", "501"], "--min-length"),
    ],
)
def test_a_bad_flag_gives_one_line_naming_it_and_writes_nothing(tmp_path, args, flag):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    error = result.stderr.strip()
    assert "\n" not in error and flag in error and "Traceback" not in error
    assert list(tmp_path.iterdir()) == []
