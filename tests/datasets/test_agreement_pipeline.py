"""Input pipelines: the three tasks as padded arrays and as tf.data batches."""

import numpy as np
import pytest

from datasets.agreement import (
    PAD_ID,
    Vocabulary,
    grammaticality_arrays,
    lm_arrays,
    load_split,
    make_tf_dataset,
    number_arrays,
)


@pytest.fixture(scope="module")
def tiny():
    return load_split("tiny", "train", 37, seed=1), Vocabulary.from_config("tiny")


def test_number_task_stops_before_the_verb(tiny):
    examples, vocab = tiny
    x, y = number_arrays(examples, vocab)
    assert x.dtype == np.int32 and y.tolist() == [e["label"] for e in examples]
    for row, example in zip(x, examples, strict=True):
        assert vocab.decode(row) == example["tokens"][: example["verb_index"]]


def test_lm_task_shifts_by_one_with_zero_padding(tiny):
    examples, vocab = tiny
    x, y = lm_arrays(examples, vocab)
    assert x.shape == y.shape
    ids = vocab.encode(examples[0]["tokens"])
    n = len(ids) - 1
    assert x[0, :n].tolist() == ids[:-1] and y[0, :n].tolist() == ids[1:]
    assert (x[0, n:] == PAD_ID).all() and (y[0, n:] == PAD_ID).all()


def test_grammaticality_swaps_the_verb_in_exactly_half(tiny):
    examples, vocab = tiny
    x, y = grammaticality_arrays(examples, vocab, seed=5)
    assert y.sum() == len(examples) - len(examples) // 2
    for row, label, example in zip(x, y, examples, strict=True):
        verb = vocab.decode(row)[example["verb_index"]]
        assert verb == (example["correct_verb"] if label else example["wrong_verb"])
    assert (grammaticality_arrays(examples, vocab, seed=5)[1] == y).all()
    assert (grammaticality_arrays(examples, vocab, seed=6)[1] != y).any()


def test_max_len_pads_to_a_fixed_width_or_refuses(tiny):
    examples, vocab = tiny
    assert number_arrays(examples, vocab, max_len=40)[0].shape == (37, 40)
    with pytest.raises(ValueError, match="max_len"):
        number_arrays(examples, vocab, max_len=2)


@pytest.mark.parametrize("task", ["number", "lm", "grammaticality"])
def test_tf_dataset_batches_match_the_arrays(tiny, task):
    examples, vocab = tiny
    arrays = {"number": number_arrays, "lm": lm_arrays, "grammaticality": grammaticality_arrays}
    x, y = arrays[task](examples, vocab)
    batches = list(make_tf_dataset(examples, task, vocab, batch_size=8).as_numpy_iterator())
    assert [len(b[0]) for b in batches] == [8, 8, 8, 8, 5]
    xb = np.concatenate([np.pad(b[0], ((0, 0), (0, x.shape[1] - b[0].shape[1]))) for b in batches])
    assert (xb == x).all()
    if task == "lm":
        yb = np.concatenate(
            [np.pad(b[1], ((0, 0), (0, y.shape[1] - b[1].shape[1]))) for b in batches]
        )
    else:
        yb = np.concatenate([b[1] for b in batches])
    assert (yb == y).all()


def test_tf_dataset_shuffles_buckets_and_fixes_shapes(tiny):
    examples, vocab = tiny
    plain = [
        b[1].tolist() for b in make_tf_dataset(examples, "number", vocab, 37).as_numpy_iterator()
    ]
    shuffled = make_tf_dataset(examples, "number", vocab, 37, shuffle=True, seed=3)
    assert sorted(next(iter(shuffled))[1].numpy().tolist()) == sorted(plain[0])
    bucketed = make_tf_dataset(examples, "number", vocab, 4, bucket_boundaries=[6, 10])
    assert sum(len(b[0]) for b in bucketed) == 37
    fixed = make_tf_dataset(examples, "lm", vocab, 10, max_len=30, drop_remainder=True)
    assert {tuple(b[0].shape) for b in fixed} == {(10, 30)}


def test_bad_task_and_batch_size_are_rejected(tiny):
    examples, vocab = tiny
    with pytest.raises(ValueError, match="task must be one of"):
        make_tf_dataset(examples, "parse", vocab, 4)
    with pytest.raises(ValueError, match="batch_size"):
        make_tf_dataset(examples, "number", vocab, 0)
