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
# c⟨t⟩ = c̃⟨t⟩ every step) or removing Γr (the simplified GRU)? `python -m evaluate quiz`
# answers with data: it trains the full GRU, both ablations and a simple RNN with several
# seeds and compares them at increasing distances.

# %%
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from IPython.display import Image, display

QUICK = os.environ.get("GATEZOO_NOTEBOOK_QUICK") == "1"  # the test suite's small settings
if QUICK:
    SETTINGS = ["--seeds", "1", "--dataset-config", "tiny", "--epochs", "1", "--train-size", "300",
                "--units", "8", "--no-jit", "--gradient-examples", "20"]  # fmt: skip
else:
    SETTINGS = ["--seeds", "2"]
work = Path(tempfile.mkdtemp(prefix="gatezoo-notebook-04-"))


def evaluate(*arguments):
    """Runs `python -m evaluate …` and shows what it prints."""
    result = subprocess.run(
        [sys.executable, "-m", "evaluate", *arguments], capture_output=True, text=True
    )
    print(result.stdout if result.returncode == 0 else result.stderr)
    result.check_returncode()


# %% [markdown]
# ## The quiz, answered with data

# %%
evaluate("quiz", "--out", str(work / "quiz"), *SETTINGS)
display(Image(filename=str(work / "quiz" / "quiz.png")))
with open(work / "quiz" / "quiz_gradients.csv", newline="") as handle:
    quiz = {row["model"]: row for row in csv.DictReader(handle)}
assert abs(float(quiz["gru_no_update_gate"]["mean_update"]) - 1) < 1e-6  # Γu ≡ 1, built in
if not QUICK:  # with Γu the gradient survives the distance; without it, it vanishes
    for kept in ("gru", "gru_no_reset_gate"):
        assert float(quiz[kept]["gradient_ratio"]) > 1e-2, quiz[kept]
    for lost in ("gru_no_update_gate", "simple_rnn"):
        assert float(quiz[lost]["gradient_ratio"]) < 1e-4, quiz[lost]

# %% [markdown]
# ## ‖∂loss/∂c⟨t⟩‖ against the distance to the verb
#
# For each trained run, `python -m evaluate gradients` measures how much the loss at the
# verb still depends on the memory t steps earlier, on `test_long` sentences, with the mean
# Γu along the way.

# %%
evaluate("gradients", str(work / "quiz" / "runs"), "--out", str(work / "gradients"),
         "--examples", "20" if QUICK else "200")  # fmt: skip
display(Image(filename=str(work / "gradients" / "gradients.png")))
