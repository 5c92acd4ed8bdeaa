"""The nested grammar: agreements held open while others open and close inside them."""

import collections

import pytest

from datasets.agreement import CONFIGS, NestedConfig, generate, load_split

NOUN_NUMBER = {"N_SG": 0, "N_PL": 1}
VERB_NUMBER = {"V_SG": 0, "V_PL": 1}


def read_nested_tags(tags):
    """Subjects and agreements from the tags alone, as a reader of centre embedding would:
    a noun not inside a PP opens an agreement (pushed), a number-marked verb closes the
    innermost open one (popped); the verb that closes the last one is the main verb."""
    open_subjects, subjects, agreements, in_pp = [], [], [], False
    for position, tag in enumerate(tags):
        if tag == "PREP":
            in_pp = True
        elif tag in NOUN_NUMBER:
            if in_pp:
                in_pp = False
            else:
                open_subjects.append(position)
                subjects.append(position)
        elif tag in VERB_NUMBER:
            agreements.append((open_subjects.pop(), position))
            if not open_subjects:
                break
    return subjects, agreements


@pytest.fixture(scope="module")
def nested_examples():
    return generate(600, seed=5, config="nested")


def test_labels_and_every_agreement_are_recomputed_from_the_tags(nested_examples):
    for example in nested_examples:
        tags = example["tags"]
        subjects, agreements = read_nested_tags(tags)
        assert sorted(agreements) == sorted(map(tuple, example["agreements"]))
        for subject, verb in agreements:
            assert NOUN_NUMBER[tags[subject]] == VERB_NUMBER[tags[verb]]
        subject, verb = example["subject_index"], example["verb_index"]
        assert (subject, verb) in agreements
        assert example["label"] == NOUN_NUMBER[tags[subject]] == VERB_NUMBER[tags[verb]]
        depth = subjects.index(subject)
        assert example["verb_role"] == ("main" if depth == 0 else f"embedded_{depth}")
        assert example["nested_dependencies"] == len(subjects)
        crossed = [NOUN_NUMBER[t] for t in tags[subject + 1 : verb] if t in NOUN_NUMBER]
        assert example["n_attractors"] == sum(n != example["label"] for n in crossed)
        assert example["dependency_length"] == verb - subject - 1
        # The filler between the innermost subject and the first verb has the drawn length.
        first_verb = min(v for _, v in agreements)
        assert first_verb - subjects[-1] - 1 == example["filler_length"]


def test_the_word_forms_agree_with_the_tags(nested_examples, check):
    for example in nested_examples:
        check(example, lexicon_size=CONFIGS["nested"].lexicon_size)


def test_one_two_and_three_agreements_are_open_and_every_verb_is_tested(nested_examples):
    seen = collections.Counter((e["nested_dependencies"], e["verb_role"]) for e in nested_examples)
    assert set(seen) == {
        (1, "main"),
        (2, "main"),
        (2, "embedded_1"),
        (3, "main"),
        (3, "embedded_1"),
        (3, "embedded_2"),
    }
    # With three open, the innermost verb comes first and the main verb last.
    three = next(e for e in nested_examples if e["nested_dependencies"] == 3)
    subjects, agreements = read_nested_tags(three["tags"])
    assert [s for s, _ in sorted(agreements, key=lambda pair: pair[1])] == subjects[::-1]


def test_test_attractors_has_exactly_k_attractors_and_test_long_a_longer_filler():
    config = CONFIGS["nested_tiny"]
    examples = load_split(config, "test_attractors", 90)
    assert collections.Counter(e["n_attractors"] for e in examples) == {0: 30, 1: 30, 2: 30}
    longest_training = max(e["filler_length"] for e in load_split(config, "train", 500))
    assert longest_training <= config.dependency_length[1]
    assert all(e["filler_length"] > longest_training for e in load_split(config, "test_long", 100))


def test_nested_dependencies_outside_1_to_4_are_refused():
    with pytest.raises(ValueError, match=r"nested_dependencies must lie in \[1, 4\]"):
        NestedConfig(nested_dependencies=(1, 5))
