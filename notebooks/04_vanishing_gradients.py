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
# # 04 · Vanishing gradients, and the quiz on simplifying the GRU
#
# Why does Γu ≈ 0 stop the gradient from vanishing? Differentiate the update:
#
# $$c^{\langle t\rangle} = \Gamma_u \odot \tilde c^{\langle t\rangle} + (1-\Gamma_u)\odot c^{\langle t-1\rangle}
# \quad\Rightarrow\quad
# \frac{\partial c^{\langle t\rangle}}{\partial c^{\langle t-1\rangle}}
# = \operatorname{diag}(1-\Gamma_u) + (\text{terms that carry a factor } \Gamma_u \text{ or its derivative})$$
#
# With Γu ≈ 0 this Jacobian is close to the identity, so ∂loss/∂c⟨t⟩ reaches back across
# the distractors without shrinking. A simple RNN, a⟨t⟩ = tanh(W_a x⟨t⟩ + U_a a⟨t−1⟩ + b_a),
# multiplies by diag(tanh′)·U_a at every step instead, and the gradient decays
# geometrically with the distance.
#
# The course's quiz asks which simplification still avoids this: removing Γu (so
# c⟨t⟩ = c̃⟨t⟩ every step) or removing Γr (the simplified GRU)? The quiz answers with data:
# it trains the full GRU, both ablations and a simple RNN with several seeds and compares
# them at increasing distances (`python -m evaluate quiz` does the same from the shell).

# %%
import dataclasses
import os
import tempfile
from pathlib import Path

from IPython.display import Image, display

from evaluate.gradients import profile_runs
from evaluate.quiz import answer, configs
from train.run import prepare_run_dir, train

QUICK = os.environ.get("GATEZOO_NOTEBOOK_QUICK") == "1"  # the test suite's small settings
if QUICK:
    SEEDS, GRADIENT_EXAMPLES = 1, 20
    SETTINGS = dict(dataset_config="tiny", epochs=1, train_size=300, units=8, jit=False)
else:
    SEEDS, GRADIENT_EXAMPLES, SETTINGS = 2, 64, {}
work = Path(tempfile.mkdtemp(prefix="gatezoo-notebook-04-"))

# %% [markdown]
# ## The quiz, answered with data
#
# Each run is what `python -m train --model NAME --seed K` does.

# %%
run_dirs = []
for config in configs(seeds=SEEDS, **SETTINGS):
    run_dir = work / "runs" / f"{config.model}-seed{config.seed}"
    config = dataclasses.replace(config, run_dir=str(run_dir))
    train(config, prepare_run_dir(config, overwrite=False))
    run_dirs.append(run_dir)

# %%
quiz = answer(run_dirs, gradient_examples=GRADIENT_EXAMPLES)
print(quiz.text())
display(Image(data=quiz.png()))
ratios = {row["model"]: row for row in quiz.gradient_rows}
assert abs(ratios["gru_no_update_gate"]["mean_update"] - 1) < 1e-6  # Γu ≡ 1, built in
if not QUICK:  # with Γu the gradient survives the distance; without it, it vanishes
    for kept in ("gru", "gru_no_reset_gate"):
        assert ratios[kept]["gradient_ratio"] > 1e-2, ratios[kept]
    for lost in ("gru_no_update_gate", "simple_rnn"):
        assert ratios[lost]["gradient_ratio"] < 1e-4, ratios[lost]

# %% [markdown]
# ## ‖∂loss/∂c⟨t⟩‖ against the distance to the verb
#
# For each trained run, `profile_runs` (`python -m evaluate gradients`) measures how much the
# loss at the verb still depends on the memory t steps earlier, on `test_long` sentences,
# with the mean Γu along the way.

# %%
profiles = profile_runs(run_dirs, examples=20 if QUICK else 200)
print(profiles.text())
display(Image(data=profiles.png()))
