"""``python -m evaluate``: turns run directories into the benchmark's answers.

Owns the comparison report (accuracy by dependency length, attractors and construction,
with confidence intervals, across models and seeds), scoring on external minimal pairs,
and the analyses that show how gates remember (gates, units, gradients, trace, quiz), and a
page that shows them for a typed sentence (explore).
Uses ``zoo``, ``datasets`` and ``train``; nothing depends on it.

From Python, :func:`open_run` opens a trained run and answers the same questions as
data (:mod:`evaluate.trained_run`)::

    run = evaluate.open_run("runs/gru-seed0")
    run.predict_plural(["The keys to the cabinet", "The key to the cabinets"])
    run.trace("The cats, which already ate the fish, were full").rows()
    run.read("The cats, which already ate the fish, were").p_plural_at   # a verb at each word
"""

__all__ = ["TrainedRun", "open_run"]


def __getattr__(name):
    # Imported on first use: `python -m evaluate --help` imports this package and must
    # answer without loading TensorFlow or the training code.
    if name in __all__:
        from evaluate import trained_run

        return getattr(trained_run, name)
    raise AttributeError(f"module 'evaluate' has no attribute {name!r}")
