"""`evaluate.open_run`: a trained run asked from Python gives the numbers the model and
`zoo.trace` give, the same wherever it is read (P(plural), a trace, a pair's margin), and
refuses bad arguments in one line that names them. Its docstring examples run."""

import doctest

import numpy as np
import pytest

import evaluate


@pytest.fixture(scope="module")
def opened(tiny_run):
    _, run_dir, _ = tiny_run
    return evaluate.open_run(run_dir)


def test_the_docstring_examples_run_on_a_trained_run(tiny_run, opened):
    from evaluate import gradients, quiz, trained_run

    _, run_dir, _ = tiny_run
    globs = {"evaluate": evaluate, "run_dir": run_dir, "run": opened}
    for module in (trained_run, gradients, quiz):
        failed, attempted = doctest.testmod(module, extraglobs=globs, verbose=False)
        assert (failed, attempted > 0) == (0, True), module.__name__


def test_p_plural_is_the_models_softmax_and_what_trace_and_pairs_read(opened):
    beginnings = ["The dogs near the cat", "the dog near the cats ,"]
    p_plural = opened.predict_plural(beginnings)

    # The oracle: the model's own output on the normalised words, through a softmax.
    words = [["the", "dogs", "near", "the", "cat"], ["the", "dog", "near", "the", "cats", ","]]
    logits = opened.model.predict(opened.vocab.encode_batch(words), verbose=0).astype(np.float64)
    expected = np.exp(logits[:, 1]) / np.exp(logits).sum(-1)
    np.testing.assert_allclose(p_plural, expected, atol=1e-6)
    assert opened.predict_plural(beginnings[0]) == pytest.approx(expected[0], abs=1e-6)

    # A trace reads P(plural) after every word; after the last, it is the same number.
    for text, p in zip(beginnings, p_plural, strict=True):
        assert opened.trace(text, units=[0]).p_plural[-1] == pytest.approx(p, abs=1e-5)

    # A verb-contrast pair's margin is the log-odds of the good verb's number after the
    # words before it: logit(P(plural)) for a plural verb, its negative for a singular one.
    pairs = [("The dogs near the cat are here", "The dogs near the cat is here"),
             ("The dog near the cats, is here", "The dog near the cats, are here")]  # fmt: skip
    [scores] = opened.score_pairs(pairs)
    log_odds = np.log(p_plural / (1 - p_plural))
    np.testing.assert_allclose(scores.margins, [log_odds[0], -log_odds[1]], atol=1e-4)
    assert scores.scores.tolist() == [float(m > 0) for m in scores.margins]


def test_a_trace_holds_zoo_traces_values_for_the_chosen_units(opened):
    import zoo

    trace = opened.trace("The cats, which the dog chases, eat", units=[5, 2])
    assert trace.words == ("the", "cats", ",", "which", "the", "dog", "chases", ",", "eat")
    traced = zoo.trace(opened.model, opened.vocab.encode_batch([list(trace.words)]))["rnn_0"]
    for name in ("update", "reset", "candidate", "state"):
        np.testing.assert_allclose(getattr(trace, name), traced[name][0][:, [5, 2]], atol=1e-5)
    assert [(row["t"], row["unit"]) for row in trace.rows()[:3]] == [(0, 5), (0, 2), (1, 5)]


@pytest.mark.parametrize(
    ("call", "starts"),
    [
        (lambda run: run.trace("?!", units=[0]), "sentence: no words left"),
        (lambda run: run.trace("the dogs", units=[16]), "units: units are numbered 0..15"),
        (lambda run: run.trace("the dogs", layer="rnn_9"), "layer: invalid choice 'rnn_9'"),
        (lambda run: run.predict_plural(["the dogs", ""]), "sentences[1]: no words left"),
        (lambda run: run.gate_saturation(split="train"), "split: invalid choice 'train'"),
        (lambda run: run.number_units(examples=0), "examples: expected a positive integer"),
        (lambda run: run.score_pairs([("a b", "c d")], oov="drop"), "oov: invalid choice"),
        (lambda run: run.score_pairs([{"sentence_good": 3}]), "pairs: pairs has no valid"),
    ],
)
def test_a_bad_argument_is_a_one_line_value_error_naming_it(opened, call, starts):
    with pytest.raises(ValueError) as refused:
        call(opened)
    message = str(refused.value)
    assert message.startswith(starts) and "\n" not in message


def test_a_run_of_another_task_is_refused_by_what_it_cannot_answer(relabelled_run):
    lm_run = evaluate.open_run(relabelled_run("lm"))
    with pytest.raises(ValueError, match=r"^RUN_DIR: .* 'lm' task; predict_plural needs .*number"):
        lm_run.predict_plural(["the dogs"])
    with pytest.raises(ValueError, match=r"^RUN_DIR: .* 'lm' task; units needs"):
        lm_run.number_units()
