"""Every task trains end to end and is scored on agreement over the held-out splits."""

import collections

import numpy as np
import pytest

from train.config import TrainConfig
from train.run import prepare_run_dir, train


def agreement_right(model, task, examples, vocab):
    """Whether the model gets each sentence's agreement right, recomputed here: sentences
    of one length at a time, unpadded, the model called directly (no predict, no masking).

    lm: after the words before the verb, the correct form's logit beats the wrong one's;
    grammaticality: the sentence with the correct verb has a larger margin (class 1 minus
    class 0) than the same sentence with the wrong verb."""
    by_length = collections.defaultdict(list)
    for index, example in enumerate(examples):
        by_length[len(example["tokens"])].append(index)
    right = np.zeros(len(examples), bool)
    for indices in by_length.values():
        chosen = [examples[i] for i in indices]
        if task == "lm":
            # The layers run forward only: the logits at the word before the verb depend on
            # the words up to it, whatever follows. Sentences of one length may still differ
            # in verb position: each gives its own.
            logits = np.asarray(model(np.array([vocab.encode(e["tokens"]) for e in chosen])))
            at_verb = logits[np.arange(len(chosen)), [e["verb_index"] - 1 for e in chosen]]
            correct = [vocab.encode([e["correct_verb"]])[0] for e in chosen]
            wrong = [vocab.encode([e["wrong_verb"]])[0] for e in chosen]
            rows = np.arange(len(chosen))
            right[indices] = at_verb[rows, correct] > at_verb[rows, wrong]
        else:
            good = np.array([vocab.encode(e["tokens"]) for e in chosen])
            bad = good.copy()
            for row, e in enumerate(chosen):
                bad[row, e["verb_index"]] = vocab.encode([e["wrong_verb"]])[0]
            good_logits, bad_logits = np.asarray(model(good)), np.asarray(model(bad))
            margin = good_logits[:, 1] - good_logits[:, 0]
            right[indices] = margin > bad_logits[:, 1] - bad_logits[:, 0]
    return right


@pytest.mark.parametrize("task", ["lm", "grammaticality"])
def test_every_task_trains_and_reports_agreement_accuracy(task, tmp_path):
    import keras

    from datasets import agreement
    from train.run import dataset_config

    config = TrainConfig(
        task=task, dataset_config="tiny", units=8, embed_dim=8, epochs=1, train_size=500,
        run_dir=str(tmp_path / task),
    )  # fmt: skip
    run_dir = prepare_run_dir(config, overwrite=False)
    metrics = train(config, run_dir)
    model = keras.saving.load_model(run_dir / "model.keras")
    vocab = agreement.Vocabulary.load(run_dir / "vocab.json")
    for split in ("test", "test_long"):
        summary = metrics[split]
        examples = agreement.load_split(
            dataset_config(config), split, summary["count"], seed=config.seed
        )
        right = agreement_right(model, task, examples, vocab)
        # A logit tie broken differently by padded and unpadded arithmetic may move one
        # sentence; a wrong scoring rule moves many.
        assert summary["accuracy"] == pytest.approx(right.mean(), abs=2 / len(right)), split
        assert sum(summary["count_by_dependency_length"].values()) == summary["count"]
        assert set(summary["by_attractors"]) == set(summary["count_by_attractors"])
