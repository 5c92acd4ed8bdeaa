"""Per-sentence agreement scores, and accuracy grouped by what makes agreement hard.

Whatever the task, an example counts as correct when the model gets the
agreement right:

- ``number``: the predicted number of the words before the verb is the subject's (with
  every-verb data, each agreeing verb is an example of its own: :func:`scored_examples`);
- ``lm``: after the words before the verb, the correct verb form gets a higher
  logit than the wrong one ("were" over "was");
- ``grammaticality``: the sentence with the correct verb scores as more
  grammatical than the same sentence with the wrong verb.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from datasets import agreement
from train.run_contract import asks_every_verb

GROUP_KEYS = {"by_dependency_length": "dependency_length", "by_attractors": "n_attractors"}


def scored_examples(examples, config) -> list[dict]:
    """The examples a run of ``config`` (a ``TrainConfig``) is scored on: one per agreeing
    verb when it asks every verb (:func:`train.run_contract.asks_every_verb`; each with
    its ``verb_role``), otherwise the sentences, each asked about its controlled verb."""
    return agreement.verb_targets(examples) if asks_every_verb(config) else list(examples)


def last_word_logits(model, inputs, batch_size: int = 512) -> np.ndarray:
    """A ``number``/``grammaticality`` model's [N, 2] logits for right-padded ``inputs``:
    its output, or for a model with logits at every step (every-verb ``number``), the
    logits at each row's last word."""
    return at_last_word(model.predict(inputs, batch_size=batch_size, verbose=0), inputs)


def at_last_word(logits: np.ndarray, inputs) -> np.ndarray:
    """[N, T, C] logits at each row's last word of right-padded ``inputs``; [N, C] logits
    are returned as they are."""
    logits = np.asarray(logits)
    if logits.ndim != 3:
        return logits
    last = np.maximum((agreement.word_ids(np.asarray(inputs)) != 0).sum(axis=1) - 1, 0)
    return logits[np.arange(len(logits)), last]


def correct_by_example(
    model, task: str, examples, vocab, batch_size: int = 512, length_multiple: int = 1
) -> np.ndarray:
    """Returns a boolean array: did the model get each example's agreement right?

    ``length_multiple`` pads the inputs to a multiple of it (padding is masked, so scores
    are unchanged): callers scoring batches of many lengths then compile a few shapes only.
    """
    if task == agreement.NUMBER:
        longest = max((e["verb_index"] for e in examples), default=0)
        inputs, labels = agreement.number_arrays(
            examples, vocab, _round_up(longest, length_multiple)
        )
        return np.argmax(last_word_logits(model, inputs, batch_size), axis=-1) == labels
    if task == agreement.LM:
        longest = max((e["verb_index"] for e in examples), default=0)
        inputs, _ = agreement.number_arrays(examples, vocab, _round_up(longest, length_multiple))
        logits = model.predict(inputs, batch_size=batch_size, verbose=0)
        last = np.array([example["verb_index"] - 1 for example in examples])
        at_verb = logits[np.arange(len(examples)), last]
        correct_ids = np.array([vocab.token_to_id(e["correct_verb"]) for e in examples])
        wrong_ids = np.array([vocab.token_to_id(e["wrong_verb"]) for e in examples])
        rows = np.arange(len(examples))
        return at_verb[rows, correct_ids] > at_verb[rows, wrong_ids]
    if task == agreement.GRAMMATICALITY:
        good, bad = minimal_pair_arrays(examples, vocab, length_multiple)
        good_logits = last_word_logits(model, good, batch_size)
        bad_logits = last_word_logits(model, bad, batch_size)
        return _margin(good_logits) > _margin(bad_logits)
    raise ValueError(f"Received an invalid value for argument `task`: {task!r}")


def _round_up(length: int, multiple: int) -> int:
    return -(-length // multiple) * multiple


def minimal_pair_arrays(examples, vocab, length_multiple: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence with its correct verb, and the same sentence with the wrong verb."""
    good, bad = [], []
    for example in examples:
        tokens, verb = list(example["tokens"]), example["verb_index"]
        good.append(tokens)
        bad.append([*tokens[:verb], example["wrong_verb"], *tokens[verb + 1 :]])
    length = _round_up(max(len(row) for row in good), length_multiple)
    return vocab.encode_batch(good, length), vocab.encode_batch(bad, length)


def _margin(logits):
    """How much more grammatical (class 1) than ungrammatical (class 0)."""
    return logits[:, 1] - logits[:, 0]


def summarize(examples, correct) -> dict:
    """Accuracy overall and grouped by dependency length and by number of attractors."""
    correct = np.asarray(correct, dtype=bool)
    if len(correct) != len(examples):
        raise ValueError(f"got {len(correct)} scores for {len(examples)} examples")
    summary = {
        "accuracy": float(correct.mean()) if len(correct) else float("nan"),
        "count": len(correct),
    }
    for group_name, key in GROUP_KEYS.items():
        summary[group_name] = accuracy_by(examples, correct, key)
        summary[group_name.replace("by_", "count_by_")] = count_by(examples, key)
    if len(examples) and "verb_role" in examples[0]:  # nested and every-verb: per verb role
        summary["by_verb_role"] = accuracy_by(examples, correct, "verb_role")
        summary["count_by_verb_role"] = count_by(examples, "verb_role")
    return summary


def accuracy_by(examples, correct, key: str) -> dict[str, float]:
    hits, totals = _tally(examples, correct, key)
    return {str(value): hits[value] / totals[value] for value in sorted(totals)}


def count_by(examples, key: str) -> dict[str, int]:
    _, totals = _tally(examples, np.zeros(len(examples), dtype=bool), key)
    return {str(value): totals[value] for value in sorted(totals)}


def _tally(examples, correct, key):
    hits, totals = defaultdict(int), defaultdict(int)
    for example, is_correct in zip(examples, correct, strict=True):
        totals[example[key]] += 1
        hits[example[key]] += int(is_correct)
    return hits, totals
