"""Training batches: each epoch visits every sentence once, in an order fixed by (seed,
epoch); batched by length, each batch holds sentences of similar length and is cut to its
longest, losing no word."""

import numpy as np
import pytest

from train.batches import LENGTH_STEP, epoch_batches, sentence_lengths

SEED, BATCH = 3, 16


def long_tailed_data(n=500, longest=78, features=None):
    """Zero-padded ids whose lengths are mostly short, a few long (as the english data's),
    per-step targets numbering each word, and weights on the real steps."""
    rng = np.random.default_rng(0)
    lengths = np.minimum(rng.geometric(1 / 20, n) + 2, longest)
    lengths[7] = longest
    real = np.arange(longest)[None, :] < lengths[:, None]
    ids = np.where(real, rng.integers(1, 50, (n, longest)), 0).astype(np.int32)
    inputs = ids if features is None else np.stack([ids] + [ids * real] * (features - 1), -1)
    targets = np.where(real, np.arange(n)[:, None] * 100 + np.arange(longest), -1)
    return inputs, targets.astype(np.int64), real.astype(np.float32)


def batches_of(batching, epochs=range(2), features=None):
    inputs, targets, weights = long_tailed_data(features=features)
    dataset = epoch_batches(inputs, targets, BATCH, SEED, epochs, weights, batching=batching)
    return [tuple(np.asarray(part) for part in batch) for batch in dataset]


def sentences(batch):
    """The sentence numbers in a batch, read back from its targets."""
    return batch[1][:, 0] // 100


@pytest.mark.parametrize("batching", ["shuffled", "by_length"])
def test_each_epoch_visits_every_sentence_once_with_its_words_and_targets_whole(batching):
    inputs, targets, weights = long_tailed_data()
    per_epoch = -(-len(inputs) // BATCH)
    batches = batches_of(batching)
    assert len(batches) == 2 * per_epoch
    for epoch in range(2):
        seen = batches[epoch * per_epoch : (epoch + 1) * per_epoch]
        order = np.concatenate([sentences(batch) for batch in seen])
        assert sorted(order) == list(range(len(inputs)))
        for batch_inputs, batch_targets, batch_weights in seen:
            rows = sentences((None, batch_targets))
            steps = batch_inputs.shape[1]
            np.testing.assert_array_equal(batch_inputs, inputs[rows, :steps])
            np.testing.assert_array_equal(batch_targets, targets[rows, :steps])
            np.testing.assert_array_equal(batch_weights, weights[rows, :steps])
            assert (sentence_lengths(inputs[rows]) <= steps).all()  # no word is cut


def test_by_length_cuts_each_batch_to_its_longest_sentence_rounded_up():
    for batch_inputs, *_ in batches_of("by_length"):
        longest = sentence_lengths(batch_inputs).max()
        assert batch_inputs.shape[1] == min(78, -(-longest // LENGTH_STEP) * LENGTH_STEP)


def test_by_length_batches_similar_lengths_and_pads_far_less_than_shuffled():
    shuffled, by_length = batches_of("shuffled"), batches_of("by_length")
    assert {batch[0].shape[1] for batch in shuffled} == {78}
    padded = sum(batch[0].size for batch in by_length) / sum(batch[0].size for batch in shuffled)
    assert padded < 0.5, padded
    spread = [np.ptp(sentence_lengths(batch[0])) for batch in by_length[:-1]]
    assert np.median(spread) <= 2


def test_by_length_reads_an_open_vocabularys_word_and_suffix_ids():
    for batch_inputs, *_ in batches_of("by_length", features=3):
        assert batch_inputs.ndim == 3 and batch_inputs.shape[2] == 3
        assert batch_inputs.shape[1] % LENGTH_STEP == 0 or batch_inputs.shape[1] == 78


def test_an_epoch_batched_by_length_is_the_same_alone_as_after_others():
    """A run resumed at epoch 1 sees exactly the batches an uninterrupted run does."""
    both = batches_of("by_length", epochs=range(2))
    alone = batches_of("by_length", epochs=range(1, 2))
    for resumed, uninterrupted in zip(alone, both[len(both) - len(alone) :], strict=True):
        for part, same in zip(resumed, uninterrupted, strict=True):
            np.testing.assert_array_equal(part, same)
    first = [sentences(batch).tolist() for batch in both[: len(alone)]]
    assert first != [sentences(batch).tolist() for batch in alone]  # epochs differ


def test_an_unknown_batching_is_refused_naming_the_choices():
    inputs, targets, _ = long_tailed_data(n=10)
    with pytest.raises(ValueError, match="batching: expected one of shuffled, by_length"):
        epoch_batches(inputs, targets, BATCH, SEED, range(1), batching="sorted")
