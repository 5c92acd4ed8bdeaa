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
# # 03 · Gates as memory
#
# The course's story: in *"the cats , which already ate … , were full"* the GRU writes
# *plural* into its memory at "cats", then keeps it there with Γu ≈ 0 until "were". Here we
# train a GRU on the benchmark and look: gate heatmaps over such sentences, the units that
# carry the subject's number, whether the gates really saturate at 0 and 1 or stay grey,
# and one sentence traced step by step.

# %%
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, display

import zoo
from datasets import agreement
from train.config import TrainConfig
from train.run import dataset_config, prepare_run_dir, train

QUICK = os.environ.get("GATEZOO_NOTEBOOK_QUICK") == "1"  # the test suite's small settings
SETTINGS = dict(dataset_config="tiny", epochs=2, train_size=1000, units=16) if QUICK else {}
EXAMPLES = "100" if QUICK else "1000"

work = Path(tempfile.mkdtemp(prefix="gatezoo-notebook-03-"))
config = TrainConfig(model="gru", run_dir=str(work / "gru"), **SETTINGS)
metrics = train(config, prepare_run_dir(config, overwrite=False))
print(f"test {metrics['test']['accuracy']:.3f}   test_long {metrics['test_long']['accuracy']:.3f}")


def evaluate(*arguments):
    """Runs `python -m evaluate …` and shows what it prints."""
    result = subprocess.run(
        [sys.executable, "-m", "evaluate", *arguments], capture_output=True, text=True
    )
    print(result.stdout if result.returncode == 0 else result.stderr)
    result.check_returncode()


# %% [markdown]
# ## Γu and the memory over a sentence
#
# `zoo.trace` returns every gate of every step. Rows are units, columns are the words
# before the verb; Γu near 0 (dark) keeps the memory, near 1 (bright) overwrites it.

# %%
model = keras.saving.load_model(work / "gru" / "model.keras")
vocab = agreement.Vocabulary.load(work / "gru" / "vocab.json")
test = agreement.load_split(dataset_config(config), "test", 400, seed=config.seed)
probes = [
    e for e in test if "subject_relative" in e["construction"] and e["dependency_length"] >= 6
][:2]
token_ids, labels = agreement.task_arrays(probes, "number", vocab)
traced = zoo.trace(model, token_ids)["rnn_0"]
# The traced quantities obey the update: c⟨t⟩ = Γu·c̃⟨t⟩ + (1 − Γu)·c⟨t−1⟩, from c⟨0⟩ = 0.
previous = np.concatenate([np.zeros_like(traced["state"][:, :1]), traced["state"][:, :-1]], 1)
update = traced["update"]
np.testing.assert_allclose(
    traced["state"], update * traced["candidate"] + (1 - update) * previous, atol=1e-5
)

figure, axes = plt.subplots(2, 2, figsize=(14, 6), squeeze=False)
for row, example in enumerate(probes):
    words = example["tokens"][: example["verb_index"]]
    for column, (quantity, limits) in enumerate([("update", (0, 1)), ("state", (-1, 1))]):
        ax = axes[row][column]
        image = ax.imshow(
            traced[quantity][row, : len(words)].T, aspect="auto", vmin=limits[0], vmax=limits[1]
        )
        ax.set_xticks(range(len(words)), words, rotation=70, fontsize=8)
        ax.set_ylabel("unit")
        ax.set_title(
            f"{'Γu' if quantity == 'update' else 'c⟨t⟩'} — subject {'plural' if example['label'] else 'singular'}"
        )
        figure.colorbar(image, ax=ax, fraction=0.03)
figure.tight_layout()
plt.show()

# %% [markdown]
# ## Is there a unit for singular/plural?
#
# `python -m evaluate units` correlates each unit's state with the subject's number over the
# distractor span, then clamps the top units and measures the accuracy drop, against
# clamping as many random units.

# %%
evaluate("units", str(work / "gru"), "--out", str(work / "units"), "--examples", EXAMPLES)
display(Image(filename=str(work / "units" / "units.png")))
with open(work / "units" / "units.csv", newline="") as handle:
    top_unit = next(csv.DictReader(handle))
if not QUICK:  # trained on the full budget, some unit follows the number closely
    assert abs(float(top_unit["r_span"])) > 0.9, top_unit

# %% [markdown]
# ## Do the gates saturate, or is everything grey?
#
# `python -m evaluate gates` counts the gate values within 0.05 of 0 and of 1, over the
# distractor span and elsewhere.

# %%
evaluate("gates", str(work / "gru"), "--out", str(work / "gates"), "--examples", EXAMPLES)
display(Image(filename=str(work / "gates" / "gates.png")))
with open(work / "gates" / "gates.csv", newline="") as handle:
    update_mean = {
        row["region"]: float(row["mean"])
        for row in csv.DictReader(handle)
        if row["gate"] == "update"
    }
if not QUICK:  # the story: Γu opens at the subject, then stays mostly closed over the span
    assert update_mean["span"] < 0.5 < update_mean["subject"], update_mean

# %% [markdown]
# ## One sentence, step by step
#
# `python -m evaluate trace` prints, for each word, Γu, Γr, c̃ and c of the top number units,
# the way one would work the equations by hand.

# %%
evaluate("trace", str(work / "gru"), "--out", str(work / "trace"))
display(Image(filename=str(work / "trace" / "trace.png")))
