"""The length ladder: rungs exact in length, with attractors, disjoint from training."""

import pytest

from datasets.agreement import CONFIGS, load_split, split_of
from datasets.agreement.ladder import DEFAULT_RUNGS, iter_rung, ladder_rungs, parse_rungs

TINY_RUNGS = ((13, 16), (17, 32))


def test_default_rungs_double_beyond_the_default_training_lengths_up_to_500_words():
    assert ladder_rungs("default") == ((31, 60), (61, 120), (121, 250), (251, 500))
    # A configuration trained on longer spans keeps only the rungs above its training maximum.
    assert ladder_rungs("long") == ((61, 120), (121, 250), (251, 500))


@pytest.mark.parametrize(
    "config,rung", [("tiny", (13, 16)), ("default", (31, 60)), ("default", (251, 500))]
)
def test_every_rung_sentence_has_a_length_in_its_rung_and_at_least_one_attractor(config, rung):
    examples = list(iter_rung(config, rung, n=40))
    assert len(examples) == 40
    for example in examples:
        assert rung[0] <= example["dependency_length"] <= rung[1]
        # Exact: the words strictly between the subject and its verb are the stated length.
        assert example["verb_index"] - example["subject_index"] - 1 == example["dependency_length"]
        assert example["n_attractors"] >= 1
        subject, verb = example["subject_index"], example["verb_index"]
        differing = [
            tag
            for tag in example["tags"][subject + 1 : verb]
            if tag in ("N_SG", "N_PL") and tag != example["tags"][subject]
        ]
        assert len(differing) == example["n_attractors"]
    assert {e["dependency_length"] for e in examples} != {rung[0]}  # lengths vary within a rung


def test_rungs_are_disjoint_from_training_by_length_and_by_bucket():
    config = CONFIGS["tiny"]
    train = load_split(config, "train", 3000)
    train_sentences = {" ".join(e["tokens"]) for e in train}
    longest_training_span = max(e["dependency_length"] for e in train)
    for rung in TINY_RUNGS:
        for example in iter_rung(config, rung, n=200):
            assert example["dependency_length"] > longest_training_span
            assert split_of(example["tokens"]) == "test_long"
            assert " ".join(example["tokens"]) not in train_sentences


def test_a_rung_is_deterministic_and_a_prefix_of_a_longer_draw():
    first = [e["tokens"] for e in iter_rung("tiny", (13, 16), n=20, seed=3)]
    again = [e["tokens"] for e in iter_rung("tiny", (13, 16), n=50, seed=3)]
    other_seed = [e["tokens"] for e in iter_rung("tiny", (13, 16), n=20, seed=4)]
    assert again[:20] == first and other_seed != first


def test_rungs_parse_from_text():
    assert parse_rungs("13-16, 17-32") == TINY_RUNGS
    assert parse_rungs("31-60,61-120,121-250,251-500") == DEFAULT_RUNGS


@pytest.mark.parametrize(
    "rungs,message",
    [
        (((20, 40),), "above the training maximum 30"),  # overlaps training (14-30)
        (((31, 600),), "at most 500"),
        (((60, 31),), "low <= high; got 60-31"),
        ((), "at least one range"),
    ],
)
def test_bad_rungs_are_refused_with_the_rule_they_break(rungs, message):
    with pytest.raises(ValueError, match=message):
        ladder_rungs("default", rungs)


# A rung holds both its ends: 121-250 and 250-500 would both hold the 250-word sentences.
RUNGS_OUT_OF_LINE = {
    "touching": ("121-250,250-500", "must not touch.*121-250 then 250-500.* start .* at 251"),
    "touching at one word": ("61-61,61-120", "must not touch.*61-61 then 61-120"),
    "overlapping": ("121-250,200-500", "must not overlap.*121-250 then 200-500.* 200-250 words"),
    "one inside another": ("61-250,121-200", "must not overlap.*61-250 then 121-200"),
    "out of order": ("251-500,121-250", "must be in increasing order.*251-500 then 121-250"),
    "out of order, overlapping": (
        "121-250,61-200",
        "must be in increasing order.*121-250 then 61-200",
    ),
}


@pytest.mark.parametrize("case", RUNGS_OUT_OF_LINE)
def test_touching_overlapping_and_out_of_order_rungs_are_each_refused_in_one_line(case):
    text, message = RUNGS_OUT_OF_LINE[case]
    with pytest.raises(ValueError, match=f"^rungs {message}") as parsed:
        parse_rungs(text)
    rungs = [tuple(map(int, part.split("-"))) for part in text.split(",")]
    with pytest.raises(ValueError, match=f"^rungs {message}") as checked:
        ladder_rungs("default", rungs)
    assert "\n" not in str(parsed.value) and str(checked.value) == str(parsed.value)


def test_rungs_that_follow_each_other_word_for_word_are_accepted():
    assert ladder_rungs("default", parse_rungs("31-60,61-61,62-500")) == (
        (31, 60), (61, 61), (62, 500),
    )  # fmt: skip


@pytest.mark.parametrize("text", ["31-60,abc", "31", "60-31x", ""])
def test_unparseable_rungs_are_refused_naming_the_part(text):
    with pytest.raises(ValueError, match="rungs must be comma-separated ranges"):
        parse_rungs(text)


def test_the_ladder_is_refused_for_the_english_grammar():
    with pytest.raises(ValueError, match="controlled grammar"):
        ladder_rungs("english_tiny")
