"""`TrainedRun.read`: a sentence word by word, as the explorer shows it. Its quantities are
`zoo.trace`'s, P(plural) at a word is the model's answer after the words before it, a clamp
from a word on changes only what comes after, clamping to a unit's mean from the first word
is the ablation of `evaluate units`, and it works for LSTMs, Keras GRUs and two layers."""

import doctest

import keras
import numpy as np
import pytest

import evaluate
import zoo
from evaluate.reading import Clamp
from evaluate.stack_stepping import run_stack
from train.scoring import at_last_word

# A sentence of the tiny grammar: a plural subject, an attractor, a relative clause.
SENTENCE = "the children of the city that the mouse knows especially"


def test_a_reading_holds_zoo_traces_values_and_p_plural_of_a_verb_at_each_word(opened_tiny_run):
    run = opened_tiny_run
    reading = run.read(SENTENCE, units=[5, 2])
    assert reading.words == tuple(SENTENCE.split()) and reading.units == (5, 2)
    traced = zoo.trace(run.model, run.vocab.encode_batch([list(reading.words)]))["rnn_0"]
    assert list(reading.quantities) == ["update", "reset", "candidate", "state"]
    for name, values in reading.quantities.items():
        np.testing.assert_allclose(values, traced[name][0][:, [5, 2]], atol=1e-5)
    # Under word t: the answer for a verb there, read from words 0..t-1.
    expected = [run.predict_plural(" ".join(reading.words[:t])) for t in range(1, 10)]
    assert np.isnan(reading.p_plural_at[0])
    np.testing.assert_allclose(reading.p_plural_at[1:], expected, atol=1e-5)
    ranking = run.unit_ranking()
    default = run.read(SENTENCE)
    assert default.units == tuple(int(u) for u in ranking.order[:6])
    assert default.unit_r == tuple(float(ranking.r_span[u]) for u in default.units)
    assert [(row["t"], row["unit"]) for row in default.rows()[:2]] == [(0, default.units[0]),
                                                                      (0, default.units[1])]  # fmt: skip


def test_clamping_from_the_first_word_to_the_mean_is_what_evaluate_units_does(opened_tiny_run):
    run = opened_tiny_run
    ranking = run.unit_ranking()
    top = int(ranking.order[0])
    for example in run.examples("test", 4):
        words = example["tokens"][: example["verb_index"]]
        reading = run.read(" ".join(words), clamp=Clamp(top, float(ranking.mean[top])))
        # evaluate units' ablation: the unit clamped to its mean at every step.
        logits, _ = run_stack(
            run.model, run.vocab.encode_batch([words]), {"rnn_0": ([top], ranking.mean[[top]])}
        )
        logits = at_last_word(logits, run.vocab.encode_batch([words]))[0].astype(np.float64)
        expected = np.exp(logits[1]) / np.exp(logits).sum()
        assert reading.p_plural[-1] == pytest.approx(expected, abs=1e-5)
        assert reading.p_plural_unclamped[-1] == pytest.approx(
            run.predict_plural(" ".join(words)), abs=1e-5
        )


def test_a_clamp_from_a_word_on_changes_only_what_comes_after(opened_tiny_run):
    run = opened_tiny_run
    top = int(run.unit_ranking().order[0])
    plain = run.read(SENTENCE, units=[top])
    clamped = run.read(SENTENCE, units=[top], clamp=Clamp(top, 0.25, start=4))
    np.testing.assert_allclose(clamped.p_plural[:4], plain.p_plural[:4], atol=1e-6)
    np.testing.assert_allclose(clamped.p_plural_unclamped, plain.p_plural, atol=1e-6)
    np.testing.assert_allclose(clamped.quantities["state"][4:, 0], 0.25, atol=1e-6)
    assert np.abs(clamped.p_plural[4:] - plain.p_plural[4:]).max() > 1e-3
    assert clamped.to_json()["clamp"] == {"units": [top], "values": [0.25], "start": 4}


def test_several_units_are_clamped_together_each_to_its_value(opened_tiny_run):
    run = opened_tiny_run
    ranking = run.unit_ranking()
    top_3 = [int(u) for u in ranking.order[:3]]
    values = [0.25, -0.5, 0.75]
    clamped = run.read(SENTENCE, units=top_3, clamp=Clamp(top_3, values, start=2))
    states = clamped.quantities["state"]
    np.testing.assert_allclose(states[2:], np.broadcast_to(values, states[2:].shape), atol=1e-6)
    # One value for them all.
    one_value = run.read(SENTENCE, units=top_3, clamp=Clamp(top_3, 0.25, start=2))
    np.testing.assert_allclose(one_value.quantities["state"][2:], 0.25, atol=1e-6)
    assert clamped.clamp == Clamp(tuple(top_3), tuple(values), 2)
    assert clamped.to_json()["clamp"] == {"units": top_3, "values": values, "start": 2}


@pytest.fixture
def one_unit_run(run_copy, opened_tiny_run):
    """A copy of the tiny run whose head reads its top number unit only: logit(plural) −
    logit(singular) grows with that unit's distance from the midpoint of its singular and
    plural means. A run where `evaluate units` finds one unit carrying the number."""
    ranking = opened_tiny_run.unit_ranking()
    top = int(ranking.order[0])
    singular, plural = ranking.mean_singular[top], ranking.mean_plural[top]
    slope = 10.0 * np.sign(plural - singular)
    model = keras.saving.load_model(run_copy / "model.keras")
    head = model.get_layer("logits")
    kernel = np.zeros(head.kernel.shape, "float32")
    kernel[top] = [-slope / 2, slope / 2]
    middle = (singular + plural) / 2
    head.kernel.assign(kernel)
    head.bias.assign(np.array([slope * middle / 2, -slope * middle / 2], "float32"))
    model.save(run_copy / "model.keras")
    return run_copy, top


def test_clamping_the_unit_that_carries_the_number_to_its_singular_mean_flips_p_plural(
    one_unit_run,
):
    run_dir, top = one_unit_run
    run = evaluate.open_run(run_dir)
    found = run.number_units(examples=200, top=[1], random_draws=1)
    assert int(found.order[0]) == top and "one unit carries the number" in found.text()
    ranking = run.unit_ranking()
    plural = [e for e in run.examples("test", 40) if e["label"] == 1][:3]
    for example in plural:
        words = example["tokens"][: example["verb_index"]]
        clamp = Clamp(top, float(ranking.mean_singular[top]), start=example["subject_index"])
        reading = run.read(" ".join(words), clamp=clamp)
        assert reading.p_plural_unclamped[-1] > 0.5 > reading.p_plural[-1], words


@pytest.mark.parametrize(
    ("model", "layers", "quantities"),
    [("lstm", 2, {"state": "a", "state_1": "c"}),
     ("keras_gru", 1, {"update": "Γu", "reset": "Γr", "candidate": "c̃", "state": "c"})],
)  # fmt: skip
def test_keras_lstm_and_gru_runs_and_two_layers_are_read(rebuilt_run, model, layers, quantities):
    run = evaluate.open_run(rebuilt_run(model, model=model, layers=layers, units=6, jit=False))
    reading = run.read(SENTENCE, units=[0, 3])
    assert reading.layers == tuple(f"rnn_{i}" for i in range(layers))
    assert reading.layer == reading.layers[-1] and reading.symbols == quantities
    ids = run.vocab.encode_batch([list(reading.words)])
    if "update" in quantities:  # Keras's GRU in the course's convention, as zoo.trace gives it
        traced = zoo.trace(run.model, ids)[reading.layer]
        np.testing.assert_allclose(reading.quantities["update"], traced["update"][0][:, [0, 3]],
                                   atol=1e-5)  # fmt: skip
    _, states = run_stack(run.model, ids)
    np.testing.assert_allclose(reading.quantities["state"], states[reading.layer][0][:, [0, 3]],
                               atol=1e-5)  # fmt: skip
    # A clamp in the first layer reaches the head through the layers above it.
    clamped = run.read(SENTENCE, layer="rnn_0", clamp=Clamp(1, 0.9, start=2))
    assert clamped.layer == "rnn_0"
    assert np.abs(clamped.p_plural[2:] - clamped.p_plural_unclamped[2:]).max() > 1e-6


@pytest.mark.parametrize(
    ("arguments", "starts"),
    [
        (dict(units=[16]), "units: units are numbered 0..15"),
        (dict(units=[]), "units: expected at least one unit"),
        (dict(top_units=0), "top_units: expected a positive integer"),
        (dict(layer="rnn_3"), "layer: invalid choice 'rnn_3'"),
        (dict(clamp=Clamp(16, 0.0)), "clamp: units are numbered 0..15"),
        (dict(clamp=Clamp(0, float("nan"))), "clamp: expected a finite value"),
        (dict(clamp=Clamp(0, 0.0, start=3)), "clamp: the sentence's words are numbered 0..2"),
        (dict(clamp=(0, 0.0)), "clamp: expected a Clamp(units, values, start)"),
        (dict(clamp=Clamp((0, 1), (0.0, 1.0, 2.0))), "clamp: expected one value, or one per"),
        (dict(clamp=Clamp((2, 2), 0.0)), "clamp: each unit once, got (2, 2)"),
        (dict(clamp=Clamp((), 0.0)), "clamp: units are numbered 0..15, got ()"),
    ],
)
def test_a_bad_argument_is_a_one_line_value_error_naming_it(opened_tiny_run, arguments, starts):
    with pytest.raises(ValueError) as refused:
        opened_tiny_run.read("the dogs know", **arguments)
    assert str(refused.value).startswith(starts) and "\n" not in str(refused.value)


def test_the_docstring_examples_run(opened_tiny_run):
    from evaluate import reading

    globs = {"run": opened_tiny_run}
    failed, attempted = doctest.testmod(reading, extraglobs=globs, verbose=False)
    assert (failed, attempted > 0) == (0, True)
