"""‖∂loss/∂c⟨t⟩‖ by step: Γu ≈ 0 carries the gradient back; a contracting simple RNN loses it."""

import numpy as np
import pytest

from train.config import TrainConfig
from train.gradient_norms import norms_by_distance, state_gradient_norms
from train.model import build_model

TOKENS = np.array([[3, 4, 5, 6, 7, 8, 9, 2], [5, 5, 5, 0, 0, 0, 0, 0]], dtype="int32")
LABELS = np.array([1, 0])


def tiny_model(name, layers=1):
    config = TrainConfig(model=name, units=4, embed_dim=3, layers=layers, jit=False)
    return build_model(config, vocab_size=10)


def test_norms_have_one_value_per_step_and_nan_on_padding():
    norms = state_gradient_norms(tiny_model("gru"), TOKENS, LABELS)
    assert norms.shape == TOKENS.shape
    assert np.all(np.isfinite(norms[0])) and np.all(norms[0] > 0)
    assert np.all(np.isfinite(norms[1, :3])) and np.all(np.isnan(norms[1, 3:]))


def test_a_closed_update_gate_carries_the_gradient_back_undiminished():
    model = tiny_model("gru")
    cell = model.get_layer("rnn_0").cell
    bias = np.zeros(cell.bias.shape, "float32")
    bias[: cell.units] = -30.0  # Γu = σ(−30) ≈ 0: c⟨t⟩ = c⟨t−1⟩ at every step
    cell.bias.assign(bias)
    norms = state_gradient_norms(model, TOKENS[:1], LABELS[:1])[0]
    np.testing.assert_allclose(norms, norms[-1], rtol=1e-4)


def test_a_contracting_simple_rnn_loses_the_gradient_with_distance():
    model = tiny_model("simple_rnn")
    cell = model.get_layer("rnn_0").cell
    cell.recurrent_kernel.assign(0.1 * np.eye(cell.units, dtype="float32"))
    norms = state_gradient_norms(model, TOKENS[:1], LABELS[:1])[0]
    assert np.all(np.diff(norms) > 0)
    assert norms[0] < 1e-5 * norms[-1]


@pytest.mark.parametrize("name", ["lstm", "keras_gru", "simplified_gru"])
def test_every_cell_kind_and_stacked_layers_give_finite_norms(name):
    norms = state_gradient_norms(tiny_model(name, layers=2), TOKENS, LABELS)
    assert np.all(np.isfinite(norms[0])) and np.all(norms[0] > 0)


def test_norms_are_grouped_by_distance_to_the_verb():
    norms = np.array([[1.0, 2.0, 3.0], [5.0, 7.0, np.nan]])
    assert norms_by_distance(norms, verb_index=np.array([3, 2])) == {1: 5.0, 2: 3.5, 3: 1.0}
