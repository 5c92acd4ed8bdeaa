"""An english `number` run is trained and scored at every agreeing verb (issue 21)."""

import dataclasses
import json

import keras
import numpy as np

from datasets import agreement
from datasets.agreement.english import VERB_ROLES
from train.scoring import correct_by_example, last_word_logits, scored_examples


def test_the_model_answers_at_every_step_and_is_scored_per_verb_role(english_small_run):
    config, run_dir, metrics = english_small_run
    model = keras.saving.load_model(run_dir / "model.keras")
    assert model.output.shape[1:] == (None, 2)  # logits at every step
    on_disk = json.loads((run_dir / "metrics.json").read_text())
    for split in ("test", "test_long"):
        counts = on_disk[split]["count_by_verb_role"]
        assert set(counts) == set(VERB_ROLES), split
        assert sum(counts.values()) == on_disk[split]["count"]
        for role, accuracy in on_disk[split]["by_verb_role"].items():
            # An object relative's verb agrees with the relative's own subject, after the
            # head and before it is closed: the hardest role, where this small run gets
            # about four verbs in five (0.78-0.81 on test, seeds 0, 1, 3, 4, grammar 2.9.0);
            # every other role is above 0.75, and chance is 0.5.
            floor = 0.65 if role == "object_relative" else 0.7
            assert accuracy > floor, (split, role, accuracy)


def test_a_prefix_is_answered_at_its_last_word_as_in_the_whole_sentence(english_small_run):
    config, run_dir, _ = english_small_run
    model = keras.saving.load_model(run_dir / "model.keras")
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    examples = agreement.generate(6, seed=9, config=config.dataset_config)
    whole, _ = agreement.task_arrays(examples, "number", vocab, every_verb=True)
    per_step = model.predict(whole, verbose=0)
    targets = agreement.verb_targets(examples)
    prefixes, _ = agreement.number_arrays(targets, vocab)
    at_prefix_end = last_word_logits(model, prefixes)
    row_of = {
        id(t): i for i, e in enumerate(examples) for t in targets if t["tokens"] is e["tokens"]
    }
    for target, logits in zip(targets, at_prefix_end, strict=True):
        expected = per_step[row_of[id(target)], target["verb_index"] - 1]
        np.testing.assert_allclose(logits, expected, atol=1e-4)


def test_scoring_counts_one_example_per_agreeing_verb(english_small_run):
    config, run_dir, _ = english_small_run
    model = keras.saving.load_model(run_dir / "model.keras")
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    sentences = agreement.generate(30, seed=3, config=config.dataset_config)
    examples = scored_examples(sentences, config)
    assert len(examples) == sum(len(s["agreements"]) for s in sentences)
    correct = correct_by_example(model, "number", examples, vocab)
    assert correct.shape == (len(examples),)
    lm = dataclasses.replace(config, task="lm")
    assert scored_examples(sentences, lm) == sentences  # lm: the controlled verb
