"""The hand-written suite `constructions`: every pair scorable, its verbs of opposite number
and its prefix the words before the verb, half its subjects singular and half plural."""

import csv

import numpy as np
import pytest

from evaluate.__main__ import main
from evaluate.pairs import score_pair_file
from evaluate.suites import load_pair_files, registered_suites
from evaluate.verb_number import PLURAL, SINGULAR, verb_number

# The files written with grammars up to 2.14.0 hold 48 pairs each.
FIRST = [
    "simple",
    "prepositional_phrase",
    "subject_relative",
    "object_relative",
    "within_object_relative",
    "sentential_complement",
    "vp_coordination_short",
    "vp_coordination_long",
    "coordinated_adverbs",
    "coordinated_adjectives",
    "coordinated_subjects",
    "sentence_coordination",
    "fronted_clause",
    "parenthetical",
    "possessor",
    "numbers_and_units",
    "quantity_heads",
    "lower_case_fragment",
]
# Those written with grammars 2.15.0, 2.16.0, 2.18.0, 2.19.0, 2.20.0, 2.23.0, 2.33.0 and
# 2.34.0 hold 24.
NEWER = [
    "infinitive",
    "whose_relative",
    "participle_adjective",
    "where_relative",
    "linked_nouns",
    "vp_coordination_but_or",
    "time_preposition",
    "indirect_object",
    "noun_complement",
    "quantified_relative",
    "distributive_coordination",
]
CONSTRUCTIONS = FIRST + NEWER
PAIRS = {c: 48 for c in FIRST} | {c: 24 for c in NEWER}
NUMBER_NAMES = {SINGULAR: "singular", PLURAL: "plural"}


class ConstantModel:
    """A test double with the same logits whatever it reads: every pair is a tie."""

    def __init__(self, n_outputs, per_step):
        self.n_outputs, self.per_step = n_outputs, per_step

    def predict(self, ids, batch_size=None, verbose=0):
        shape = (*ids.shape, self.n_outputs) if self.per_step else (len(ids), self.n_outputs)
        return np.zeros(shape, np.float32)


@pytest.fixture(scope="module")
def suite():
    """The suite's files, read by the loader `evaluate pairs constructions` uses."""
    return load_pair_files("constructions")


@pytest.fixture(scope="module")
def vocab():
    from datasets import agreement

    return agreement.Vocabulary.from_config("tiny")


def test_the_suite_is_registered_with_one_file_per_construction(suite):
    assert [f.stem for f in registered_suites()["constructions"].files] == CONSTRUCTIONS
    assert [f.name for f in suite] == [f"constructions/{c}" for c in CONSTRUCTIONS]
    for pair_file in suite:
        assert not pair_file.skipped, pair_file.name


def test_each_construction_has_twenty_pairs_or_more_half_of_them_plural(suite):
    for pair_file in suite:
        numbers = [verb_number(p.word_good) for p in pair_file.pairs]
        assert len(numbers) >= 20, pair_file.name
        assert abs(numbers.count(PLURAL) - numbers.count(SINGULAR)) <= 2, pair_file.name


def test_each_pair_differs_in_the_number_of_one_verb_after_its_prefix(suite):
    for pair_file in suite:
        construction = pair_file.name.split("/")[1]
        for pair in pair_file.pairs:
            where = f"{pair_file.name} line {pair.line}"
            at = len(pair.prefix)
            assert at > 0 and pair.good[:at] == pair.prefix == pair.bad[:at], where
            assert (pair.good[at], pair.bad[at]) == (pair.word_good, pair.word_bad), where
            assert pair.good[at + 1 :] == pair.bad[at + 1 :], where
            good, bad = verb_number(pair.word_good), verb_number(pair.word_bad)
            assert {good, bad} == {SINGULAR, PLURAL}, where
            assert pair.groups["construction"] == construction, where
            assert pair.groups["subject_number"] == NUMBER_NAMES[good], where


@pytest.mark.parametrize("task", ["number", "lm"])
def test_every_pair_is_scored_with_no_reason_to_leave_it_out(suite, vocab, task):
    model = ConstantModel(2 if task == "number" else len(vocab), per_step=task == "lm")
    for pair_file in suite:
        result = score_pair_file(model, task, vocab, pair_file)
        assert not result.unscored, (pair_file.name, result.unscored)
        assert result.scored == len(pair_file.pairs)
        assert result.accuracy == 0.5  # a constant model ties every pair


def test_the_object_relative_files_hold_pairs_with_and_without_a_relative_pronoun(suite):
    for name in ("object_relative", "within_object_relative"):
        (pair_file,) = [f for f in suite if f.name == f"constructions/{name}"]
        for pair in pair_file.pairs:
            has_pronoun = bool({"that", "who", "whom", "which"} & set(pair.prefix))
            assert pair.groups["relative_pronoun"] == ("yes" if has_pronoun else "no")
        values = [p.groups["relative_pronoun"] for p in pair_file.pairs]
        assert values.count("yes") == values.count("no")


def test_the_but_or_file_asks_the_verb_right_after_its_coordinator(suite):
    """ "The pilots fly to Rome every week, but sleep": the coordinator is the prefix's last
    word, or the one before a last adverb ("rarely cooks but often bake")."""
    (pair_file,) = [f for f in suite if f.name == "constructions/vp_coordination_but_or"]
    for pair in pair_file.pairs:
        assert pair.groups["coordinator"] in pair.prefix[-2:]
    values = [p.groups["coordinator"] for p in pair_file.pairs]
    assert values.count("but") >= 8 and values.count("or") >= 8


def test_the_time_file_asks_the_verb_right_after_an_event_its_preposition_takes(suite):
    """ "The towns that the army occupied after the war [are]": the prefix ends in the
    preposition and its event ("after the war", "until his death"), before a second verb's
    "and" ("closes the shop during the storms and"), or it opens the prefix before the
    subject ("Since the elections, the mayor")."""
    (pair_file,) = [f for f in suite if f.name == "constructions/time_preposition"]
    for pair in pair_file.pairs:
        words = pair.prefix[:-1] if pair.prefix[-1] == "and" else pair.prefix
        fronted = pair.groups["position"] == "fronted"
        assert pair.groups["preposition"] == (words[0] if fronted else words[-3])
    values = {p.groups["preposition"] for p in pair_file.pairs}
    assert values == {"after", "before", "since", "until", "during"}


def summary_rows(out):
    with (out / "pairs_summary.csv").open() as handle:
        return list(csv.DictReader(handle))


def test_the_cli_scores_the_whole_suite_and_groups_it_by_its_fields(tiny_run, tmp_path, capsys):
    _, run_dir, _ = tiny_run
    out = tmp_path / "out"
    assert main(["pairs", "constructions", "--run", str(run_dir), "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    for construction, n in PAIRS.items():
        assert f"== constructions/{construction}: {n} pairs scored of {n}\n" in stdout
    assert "by subject_number:" in stdout and "by relative_pronoun:" in stdout
    rows = summary_rows(out)
    assert not [r for r in rows if r["field"] == "unscored"]
    by_number = {
        (r["file"], r["value"]): int(r["count"]) for r in rows if r["field"] == "subject_number"
    }
    assert by_number == {
        (f"constructions/{c}", number): n // 2
        for c, n in PAIRS.items()
        for number in NUMBER_NAMES.values()
    }
