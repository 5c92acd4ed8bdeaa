# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · The agreement benchmark
#
# *"The cats , which already ate the fish , were full"*: to choose "were" over "was", a
# model must carry the number of "cats" across everything in between. This notebook
# generates such sentences, looks at them, trains a few cells briefly and plots their
# accuracy against the dependency length (words between the subject and its verb) and
# the number of attractors (nouns in between whose number differs from the subject's).

# %%
import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from datasets import agreement
from train.config import TrainConfig
from train.run import prepare_run_dir, train

QUICK = os.environ.get("GATEZOO_NOTEBOOK_QUICK") == "1"  # the test suite's small settings
DATASET = "tiny" if QUICK else "default"
MODELS = ["gru", "simple_rnn"] if QUICK else ["gru", "simplified_gru", "lstm", "simple_rnn"]
BUDGET = {"epochs": 1, "train_size": 500, "units": 8} if QUICK else {}

# %% [markdown]
# ## The sentences
#
# Subject **[S]**, agreeing verb **[V]**, attractors marked with `*`. The label is the
# subject's number (0 singular, 1 plural).

# %%
examples = agreement.generate(6, seed=0, config=DATASET)


def marked(example):
    words = list(example["tokens"])
    words[example["subject_index"]] = f"[S:{words[example['subject_index']]}]"
    words[example["verb_index"]] = f"[V:{words[example['verb_index']]}]"
    subject_tag = example["tags"][example["subject_index"]]
    span = range(example["subject_index"] + 1, example["verb_index"])
    for i in span:
        if example["tags"][i] in ("N_SG", "N_PL") and example["tags"][i] != subject_tag:
            words[i] += "*"
    return " ".join(words)


for example in examples:
    print(
        f"label {example['label']}  length {example['dependency_length']:>2}  "
        f"attractors {example['n_attractors']}  ({example['construction']})"
    )
    print("   ", marked(example))
    assert marked(example).count("*") == example["n_attractors"]

# %% [markdown]
# `test_long` holds dependencies longer than any seen in training, so it measures whether a
# cell generalises to longer distances rather than memorising lengths.

# %%
config = agreement.CONFIGS[DATASET]
train_lengths = [e["dependency_length"] for e in agreement.load_split(config, "train", 2000)]
long_lengths = [e["dependency_length"] for e in agreement.load_split(config, "test_long", 1000)]
assert min(long_lengths) > max(train_lengths)
plt.figure(figsize=(7, 3))
edges = np.arange(min(train_lengths) - 0.5, max(long_lengths) + 1.5)  # one bin per length
plt.hist([train_lengths, long_lengths], bins=edges, label=["train", "test_long"], stacked=True)
plt.xlabel("dependency length (words between subject and verb)")
plt.ylabel("sentences")
plt.legend()
plt.show()

# %% [markdown]
# ## Training a few cells briefly
#
# Each run is what `python -m train --model NAME` does (here with the notebook's budget);
# its `metrics.json` holds accuracy by dependency length and by attractors on `test` and
# `test_long`.

# %%
runs_dir = Path(tempfile.mkdtemp(prefix="gatezoo-notebook-02-"))
metrics = {}
for model in MODELS:
    run_config = TrainConfig(
        model=model, dataset_config=DATASET, run_dir=str(runs_dir / model), **BUDGET
    )
    metrics[model] = train(run_config, prepare_run_dir(run_config, overwrite=False))
for model, result in metrics.items():
    print(
        f"{model:>15}: test {result['test']['accuracy']:.3f}   test_long {result['test_long']['accuracy']:.3f}"
        f"   ({result['train_seconds']:.0f} s)"
    )

# %%
figure, (by_length, by_attractors) = plt.subplots(1, 2, figsize=(12, 4))
for model, result in metrics.items():
    points = {
        int(k): v
        for split in ("test", "test_long")
        for k, v in result[split]["by_dependency_length"].items()
    }
    lengths = sorted(points)
    by_length.plot(lengths, [points[n] for n in lengths], marker=".", label=model)
    attractors = {int(k): v for k, v in result["test"]["by_attractors"].items()}
    ks = sorted(attractors)
    by_attractors.plot(ks, [attractors[k] for k in ks], marker="o", label=model)
longest_trained = max(int(k) for k in next(iter(metrics.values()))["test"]["by_dependency_length"])
by_length.axvline(longest_trained + 0.5, color="grey", linestyle="--", label="longest in training")
for axes in (by_length, by_attractors):
    axes.axhline(0.5, color="black", linewidth=0.8, linestyle=":", label="chance")
by_length.set(
    xlabel="dependency length", ylabel="accuracy", ylim=(0, 1.05), title="test and test_long"
)
by_attractors.set(xlabel="attractors", ylabel="accuracy", ylim=(0, 1.05), title="test")
by_length.legend()
by_attractors.legend()
plt.show()

# %% [markdown]
# Chance is 0.5. The gated cells keep the subject's number across spans longer than any
# they were trained on; the simple RNN, with the same budget, does not learn to carry it
# across the long spans of the default data. Notebook 03 looks inside the GRU to see how
# its gates do it.

# %%
if not QUICK:  # the claims above, on the full budget (the quick settings train too little)
    for model in ("gru", "simplified_gru", "lstm"):
        assert metrics[model]["test_long"]["accuracy"] > 0.95, model
    assert metrics["simple_rnn"]["test_long"]["accuracy"] < 0.7
