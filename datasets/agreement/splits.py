"""Splits that share no sentence, by construction.

Every sentence has a bucket: a stable hash (CRC-32 of its space-joined tokens, the same on
every machine and Python, unlike the salted built-in `hash()`) modulo 100. Each split owns
its own buckets, and a split keeps only sentences from its buckets, so no sentence can be in
two splits whatever is drawn. Within its buckets a split's examples follow the distribution
it is drawn from:

    split            buckets  drawn from
    train            0-59     dependency_length, the config's attractor setting
    validation       60-69    same as train
    test             70-79    same as train
    test_long        80-89    long_dependency_length (all longer than any training length)
    test_attractors  90-99    0..attractor_test_max attractors in turn, training lengths
"""

from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Iterator

from datasets.agreement.config import AgreementConfig, resolve_config
from datasets.agreement.sampling import draw_stream

SPLITS = ("train", "validation", "test", "test_long", "test_attractors")
_BUCKETS = {
    "train": range(0, 60),
    "validation": range(60, 70),
    "test": range(70, 80),
    "test_long": range(80, 90),
    "test_attractors": range(90, 100),
}
N_BUCKETS = 100


def sentence_bucket(tokens: list[str]) -> int:
    """The sentence's bucket in [0, 100): stable across machines and runs."""
    return zlib.crc32(" ".join(tokens).encode("utf-8")) % N_BUCKETS


def split_of(tokens: list[str]) -> str:
    """The only split a sentence may appear in."""
    bucket = sentence_bucket(tokens)
    return next(name for name, buckets in _BUCKETS.items() if bucket in buckets)


def iter_split(
    config: AgreementConfig | str | None,
    split: str,
    n: int | None = None,
    seed: int | None = None,
) -> Iterator[dict]:
    """Stream `n` examples (endless if None) of one split, deterministically."""
    config = resolve_config(config)
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
        raise ValueError(f"n must be a non-negative integer or None, got {n!r}")
    seed = config.seed if seed is None else seed
    # Each split draws from its own random stream, so asking for more examples of one split
    # never changes another's.
    rng = random.Random(f"agreement:{seed}:{split}")
    if split == "test_attractors":
        # One stream per attractor count, taken in turn: exactly balanced over 0..k.
        streams = [
            _in_split(draw_stream(config, rng, config.dependency_length, k), split)
            for k in range(config.attractor_test_max + 1)
        ]
        examples = (next(stream) for stream in itertools.cycle(streams))
    else:
        lengths = config.long_dependency_length if split == "test_long" else None
        examples = _in_split(draw_stream(config, rng, lengths or config.dependency_length), split)
    yield from itertools.islice(examples, n)


def _in_split(stream: Iterator[dict], split: str) -> Iterator[dict]:
    buckets = _BUCKETS[split]
    low, high, crc32 = buckets.start, buckets.stop, zlib.crc32
    for example in stream:
        if low <= crc32(" ".join(example["tokens"]).encode("utf-8")) % N_BUCKETS < high:
            example["split"] = split
            yield example


def load_split(
    config: AgreementConfig | str | None,
    split: str,
    n: int,
    seed: int | None = None,
) -> list[dict]:
    """`n` deterministic examples of `split` (see the module docstring for the splits).

    `test_attractors` cycles through 0..attractor_test_max attractors, so any `n` that is a
    multiple of `attractor_test_max + 1` is exactly balanced.
    """
    return list(iter_split(config, split, n, seed))
