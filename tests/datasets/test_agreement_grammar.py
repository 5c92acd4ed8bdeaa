"""Generated examples: fields, determinism, annotations re-derived from the tokens."""

import collections
import itertools
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasets.agreement import (
    CONFIGS,
    TAGS,
    ControlledConfig,
    Vocabulary,
    generate,
    iter_examples,
)

FIELDS = {
    "tokens",
    "tags",
    "subject_index",
    "verb_index",
    "label",
    "dependency_length",
    "n_attractors",
    "n_intervening_nouns",
    "construction",
    "correct_verb",
    "wrong_verb",
}


def test_examples_have_the_documented_fields(default_examples):
    assert len(default_examples) == 3000
    for example in default_examples[:50]:
        assert FIELDS <= set(example)
        assert set(example["tags"]) <= set(TAGS)
        assert example["label"] in (0, 1)


def test_annotations_agree_with_the_tokens(default_examples, check):
    for example in default_examples:
        check(example, lexicon_size=60)


def test_same_seed_same_examples_other_seed_other_examples():
    assert generate(200, seed=4) == generate(200, seed=4)
    assert generate(200, seed=4) != generate(200, seed=5)
    assert generate(50, seed=4, config="tiny") == generate(50, seed=4, config="tiny")


def test_examples_are_identical_in_a_fresh_interpreter():
    code = (
        "import json; from datasets.agreement import generate; "
        "print(json.dumps(generate(30, seed=9)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == json.loads(json.dumps(generate(30, seed=9)))


def test_the_stream_is_the_list_and_is_lazy():
    assert list(iter_examples(100, seed=2)) == generate(100, seed=2)
    endless = iter_examples(seed=2)
    assert list(itertools.islice(endless, 100)) == generate(100, seed=2)


def test_default_balances_numbers_and_spreads_lengths(default_examples):
    plural = sum(e["label"] for e in default_examples) / len(default_examples)
    assert 0.45 < plural < 0.55
    lengths = collections.Counter(e["dependency_length"] for e in default_examples)
    low, high = CONFIGS["default"].dependency_length
    assert set(lengths) == set(range(low, high + 1))


def test_default_closes_the_obvious_shortcuts(default_examples):
    """The last noun before the verb, the last clause verb, the length or the construction
    alone must not tell the subject's number."""
    with_noun = [e for e in default_examples if e["n_intervening_nouns"]]

    def last_noun_number(e):
        tags = e["tags"][e["subject_index"] + 1 : e["verb_index"]]
        return [t for t in tags if t.startswith("N_")][-1] == "N_PL"

    accuracy = sum(last_noun_number(e) == e["label"] for e in with_noun) / len(with_noun)
    assert accuracy < 0.8
    assert sum(e["n_attractors"] > 0 for e in default_examples) / len(default_examples) > 0.5
    assert any(
        e["agreements"][0][0] != e["subject_index"] for e in default_examples
    )  # clause verbs agreeing with an attractor ("the cat that the dogs chase")
    by_length = collections.defaultdict(list)
    for e in default_examples:
        by_length[e["dependency_length"] // 5].append(e["label"])
    assert all(0.35 < sum(v) / len(v) < 0.65 for v in by_length.values())
    subject_positions = {e["subject_index"] for e in default_examples}
    assert len(subject_positions) >= 4  # sentence-initial material moves the subject


def test_exact_dependency_length_and_attractors(check):
    examples = generate(400, seed=1, dependency_length=12, attractors=3)
    assert {e["dependency_length"] for e in examples} == {12}
    assert {e["n_attractors"] for e in examples} == {3}
    for example in examples:
        check(example, lexicon_size=60)


def test_zero_attractors_means_every_intervening_noun_matches(check):
    for example in generate(300, seed=1, attractors=0):
        assert example["n_attractors"] == 0
        check(example, lexicon_size=60)


def test_each_construction_can_be_switched_off():
    only_pp = generate(200, seed=1, constructions={"pp": 1.0})
    assert all("relative" not in e["construction"] for e in only_pp)
    assert "REL" not in {tag for e in only_pp for tag in e["tags"]}
    no_pp = generate(200, seed=1, constructions={"object_relative": 1.0}, dependency_length=(4, 9))
    assert "PREP" not in {t for e in no_pp for t in e["tags"][e["subject_index"] :]}


def test_nesting_depth_is_bounded():
    flat = generate(300, seed=1, max_depth=1)
    assert {e["depth"] for e in flat} <= {0, 1}
    deep = generate(300, seed=1, max_depth=3, nesting_probability=0.9)
    assert max(e["depth"] for e in deep) == 3


def test_every_verb_kind_appears_and_can_be_restricted(default_examples):
    assert {e["verb_kind"] for e in default_examples} == {
        "be_present",
        "be_past",
        "have",
        "lexical",
    }
    only_be = generate(100, seed=1, verb_kinds=("be_past",))
    assert {e["correct_verb"] for e in only_be} == {"was", "were"}


def test_the_vocabulary_covers_every_generated_token(default_examples):
    vocab = Vocabulary.from_config("default")
    assert all(token in vocab for e in default_examples for token in e["tokens"])


@st.composite
def configs(draw):
    constructions = draw(
        st.dictionaries(
            st.sampled_from(["pp", "subject_relative", "object_relative"]),
            st.sampled_from([0.0, 0.5, 1.0, 3.0]),
            min_size=1,
        ).filter(lambda weights: any(weights.values()))
    )
    per_noun = 3 if constructions.get("pp") else 4
    low = draw(st.integers(0, 14))
    high = draw(st.integers(low, low + 14))
    attractors = draw(
        st.one_of(
            st.none(),
            st.tuples(st.integers(0, low // per_noun), st.integers(0, 5)).map(
                lambda pair: (pair[0], max(pair))
            ),
        )
    )
    probability = st.sampled_from([0.0, 0.3, 0.7, 1.0])
    return ControlledConfig(
        dependency_length=(low, high),
        long_dependency_length=(high + 1, high + 10),
        attractors=attractors,
        attractor_test_max=min(2, high // per_noun),
        constructions=constructions,
        max_depth=draw(st.integers(1, 3)),
        nesting_probability=draw(probability),
        adverb_probability=draw(probability),
        adjective_probability=draw(probability),
        coordination_probability=draw(probability),
        comma_probability=draw(probability),
        present_tense_probability=draw(probability),
        prefix_probability=draw(probability),
        plural_probability=draw(probability),
        lexicon_size=draw(st.sampled_from([16, 60])),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=configs(), seed=st.integers(0, 2**32))
def test_any_valid_config_gives_valid_examples(config, seed, check):
    examples = generate(40, seed=seed, config=config)
    low, high = config.dependency_length
    for example in examples:
        check(example, lexicon_size=config.lexicon_size)
        assert low <= example["dependency_length"] <= high
        assert example["depth"] <= config.max_depth
        if config.attractors is not None:
            k_low, k_high = config.attractors
            assert k_low <= example["n_attractors"] <= k_high
    if config.plural_probability in (0.0, 1.0):
        assert {e["label"] for e in examples} == {int(config.plural_probability)}


@pytest.mark.parametrize("name", ["default", "long", "attractors", "tiny"])
def test_every_named_config_generates_valid_examples(name, check):
    for example in generate(300, seed=0, config=name):
        check(example, lexicon_size=CONFIGS[name].lexicon_size)
