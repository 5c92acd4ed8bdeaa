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
import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, display

import zoo
from datasets import agreement
from evaluate import open_run
from train.config import TrainConfig
from train.run import prepare_run_dir, train

QUICK = os.environ.get("GATEZOO_NOTEBOOK_QUICK") == "1"  # the test suite's small settings
SETTINGS = dict(dataset_config="tiny", epochs=2, train_size=1000, units=16) if QUICK else {}
EXAMPLES = 100 if QUICK else 1000

work = Path(tempfile.mkdtemp(prefix="gatezoo-notebook-03-"))
config = TrainConfig(model="gru", run_dir=str(work / "gru"), **SETTINGS)
metrics = train(config, prepare_run_dir(config, overwrite=False))
print(f"test {metrics['test']['accuracy']:.3f}   test_long {metrics['test_long']['accuracy']:.3f}")

# %% [markdown]
# `open_run` reads the run directory training wrote (its config, vocabulary and model) and
# answers questions about it as data. First: after each of these beginnings, how sure is
# the model that the verb to come is plural?

# %%
run = open_run(work / "gru")
beginnings = ["The cats near the dog", "The cat near the dogs", "The dogs that the cat sees"]
for text, p_plural in zip(beginnings, run.predict_plural(beginnings), strict=True):
    print(f"P(plural) = {p_plural:.2f}   {text} …")


# %% [markdown]
# ## Γu and the memory over a sentence
#
# `zoo.trace` returns every gate of every step. Rows are units, columns are the words
# before the verb; Γu near 0 (dark) keeps the memory, near 1 (bright) overwrites it.

# %%
model, vocab = run.model, run.vocab
test = run.examples("test", 400)
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
# `run.number_units` (what `python -m evaluate units` prints and draws) correlates each
# unit's state with the subject's number over the distractor span, then clamps the top units
# and measures the accuracy drop, against clamping as many random units.

# %%
units = run.number_units(examples=EXAMPLES)
print(units.text())
display(Image(data=units.png()))
top_unit = units.order[0]
if not QUICK:  # trained on the full budget, some unit follows the number closely
    assert abs(units.r_span[top_unit]) > 0.9, units.rows()[0]

# %% [markdown]
# ## Do the gates saturate, or is everything grey?
#
# `run.gate_saturation` (`python -m evaluate gates`) counts the gate values within 0.05 of 0
# and of 1, over the distractor span and elsewhere.

# %%
saturation = run.gate_saturation(examples=EXAMPLES)
print(saturation.text())
display(Image(data=saturation.png()))
update_mean = {row["region"]: row["mean"] for row in saturation.rows if row["gate"] == "update"}
if not QUICK:  # the story: Γu opens at the subject, then stays mostly closed over the span
    assert update_mean["span"] < 0.5 < update_mean["subject"], update_mean

# %% [markdown]
# ## One sentence, step by step
#
# `run.trace` (`python -m evaluate trace`) gives, for each word, Γu, Γr, c̃ and c of the top
# number units, the way one would work the equations by hand.

# %%
trace = run.trace("The cats, which already ate the fish, were full.")
print(trace.text())
display(Image(data=trace.png()))
# The worked calculation holds row by row: c⟨t⟩ = Γu·c̃⟨t⟩ + (1 − Γu)·c⟨t−1⟩.
np.testing.assert_allclose(
    trace.state,
    trace.update * trace.candidate + (1 - trace.update) * trace.state_previous,
    atol=1e-5,
)
