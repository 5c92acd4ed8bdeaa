"""Where a minimal pair's sentences differ, and the rules that score it (evaluate.pair_scoring)."""

import numpy as np
import pytest

from datasets.agreement import Vocabulary
from evaluate.pair_files import in_vocabulary, parse_records
from evaluate.pair_scoring import (
    EMPTY_PREFIX,
    GOOD_VERB_NO_NUMBER,
    NO_SINGLE_DIFFERENCE,
    NO_VERB_AFTER_SUBJECT,
    ONE_WORD,
    SAME_NUMBER,
    find_contrast,
    score_pairs,
)

WORDS = "the a women woman men man glove gloves meet meets tightens tighten near car park ."
VOCAB = Vocabulary(WORDS.split())


def pair_of(good, bad, **fields):
    (pair,) = parse_records([{"sentence_good": good, "sentence_bad": bad, **fields}], "t").pairs
    return in_vocabulary(pair, VOCAB)


def two_prefix(good_prefix, bad_prefix, word, rest=""):
    """A pair that differs in the subject, with BLiMP's two-prefix fields."""
    return pair_of(
        f"{good_prefix} {word}{rest}.",
        f"{bad_prefix} {word}{rest}.",
        two_prefix_prefix_good=good_prefix,
        two_prefix_prefix_bad=bad_prefix,
        two_prefix_word=word,
    )


class PluralEvidenceModel:
    """A number model whose log-odds of plural is the sum of its words' weights."""

    def __init__(self, weights):
        self.weights = np.zeros(len(VOCAB))
        for word, weight in weights.items():
            self.weights[VOCAB.token_to_id(word)] = weight

    def predict(self, ids, batch_size=None, verbose=0):
        plural = self.weights[ids].sum(axis=1)  # padding (id 0) weighs nothing
        return np.stack([np.zeros_like(plural), plural], axis=1)


class NextWordModel:
    """A language model that, after a word in ``follows``, puts 5 on the word it names."""

    def __init__(self, follows):
        self.follows = {VOCAB.token_to_id(a): VOCAB.token_to_id(b) for a, b in follows.items()}

    def predict(self, ids, batch_size=None, verbose=0):
        out = np.zeros((*ids.shape, len(VOCAB)), np.float32)
        for row, step in zip(*np.nonzero(ids), strict=True):
            if ids[row, step] in self.follows:
                out[row, step, self.follows[ids[row, step]]] = 5.0
        return out


@pytest.mark.parametrize("with_fields", [True, False])
def test_a_pair_that_differs_in_the_subject_is_found_with_or_without_blimps_fields(with_fields):
    pair = (
        two_prefix("The glove", "The gloves", "tightens")
        if with_fields
        else pair_of("The glove tightens.", "The gloves tightens.")
    )
    contrast = find_contrast(pair)
    assert contrast.kind == "subject"
    assert (contrast.prefix_good, contrast.prefix_bad) == (["the", "glove"], ["the", "gloves"])
    assert contrast.verb_good == contrast.verb_bad == "tightens"
    assert contrast.dependency_length == 0


def test_the_verb_after_a_differing_subject_skips_prepositions_and_nouns_after_determiners():
    # "near" and "park" are verbs in a dictionary; here the verb is "meet"
    pair = two_prefix("The women", "The woman", "near", " the park meet")
    contrast = find_contrast(pair)
    assert contrast.verb_good == "meet"
    assert contrast.prefix_good == ["the", "women", "near", "the", "park"]
    assert contrast.dependency_length == 3


def test_a_pair_that_differs_in_a_verb_after_a_noun_is_a_verb_contrast():
    contrast = find_contrast(
        pair_of("The girls who the boy likes eat.", "The girls who the boy like eat.")
    )
    assert contrast.kind == "verb"
    assert (contrast.verb_good, contrast.verb_bad) == ("likes", "like")
    assert contrast.prefix_good == ["the", "girls", "who", "the", "boy"]
    assert contrast.dependency_length == 0  # "boy" heads the relative clause's subject


@pytest.mark.parametrize(
    "weights,expected",
    [
        ({"women": 2.0, "woman": -2.0}, 1.0),  # reads the subject's number
        ({"women": -2.0, "woman": 2.0}, 0.0),  # reads it backwards
        ({}, 0.5),  # cannot tell the subjects apart: a tie
        # "more plural after 'the women' than after 'the woman'" is what counts, even when
        # the model calls both plural
        ({"women": 3.0, "woman": 1.0}, 1.0),
    ],
)
def test_a_number_model_is_right_on_a_subject_pair_when_the_good_subject_favours_the_verbs_number(
    weights, expected
):
    pairs = [
        two_prefix("The women", "The woman", "meet"),  # plural verb: good subject plural
        two_prefix("The woman", "The women", "meets"),  # singular verb: good subject singular
        pair_of("The men meet.", "The man meet."),  # no fields, as TFDS gives BLiMP
    ]
    weights = {**weights, "men": weights.get("women", 0.0), "man": weights.get("woman", 0.0)}
    scores, reasons = score_pairs(PluralEvidenceModel(weights), "number", VOCAB, pairs)
    assert reasons == [None] * 3
    if expected in (0.0, 0.5):
        assert scores.tolist() == [expected] * 3
    else:
        assert scores.tolist() == [1.0, 1.0, 1.0]


def test_an_lm_is_right_on_a_subject_pair_when_the_verb_is_likelier_after_the_good_subject():
    pairs = [
        two_prefix("The women", "The woman", "meet"),
        two_prefix("The woman", "The women", "meets"),
    ]
    right = NextWordModel({"women": "meet", "woman": "meets"})
    wrong = NextWordModel({"women": "meets", "woman": "meet"})
    assert score_pairs(right, "lm", VOCAB, pairs)[0].tolist() == [1.0, 1.0]
    assert score_pairs(wrong, "lm", VOCAB, pairs)[0].tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    "good,bad,fields,reason",
    [
        ("The man meets the woman.", "The men meet the woman.", {}, NO_SINGLE_DIFFERENCE),
        ("Is the man here?", "Are the man here?", {}, EMPTY_PREFIX),
        ("The man ate.", "The man eats.", {}, GOOD_VERB_NO_NUMBER),
        ("The man is here.", "The man was here.", {}, SAME_NUMBER),
        (
            "The man singing.",
            "The men singing.",
            {"two_prefix_prefix_good": "The man", "two_prefix_prefix_bad": "The men",
             "two_prefix_word": "singing"},
            NO_VERB_AFTER_SUBJECT,
        ),
    ],
)  # fmt: skip
def test_a_pair_a_number_model_cannot_score_gets_its_reason(good, bad, fields, reason):
    scores, reasons = score_pairs(
        PluralEvidenceModel({}), "number", VOCAB, [pair_of(good, bad, **fields)]
    )
    assert np.isnan(scores[0]) and reasons == [reason]


def test_an_lm_cannot_score_one_word_sentences():
    scores, reasons = score_pairs(NextWordModel({}), "lm", VOCAB, [pair_of("Meet", "Meets")])
    assert np.isnan(scores[0]) and reasons == [ONE_WORD]


def swapped(record):
    """The same pair with good and bad exchanged (and BLiMP's prefix fields with them)."""
    swap = {"sentence_good": "sentence_bad", "one_prefix_word_good": "one_prefix_word_bad"}
    swap |= {"two_prefix_prefix_good": "two_prefix_prefix_bad"}
    swap |= {b: a for a, b in swap.items()}
    return {swap.get(key, key): value for key, value in record.items()}


@pytest.mark.parametrize("task", ["number", "lm"])
def test_an_open_vocabulary_model_scores_blimp_pairs_and_their_swaps_oppositely(task):
    """A real (untrained) model reading words and suffixes, [N, T, 1 + K] inputs: every
    BLiMP pair is scored, and exchanging good and bad turns each score s into 1 − s."""
    import json

    from datasets.agreement.vocabulary import SuffixFeatures
    from evaluate.suites import registered_suites
    from train.config import TrainConfig
    from train.model import build_model

    records = []
    for path in registered_suites()["blimp-agreement"].files:
        with path.open() as handle:
            records += [json.loads(next(handle)) for _ in range(8)]
    vocab = Vocabulary(["the", "a", "is", "are", "has", "have", "."], SuffixFeatures())
    config = TrainConfig(model="gru", task=task, units=4, embed_dim=4, jit=False)
    model = build_model(config, len(vocab), vocab.suffixes)
    scores = []
    for batch in (records, [swapped(r) for r in records]):
        pairs = [in_vocabulary(p, vocab) for p in parse_records(batch, "blimp").pairs]
        batch_scores, reasons = score_pairs(model, task, vocab, pairs)
        assert reasons == [None] * len(records)
        scores.append(batch_scores)
    assert vocab.encode_batch([["the", "cats"]]).shape == (1, 2, 5)
    assert not np.all(scores[0] == 0.5)  # the model tells the sentences apart
    np.testing.assert_array_equal(scores[0], 1 - scores[1])
