"""The default configuration defeats the shortcut heuristics (issue 4)."""

from datasets.agreement import load_split
from datasets.agreement.shortcuts import main, shortcut_accuracies


def test_no_shortcut_comes_close_to_the_subject(default_splits):
    accuracies = shortcut_accuracies(default_splits["train"])
    assert accuracies["number of the last noun before the verb"] < 0.6
    assert accuracies["first noun of the sentence"] < 0.8  # prefixes move the subject
    assert accuracies["the second word is a plural noun"] < 0.7
    assert max(accuracies.values()) < 0.95


def test_fronted_clauses_bring_their_own_agreeing_subject(default_splits, check):
    fronted = [e for e in default_splits["train"] if e["tags"][0] == "CONJ"]
    assert 0.3 < len(fronted) / len(default_splits["train"]) < 0.55
    for example in fronted:
        check(example, lexicon_size=60)
        controllers = {controller for controller, _ in example["agreements"]}
        assert min(controllers) < example["subject_index"]  # the clause's verb agrees with it
    assert {e["label"] for e in fronted} == {0, 1}


def test_the_cli_prints_every_heuristic(capsys):
    main(["--config", "tiny", "--n", "50"])
    out = capsys.readouterr().out
    assert len(out.splitlines()) == len(shortcut_accuracies(load_split("tiny", "train", 50)))
