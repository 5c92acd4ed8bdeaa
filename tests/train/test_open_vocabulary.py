"""A model trained on the english grammar reads words it never saw by their form."""

import random

import keras
import numpy as np

from datasets import agreement
from train.embedding import WordAndSuffixEmbedding
from train.scoring import last_word_logits


def plural_margin(model, vocab, sentences):
    inputs = vocab.encode_batch([agreement.normalise(s) for s in sentences])
    logits = last_word_logits(model, inputs)
    return logits[:, 1] - logits[:, 0]


def nonce_nouns(vocab, n=40, seed=0):
    """Made-up stems (consonant-vowel-consonant syllables) that no lexicon holds."""
    rng = random.Random(seed)
    stems = set()
    while len(stems) < n:
        stem = "".join(rng.choice("bdfgklmnprtvz") + rng.choice("aeiou") for _ in range(2))
        stem += rng.choice("bdgkmnprt")
        if stem not in vocab and stem + "s" not in vocab:
            stems.add(stem)
    return sorted(stems)


def test_an_unseen_plural_noun_gets_its_number_from_its_form(english_small_run):
    _, run_dir, metrics = english_small_run
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    model = keras.saving.load_model(run_dir / "model.keras")
    assert metrics["test"]["accuracy"] > 0.8
    nonce = nonce_nouns(vocab)
    singular = plural_margin(model, vocab, [f"The {w}" for w in nonce])
    plural = plural_margin(model, vocab, [f"The {w}s" for w in nonce])
    # Chance is 0.5; a model blind to form (every unseen word is the same <unk>) gives the
    # same answer for "the wug" and "the wugs", so at most 0.5.
    accuracy = ((plural > 0).sum() + (singular < 0).sum()) / (2 * len(nonce))
    assert accuracy >= 0.85, (singular, plural)


def test_word_dropout_reads_known_words_as_unknown_only_in_training():
    layer = WordAndSuffixEmbedding(10, 8, 4, word_dropout=0.5, seed=1)
    inputs = np.array([[[5, 1, 2], [6, 3, 0], [0, 0, 0]]] * 64, np.int32)
    unknown = layer.compute_output_shape(inputs.shape)
    assert unknown == (64, 3, 4)
    inference = keras.ops.convert_to_numpy(layer(inputs, training=False))
    training = keras.ops.convert_to_numpy(layer(inputs, training=True))
    assert np.allclose(inference[0], inference[1])  # deterministic without training
    words = keras.ops.convert_to_numpy(layer.words)
    suffixes = keras.ops.convert_to_numpy(layer.suffixes)
    as_unknown = words[1] + suffixes[1] + suffixes[2]
    dropped = np.isclose(training[:, 0], as_unknown).all(-1)
    assert 0.25 < dropped.mean() < 0.75  # about half of the known word's reads
    assert np.allclose(training[:, 2], words[0])  # padding: no suffixes, never dropped
    assert keras.ops.convert_to_numpy(layer.compute_mask(inputs)).tolist()[0] == [True, True, False]


def test_word_dropout_spares_the_kept_ids_and_keeps_them_when_saved(tmp_path):
    """Words whose ending belies their number ("physics", "police") are never read as
    unknown: a model must not learn that an unknown word in "-s" may be singular."""
    layer = WordAndSuffixEmbedding(10, 8, 4, word_dropout=0.5, kept_ids=(6,), seed=1)
    inputs = np.array([[[5, 1, 2], [6, 3, 0]]] * 64, np.int32)
    training = keras.ops.convert_to_numpy(layer(inputs, training=True))
    words = keras.ops.convert_to_numpy(layer.words)
    suffixes = keras.ops.convert_to_numpy(layer.suffixes)
    kept = words[6] + suffixes[3]
    assert np.allclose(training[:, 1], kept)  # never dropped
    dropped = np.isclose(training[:, 0], words[1] + suffixes[1] + suffixes[2]).all(-1)
    assert 0.25 < dropped.mean() < 0.75  # the other known word still is, half the time
    model = keras.Sequential([keras.Input((None, 3), dtype="int32"), layer])
    model.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras").layers[0]
    assert loaded.kept_ids == (6,)


def test_the_english_vocabulary_names_the_words_whose_ending_belies_their_number():
    vocab = agreement.Vocabulary.from_config("english")
    kept = {vocab.id_to_token(i) for i in vocab.suffix_exceptions("english")}
    assert {"physics", "news", "series", "police", "sheep", "wales", "men", "criteria"} <= kept
    assert not kept & {"states", "times", "cats", "cat"}  # plurals and singulars as written
    assert agreement.Vocabulary.from_config("default").suffix_exceptions("default") == ()
