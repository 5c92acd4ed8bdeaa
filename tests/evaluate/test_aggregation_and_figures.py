"""Runs of one model are pooled the way quiz pools them, and figures leave pyplot alone."""

import numpy as np
import pytest


def test_gradient_norms_of_several_runs_pool_to_the_geometric_mean_of_their_ratios():
    from evaluate.gradients import _mean_by_model

    runs = {"seed0": {1: 1.0, 53: 1e-12}, "seed1": {1: 10.0, 53: 0.5}}
    rows = [
        {
            "model": "simple_rnn",
            "run": run,
            "distance": d,
            "gradient_norm": norm,
            "mean_update": np.nan,
            "sentences": 1,
        }
        for run, profile in runs.items()
        for d, norm in profile.items()
    ]
    pooled = {r["distance"]: r["gradient_norm"] for r in _mean_by_model(rows)["simple_rnn"]}
    ratios = [profile[53] / profile[1] for profile in runs.values()]
    assert pooled[53] / pooled[1] == pytest.approx(np.exp(np.mean(np.log(ratios))))


def test_drawing_a_figure_leaves_pyplots_backend_and_figures_alone():
    import matplotlib
    from matplotlib import pyplot

    from evaluate import plots

    backend, open_figures = matplotlib.get_backend(), pyplot.get_fignums()
    figure, axes = plots.subplots(1, 2, figsize=(4, 2))
    axes[0].plot([0, 1], [1, 0])
    assert plots.png_bytes(figure)[:4] == b"\x89PNG"
    assert matplotlib.get_backend() == backend and pyplot.get_fignums() == open_figures
