"""`evaluate pairs SUITE`: named suites, directories, TFDS's BLiMP, reasons, and the report's --suite."""

import configparser
import csv
import fnmatch
import json
import re
import socket

import pytest

from evaluate.__main__ import main
from evaluate.suites import REGISTRY, registered_suites

BLIMP_FILES = [
    "distractor_agreement_relational_noun",
    "distractor_agreement_relative_clause",
    "regular_plural_subject_verb_agreement_1",
    "regular_plural_subject_verb_agreement_2",
    "irregular_plural_subject_verb_agreement_1",
    "irregular_plural_subject_verb_agreement_2",
]


def write_jsonl(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    )
    return path


def verb_pair(subject, singular_verb, plural_verb, plural):
    good, bad = (plural_verb, singular_verb) if plural else (singular_verb, plural_verb)
    return {
        "sentence_good": f"The {subject} {good} the cat.",
        "sentence_bad": f"The {subject} {bad} the cat.",
        "UID": "made_up",
    }


def scored_counts(stdout):
    """{file name: (scored, pairs)} from the `== NAME: S pairs scored of N` headers."""
    found = re.findall(r"^== (\S+): (\d+) pairs scored of (\d+)$", stdout, re.MULTILINE)
    return {name: (int(scored), int(total)) for name, scored, total in found}


def test_the_blimp_agreement_suite_scores_nearly_every_pair_with_a_table_per_file(
    tiny_run, tmp_path, capsys
):
    _, run_dir, _ = tiny_run
    out = tmp_path / "out"
    assert main(["pairs", "blimp-agreement", "--run", str(run_dir), "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    counts = scored_counts(stdout)
    assert list(counts) == [f"blimp-agreement/{name}" for name in BLIMP_FILES]
    for name, (scored, total) in counts.items():
        assert total == 1000 and scored >= 950, name
    assert "\n== all files\n| file | pairs | scored | accuracy | 95% CI |" in stdout
    # each file's own table, and the overview
    assert stdout.count("| file | pairs | scored | accuracy | 95% CI |") == 7
    assert stdout.count("\nby dependency_length") == 6
    with (out / "pairs_summary.csv").open() as handle:
        summary = list(csv.DictReader(handle))
    overall = [r for r in summary if r["field"] == "all"]
    assert [int(r["count"]) for r in overall] == [counts[r["file"]][0] for r in overall]


def test_a_directory_is_a_suite_of_its_files_and_each_gets_a_table(tiny_run, tmp_path, capsys):
    _, run_dir, _ = tiny_run
    suite = tmp_path / "mine"
    write_jsonl(suite / "a.jsonl", [verb_pair("dog", "eats", "eat", plural=False)] * 3)
    write_jsonl(suite / "b.jsonl", [verb_pair("dogs", "eats", "eat", plural=True)] * 2)
    assert main(["pairs", str(suite), "--run", str(run_dir)]) == 0
    stdout = capsys.readouterr().out
    assert scored_counts(stdout) == {"mine/a": (3, 3), "mine/b": (2, 2)}
    assert re.search(r"^\| mine/a \| 3 \| 3 \| ", stdout, re.MULTILINE)
    assert re.search(r"^\| mine/b \| 2 \| 2 \| ", stdout, re.MULTILINE)


def test_unscored_pairs_are_counted_by_reason_in_the_output_and_the_summary(
    tiny_run, tmp_path, capsys
):
    _, run_dir, _ = tiny_run
    lines = [
        verb_pair("dog", "eats", "eat", plural=False),  # scored
        {"sentence_good": "The dog eats.", "sentence_bad": "The dogs eat."},  # two words differ
        {"sentence_good": "Is the dog here?", "sentence_bad": "Are the dog here?"},  # empty prefix
        {"sentence_good": "The dog ate.", "sentence_bad": "The dog eats."},  # "ate": no number
        "[" * 100_000 + "]" * 100_000,  # malformed, and too deep for Python's JSON parser
        "{not json",
        '{"sentence_good": "The dog eats.", "dependency_length": ' + "9" * 5000 + "}",
    ]
    path = write_jsonl(tmp_path / "p.jsonl", lines)
    out = tmp_path / "out"
    assert main(["pairs", str(path), "--run", str(run_dir), "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert "1 pairs scored of 7" in stdout
    (unscored,) = [line for line in stdout.splitlines() if line.startswith("unscored: ")]
    assert unscored.startswith("unscored: 6 pairs (malformed: 3;")
    for reason in (
        "no single differing word: 1",
        "empty prefix: 1",
        "the good verb form carries no number: 1",
    ):
        assert reason in unscored
    assert "line 5: nested too deeply" in stdout
    assert "line 7: a number too long to read" in stdout
    with (out / "pairs_summary.csv").open() as handle:
        reasons = {
            r["value"]: int(r["count"]) for r in csv.DictReader(handle) if r["field"] == "unscored"
        }
    assert reasons == {
        "malformed": 3,
        "no single differing word": 1,
        "empty prefix": 1,
        "the good verb form carries no number": 1,
    }


def test_a_file_where_no_pair_can_be_scored_is_an_error_not_a_nan_accuracy(
    tiny_run, tmp_path, capsys
):
    _, run_dir, _ = tiny_run
    path = write_jsonl(
        tmp_path / "words.jsonl", [{"sentence_good": "Yes", "sentence_bad": "No"}] * 4
    )
    with pytest.raises(SystemExit) as exit_info:
        main(["pairs", str(path), "--run", str(run_dir), "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    error = captured.err.strip()
    assert len(error.splitlines()) == 1 and "no pair could be scored (empty prefix: 4)" in error
    assert "nan" not in captured.out and not (tmp_path / "out").exists()


def test_an_unknown_suite_is_a_one_line_error_naming_the_suites(tiny_run, capsys):
    _, run_dir, _ = tiny_run
    with pytest.raises(SystemExit) as exit_info:
        main(["pairs", "blimp-agreemnt", "--run", str(run_dir)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert (
        len(error.splitlines()) == 1 and "'blimp-agreemnt'" in error and "blimp-agreement" in error
    )


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No network (nothing can be downloaded) and an empty TFDS data directory."""

    def refuse(*args, **kwargs):
        raise OSError("network access is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    data_dir = tmp_path / "tfds"
    monkeypatch.setenv("TFDS_DATA_DIR", str(data_dir))
    return data_dir


@pytest.mark.parametrize(
    "argument,message",
    [
        (
            "tfds:blimp/distractor_agreement_relational_noun",
            "could not be loaded through tensorflow_datasets",
        ),
        ("tfds:blimp/no_such_phenomenon", "BLiMP has no phenomenon 'no_such_phenomenon'"),
        ("tfds:glue/cola", "expected tfds:blimp/<phenomenon>"),
    ],
)
def test_tfds_blimp_offline_or_misnamed_is_a_one_line_error(
    argument, message, offline, tiny_run, capsys
):
    _, run_dir, _ = tiny_run
    with pytest.raises(SystemExit) as exit_info:
        main(["pairs", argument, "--run", str(run_dir)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and argument in error and message in error
    assert not [p for p in offline.rglob("*") if p.is_file() and p.stat().st_size > 0]


def test_every_suite_file_ships_in_the_package_with_its_attribution(repo_root):
    config = configparser.ConfigParser()
    config.read(repo_root / "setup.cfg")
    patterns = [p.strip() for p in config["options.package_data"]["evaluate"].split(",")]
    package = repo_root / "evaluate"
    shipped = [REGISTRY] + [f for suite in registered_suites().values() for f in suite.files]
    for path in shipped:
        assert path.is_file(), path
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative
        readme = path.parent / "README.md"
        if path != REGISTRY:
            licence = "CC0 1.0" if path.parent.name == "constructions" else "CC BY 4.0"
            assert licence in readme.read_text() and any(
                fnmatch.fnmatch(readme.relative_to(package).as_posix(), p) for p in patterns
            )
    assert {f.stem for f in registered_suites()["blimp-agreement"].files} == set(BLIMP_FILES)


def test_the_comparison_report_shows_a_suite_beside_test_and_test_long(tiny_run, tmp_path, capsys):
    _, run_dir, _ = tiny_run
    suite = tmp_path / "mine"
    write_jsonl(suite / "a.jsonl", [verb_pair("dog", "eats", "eat", plural=False)] * 3)
    write_jsonl(suite / "b.jsonl", [verb_pair("dogs", "eats", "eat", plural=True)] * 2)
    out = tmp_path / "report"
    assert main([str(run_dir), "--out", str(out), "--suite", str(suite)]) == 0
    report = (out / "report.md").read_text()
    assert "| run | model | task | seed | test | test_long | mine/a | mine/b |" in report
    with (out / "accuracy_by_run.csv").open() as handle:
        rows = {r["split"]: r for r in csv.DictReader(handle) if r["grouping"] == "all"}
    assert int(rows["mine/a"]["count"]) == 3 and int(rows["mine/b"]["count"]) == 2
    with (out / "accuracy_by_model.csv").open() as handle:
        assert {"mine/a", "mine/b"} <= {r["split"] for r in csv.DictReader(handle)}


def test_the_report_refuses_a_suite_with_no_pair_as_evaluate_pairs_does(tiny_run, tmp_path, capsys):
    _, run_dir, _ = tiny_run
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/bin/sh\n")
    out = tmp_path / "report"
    with pytest.raises(SystemExit) as exit_info:
        main([str(run_dir), "--out", str(out), "--suite", str(passwd)])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip() == (
        f"python -m evaluate: error: --suite: {passwd} has no valid minimal pair (2 lines "
        "skipped: line 1: not JSON; line 2: not JSON)"
    )
    assert not out.exists()


class _ReachableHost:
    def close(self):
        pass


def test_tfds_blimp_records_become_pairs(offline, monkeypatch):
    """Through TFDS's own stand-in data (random text of BLiMP's features): nothing downloaded,
    though the download host counts as reachable."""
    import tensorflow_datasets as tfds

    from evaluate.suites import load_pair_files

    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: _ReachableHost())

    with tfds.testing.mock_data(num_examples=5):
        (pair_file,) = load_pair_files("tfds:blimp/distractor_agreement_relational_noun")
    assert pair_file.name == "tfds:blimp/distractor_agreement_relational_noun"
    assert len(pair_file.pairs) == 5 and not pair_file.skipped
    assert all(isinstance(p.groups["UID"], str) and p.good for p in pair_file.pairs)
