"""Splits: deterministic, disjoint by construction, each drawn from its own distribution."""

import collections
import itertools

import pytest

from datasets.agreement import CONFIGS, SPLITS, load_split, split_of


def _sentences(examples):
    return {" ".join(e["tokens"]) for e in examples}


def test_there_are_five_splits():
    assert SPLITS == ("train", "validation", "test", "test_long", "test_attractors")


def test_no_sentence_is_in_two_splits(default_splits):
    for (a, first), (b, second) in itertools.combinations(default_splits.items(), 2):
        assert not _sentences(first) & _sentences(second), (a, b)


def test_each_sentence_belongs_to_its_split_by_a_stable_hash(default_splits):
    for name, examples in default_splits.items():
        assert all(split_of(e["tokens"]) == name for e in examples)
    # Pinned: the bucket is CRC-32 of the joined tokens, the same on every machine.
    assert split_of("the cats , which already ate the mice , were happy .".split()) in SPLITS


def test_splits_are_deterministic_and_independent_of_each_other():
    assert load_split("tiny", "test", 50, seed=2) == load_split("tiny", "test", 50, seed=2)
    assert load_split("tiny", "test", 50, seed=2) != load_split("tiny", "test", 50, seed=3)
    assert load_split("tiny", "test", 20, seed=2) == load_split("tiny", "test", 50, seed=2)[:20]


def test_in_distribution_splits_use_the_training_lengths(default_splits):
    low, high = CONFIGS["default"].dependency_length
    for name in ("train", "validation", "test", "test_attractors"):
        lengths = {e["dependency_length"] for e in default_splits[name]}
        assert min(lengths) >= low and max(lengths) <= high


def test_test_long_is_strictly_longer_than_training(default_splits):
    train_max = CONFIGS["default"].dependency_length[1]
    lengths = [e["dependency_length"] for e in default_splits["test_long"]]
    assert min(lengths) > train_max
    assert max(lengths) <= CONFIGS["default"].long_dependency_length[1]


def test_test_attractors_is_balanced_over_zero_to_k(default_splits, check):
    counts = collections.Counter(e["n_attractors"] for e in default_splits["test_attractors"])
    k = CONFIGS["default"].attractor_test_max
    assert counts == {i: 500 // (k + 1) for i in range(k + 1)}
    for example in default_splits["test_attractors"][:200]:
        check(example, lexicon_size=60)


def test_bad_split_name_is_rejected():
    with pytest.raises(ValueError, match="split must be one of"):
        load_split("tiny", "dev", 3)
