"""Named sweeps, as data: the models a sweep of that name trains and its seeds per model.

    python -m train --sweep quiz --run-dir runs/quiz        # 4 models × 3 seeds
    python -m train --sweep quiz --seeds 1 --epochs 1 --dataset-config tiny

A preset names models and a number of seeds only (``--seeds`` overrides the number); every
other setting is a flag, a ``--config`` key or a default, as for any sweep, and the sweep
itself is :func:`train.sweep.run_sweep`. Reports on a preset's runs belong to ``evaluate``
(``python -m evaluate quiz`` reads the quiz's).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SweepPreset:
    models: tuple[str, ...]  # registry names (zoo.names()), trained in this order
    seeds: int  # seeds per model, from --seed on
    about: str  # what the sweep asks, for --help


SWEEP_PRESETS = {
    "quiz": SweepPreset(
        models=("gru", "gru_no_update_gate", "gru_no_reset_gate", "simple_rnn"),
        seeds=3,
        about="the course's quiz on simplifying the GRU: the full GRU, the GRU without "
        "its update gate, without its reset gate, and a simple RNN",
    ),
}
