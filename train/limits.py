"""Checks a config must pass before a run directory is created.

:class:`~train.config.TrainConfig` checks each field alone; these need the dataset
config or the machine: does ``--max-train-length`` fit the dataset config, and does the
training fit in this machine's memory. A config that fails them would otherwise crash
after the run directory exists, or swap for minutes before being killed.
"""

from __future__ import annotations

import os

from train.config import TrainConfig

# Estimates for the memory check; each errs large, so a refused config would not have
# fitted, and a config that fits is never refused for want of a few per cent.
BYTES_PER_NUMBER = 4  # float32 weights and activations
COPIES_PER_WEIGHT = 4  # the weight, its gradient and Adam's two moments
MOST_GATES = 4  # LSTM's, the most of any zoo cell (GRU 3, simplified GRU 2)
VOCABULARY_SIZE = 20_000  # english's open vocabulary; the generated ones have about 300
# A training sentence as Python objects (measured about 1.6 KB on `default`) plus its
# padded arrays.
BYTES_PER_TRAINING_SENTENCE = 2048


def check_before_creating(config: TrainConfig) -> None:
    """Raises ValueError, one line naming the flag, if ``config`` cannot train here."""
    check_dataset_lengths(config)
    check_memory(config, physical_memory_bytes())


def check_dataset_lengths(config: TrainConfig) -> None:
    from train.run_contract import dataset_config

    try:
        dataset_config(config)
    except ValueError as error:
        valid = _valid_max_train_lengths(config)
        hint = f"valid values: {valid[0]} to {valid[-1]}" if valid else "no value fits"
        raise ValueError(
            f"--max-train-length: {config.max_train_length} does not fit dataset config "
            f"{config.dataset_config!r} ({hint}; {str(error).removeprefix('--max-train-length: ')})"
        ) from None


def _valid_max_train_lengths(config: TrainConfig) -> list[int]:
    import dataclasses

    from datasets.agreement.config import MAX_DEPENDENCY_LENGTH
    from train.run_contract import dataset_config

    valid = []
    for length in range(1, MAX_DEPENDENCY_LENGTH + 1):
        try:
            dataset_config(dataclasses.replace(config, max_train_length=length))
        except ValueError:
            continue
        valid.append(length)
    return valid


def physical_memory_bytes() -> int:
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def memory_needs(config: TrainConfig) -> dict[str, int]:
    """Estimated bytes of training, by the flag that drives each part."""
    from train.run_contract import dataset_config

    data = dataset_config(config)
    # Longest input: a sentence of test_long, about twice its dependency length in words.
    longest = 2 * data.long_dependency_length[1] + 16
    recurrent = 0
    inputs = config.embed_dim
    for _ in range(config.layers):
        recurrent += MOST_GATES * (inputs * config.units + config.units**2 + 2 * config.units)
        inputs = config.units
    weight_bytes = BYTES_PER_NUMBER * COPIES_PER_WEIGHT
    return {
        "--units": recurrent * weight_bytes,
        "--embed-dim": VOCABULARY_SIZE * config.embed_dim * weight_bytes,
        # Kept per time step for backpropagation: gates, state and input of every layer.
        "--batch-size": config.batch_size
        * longest
        * config.layers
        * (MOST_GATES + 2)
        * max(config.units, config.embed_dim)
        * BYTES_PER_NUMBER,
        "--train-size": config.train_size * BYTES_PER_TRAINING_SENTENCE,
    }


def check_memory(config: TrainConfig, available: int) -> None:
    needs = memory_needs(config)
    total = sum(needs.values())
    if total <= available:
        return
    flag = _culprit(config, needs)
    value = getattr(config, _field(flag))
    raise ValueError(
        f"{flag}: {value} needs about {_size(total)} of memory to train, more than this "
        f"machine's {_size(available)}; use a smaller {flag}"
    )


def _field(flag: str) -> str:
    return flag.removeprefix("--").replace("-", "_")


def _culprit(config: TrainConfig, needs: dict[str, int]) -> str:
    """The flag whose value, set back to its default, saves the most memory.

    The parts multiply flags together (activations grow with the batch and the width),
    so the largest part does not always name the flag that was set too high.
    """
    import dataclasses

    defaults = {spec.name: spec.default for spec in dataclasses.fields(TrainConfig)}

    def total_with_default(flag):
        field = _field(flag)
        return sum(memory_needs(dataclasses.replace(config, **{field: defaults[field]})).values())

    return min(needs, key=total_with_default)


def _size(n_bytes: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n_bytes < 1024 or unit == "PiB":
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024
    raise AssertionError("unreachable")
