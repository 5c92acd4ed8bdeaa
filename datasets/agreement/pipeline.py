"""Input pipelines for the three tasks, as padded NumPy arrays or a `tf.data.Dataset`.

    number          tokens before the agreeing verb -> 0 singular / 1 plural
                    (Linzen, Dupoux and Goldberg 2016); with `every_verb` (the english
                    grammar) the tokens up to the last agreeing verb -> at each position
                    right before an agreeing verb, that verb's number, elsewhere NO_TARGET
    lm              ids[:-1] -> ids[1:] over the whole sentence (padding target 0)
    grammaticality  the whole sentence with the correct or the wrong verb -> 1 / 0;
                    exactly half (rounded down) get the wrong verb, chosen by `seed`

Padding is id 0 at the end of each row, so `keras.layers.Embedding(mask_zero=True)` masks
it. TensorFlow is imported only by `make_tf_dataset`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from datasets.agreement.vocabulary import Vocabulary

# The tasks, named once for the pipeline, the training configuration and the analyses.
NUMBER, LM, GRAMMATICALITY = "number", "lm", "grammaticality"
TASKS = (NUMBER, LM, GRAMMATICALITY)
# A position of an every-verb `number` target row where no verb comes next: no loss there.
NO_TARGET = -1


def _pad(rows: list[list], max_len: int | None, width: int = 1) -> np.ndarray:
    """[N, max_len] ids, or [N, max_len, width] when each step is `width` ids (an open
    vocabulary's word and suffix ids)."""
    longest = max((len(r) for r in rows), default=0)
    if max_len is None:
        max_len = longest
    elif longest > max_len:
        raise ValueError(f"max_len={max_len} is shorter than the longest sequence ({longest})")
    out = np.zeros((len(rows), max_len, *((width,) if width > 1 else ())), np.int32)
    for i, row in enumerate(rows):
        if row:
            out[i, : len(row)] = row
    return out


def ungrammatical_mask(n: int, seed: int = 0) -> np.ndarray:
    """Which of `n` examples get the wrong verb: exactly n // 2, chosen by `seed`."""
    mask = np.zeros(n, bool)
    mask[random.Random(f"grammaticality:{seed}").sample(range(n), n // 2)] = True
    return mask


def verb_targets(examples: Sequence[dict]) -> list[dict]:
    """One example per agreeing verb of each sentence (`agreements`, `verb_roles`): the
    sentence with `subject_index`, `verb_index`, `label`, `verb_role`, `dependency_length`
    and `n_attractors` describing that verb's agreement, so that every scorer reads it as
    an example of its own. Sentences without `agreements` are returned as they are."""
    targets = []
    for example in examples:
        if "verb_roles" not in example:
            targets.append(example)
            continue
        tags = example["tags"]
        for (controller, verb), role in zip(
            example["agreements"], example["verb_roles"], strict=True
        ):
            label = int(tags[verb] == "V_PL")
            between = tags[controller + 1 : verb]
            targets.append(
                {
                    **example,
                    "subject_index": controller,
                    "verb_index": verb,
                    "label": label,
                    "verb_role": role,
                    "dependency_length": verb - controller - 1,
                    "n_attractors": between.count(("N_PL", "N_SG")[label]),
                    "n_intervening_nouns": between.count("N_SG") + between.count("N_PL"),
                    "correct_verb": example["tokens"][verb],
                    "wrong_verb": example["wrong_verb"] if verb == example["verb_index"] else None,
                }
            )
    return targets


def every_verb_sequences(
    examples: Sequence[dict], vocab: Vocabulary
) -> tuple[list[list[int]], list[list[int]]]:
    """Unpadded (inputs, per-position targets) of the every-verb `number` task: each
    sentence up to its last agreeing verb, and at each position the number of the verb
    that comes next if it agrees (0/1), else NO_TARGET. All of a sentence's verbs are
    then trained in one pass over it."""
    inputs, targets = [], []
    for example in examples:
        last = max(verb for _, verb in example["agreements"])
        row = [NO_TARGET] * last
        for _, verb in example["agreements"]:
            row[verb - 1] = int(example["tags"][verb] == "V_PL")
        inputs.append(vocab.encode_features(example["tokens"][:last]))
        targets.append(row)
    return inputs, targets


def target_weights(targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(targets with NO_TARGET as 0, float32 weights 1 at real targets and 0 elsewhere),
    as Keras's `fit` takes them (y, sample_weight)."""
    weights = (targets != NO_TARGET).astype(np.float32)
    return np.where(targets == NO_TARGET, 0, targets).astype(np.int32), weights


def task_sequences(
    examples: Sequence[dict], task: str, vocab: Vocabulary, seed: int = 0
) -> tuple[list[list[int]], list]:
    """Unpadded (inputs, targets) lists for `task`: inputs as `Vocabulary.encode_features`
    gives them (ids, or word and suffix ids per token), targets as word ids. The number
    task here asks each sentence's controlled verb (`verb_index`);
    :func:`every_verb_sequences` asks every verb."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    encode = vocab.encode_features
    if task == "number":
        inputs = [encode(e["tokens"][: e["verb_index"]]) for e in examples]
        return inputs, [int(e["label"]) for e in examples]
    if task == "lm":
        inputs = [encode(e["tokens"][:-1]) for e in examples]
        return inputs, [vocab.encode(e["tokens"][1:]) for e in examples]
    wrong = ungrammatical_mask(len(examples), seed)
    inputs = []
    for example, bad in zip(examples, wrong, strict=True):
        tokens = list(example["tokens"])
        if bad:
            tokens[example["verb_index"]] = example["wrong_verb"]
        inputs.append(encode(tokens))
    return inputs, [0 if bad else 1 for bad in wrong]


def task_arrays(
    examples: Sequence[dict],
    task: str,
    vocab: Vocabulary,
    max_len: int | None = None,
    seed: int = 0,
    every_verb: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """(inputs int32 [N, T], targets) for `task`, zero-padded to `max_len` (default: the
    longest). Targets are int32 [N] for number/grammaticality and [N, T] for lm and for
    number with `every_verb` (NO_TARGET where no agreeing verb comes next)."""
    if every_verb and task == "number":
        inputs, targets = every_verb_sequences(examples, vocab)
        x = _pad(inputs, max_len, vocab.features_per_token)
        y = np.full(x.shape[:2], NO_TARGET, np.int32)
        for i, row in enumerate(targets):
            y[i, : len(row)] = row
        return x, y
    inputs, targets = task_sequences(examples, task, vocab, seed)
    x = _pad(inputs, max_len, vocab.features_per_token)
    if task == "lm":
        return x, _pad(targets, x.shape[1])
    return x, np.asarray(targets, np.int32)


def number_arrays(examples, vocab, max_len=None):
    """Tokens before the agreeing verb -> the subject's number (0 singular, 1 plural)."""
    return task_arrays(examples, "number", vocab, max_len)


def lm_arrays(examples, vocab, max_len=None):
    """Next-word prediction: ids[:-1] -> ids[1:], both zero-padded."""
    return task_arrays(examples, "lm", vocab, max_len)


def grammaticality_arrays(examples, vocab, max_len=None, seed=0):
    """Whole sentence, verb correct (1) or wrong (0), half each by `seed`."""
    return task_arrays(examples, "grammaticality", vocab, max_len, seed)


def make_tf_dataset(
    examples: Sequence[dict],
    task: str,
    vocab: Vocabulary,
    batch_size: int,
    shuffle: bool = False,
    seed: int = 0,
    bucket_boundaries: Sequence[int] | None = None,
    drop_remainder: bool = False,
    max_len: int | None = None,
):
    """A `tf.data.Dataset` of (inputs, targets) batches, padded with 0 per batch.

    Args:
        examples: generated examples (e.g. from `load_split`).
        task: "number", "lm" or "grammaticality".
        vocab: the configuration's `Vocabulary`.
        batch_size: examples per batch.
        shuffle: reshuffle every epoch (deterministically from `seed`).
        seed: shuffling seed; also picks the ungrammatical half for "grammaticality".
        bucket_boundaries: input lengths at which to start a new bucket (batches then hold
            sentences of similar length, so less padding); None pads each batch to its
            longest sentence.
        drop_remainder: drop a final smaller batch.
        max_len: pad every batch to this length instead (fixed shapes, no bucketing).
    """
    import tensorflow as tf

    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if max_len is not None and bucket_boundaries is not None:
        raise ValueError("max_len and bucket_boundaries cannot be combined; pass one of them")
    inputs, targets = task_sequences(examples, task, vocab, seed)
    if max_len is not None:
        longest = max((len(r) for r in inputs), default=0)
        if longest > max_len:
            raise ValueError(f"max_len={max_len} is shorter than the longest input ({longest})")
    # All rows concatenated plus offsets; each element slices its row out (no Python
    # generator, so the pipeline runs in TensorFlow's threads).
    ends = np.cumsum([len(r) for r in inputs], dtype=np.int64)
    starts = tf.constant(ends - [len(r) for r in inputs], tf.int64)
    ends = tf.constant(ends, tf.int64)
    width = vocab.features_per_token
    flat_x = tf.constant(
        np.array([i for row in inputs for i in row], np.int32).reshape(
            -1, *([width] if width > 1 else [])
        )
    )
    if task == "lm":
        flat_y = tf.constant([i for row in targets for i in row], tf.int32)

        def element(i):
            return flat_x[starts[i] : ends[i]], flat_y[starts[i] : ends[i]]
    else:
        labels = tf.constant(targets, tf.int32)

        def element(i):
            return flat_x[starts[i] : ends[i]], labels[i]

    ds = tf.data.Dataset.range(len(inputs))
    if shuffle:
        ds = ds.shuffle(max(len(inputs), 1), seed=seed, reshuffle_each_iteration=True)
    ds = ds.map(element, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    if bucket_boundaries is not None:
        ds = ds.bucket_by_sequence_length(
            lambda inputs, targets: tf.shape(inputs)[0],
            bucket_boundaries=list(bucket_boundaries),
            bucket_batch_sizes=[batch_size] * (len(bucket_boundaries) + 1),
            drop_remainder=drop_remainder,
        )
    else:
        ds = ds.padded_batch(
            batch_size,
            padded_shapes=(
                [max_len, width] if width > 1 else [max_len],
                [max_len] if task == "lm" else [],
            ),
            drop_remainder=drop_remainder,
        )
    return ds.prefetch(tf.data.AUTOTUNE)
