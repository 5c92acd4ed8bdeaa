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

A split is a sequence of random streams of `EXAMPLES_PER_STREAM` examples each, every one
seeded by the split, the seed and its place. Several processes can then draw one split's
streams side by side and give the same examples as one process (`load_splits`), and the
first `EXAMPLES_PER_STREAM` examples of a split never depend on how many are asked for.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import multiprocessing
import random
import signal
import threading
import zlib
from collections.abc import Iterator, Mapping

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
# Large enough that every split of the controlled configurations, the TFDS builder's and
# the tests' is one stream; small enough that the english preset's 300,000-odd training
# sentences are several, for two or more processes to share.
EXAMPLES_PER_STREAM = 50_000


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
    _check(split, n)
    seed = config.seed if seed is None else seed
    per_stream = _examples_per_stream(config, split)
    examples = itertools.chain.from_iterable(
        itertools.islice(_stream(config, split, seed, index), per_stream)
        for index in itertools.count()
    )
    yield from itertools.islice(examples, n)


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


def load_splits(
    config: AgreementConfig | str | None,
    sizes: Mapping[str, int],
    seed: int | None = None,
    processes: int = 1,
) -> dict[str, list[dict]]:
    """`{split: load_split(config, split, n, seed)}` for each `split: n` of `sizes`, drawn
    by up to `processes` processes. Starting processes costs seconds (each builds the
    lexicon), so they are used only where a split spans more than one stream; the examples
    are the same either way. The processes are spawned, so a script that asks for more
    than one calls this under `if __name__ == "__main__":`, as multiprocessing requires."""
    config = resolve_config(config)
    seed = config.seed if seed is None else seed
    parts = []  # (split, stream index, examples wanted from it)
    for split, n in sizes.items():
        _check(split, n, endless_ok=False)
        per_stream = _examples_per_stream(config, split)
        parts += [
            (split, index, min(per_stream, n - index * per_stream))
            for index in range(-(-n // per_stream))
        ]
    draw = functools.partial(_draw_part, config, seed)
    if processes <= 1 or len(parts) <= len(sizes):
        drawn = [draw(part) for part in parts]
    else:
        # "spawn": the caller may have started TensorFlow's threads, which a fork would
        # copy without their owners. Leaving the block (an error, Ctrl-C, SIGTERM)
        # terminates the workers at once.
        with _ctrl_c_ignored():  # by the workers, whose start inherits it: the caller reports
            pool = multiprocessing.get_context("spawn").Pool(min(processes, len(parts)))
        with pool:
            drawn = pool.map(draw, parts, chunksize=1)
    splits: dict[str, list[dict]] = {split: [] for split in sizes}
    for (split, _index, _k), examples in zip(parts, drawn, strict=True):
        splits[split] += examples
    return splits


@contextlib.contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """SIGINT ignored for the moment processes start (only the main thread may change it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _check(split: str, n, endless_ok: bool = True) -> None:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    if n is None and endless_ok:
        return
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        endless = " or None" if endless_ok else ""
        raise ValueError(f"n must be a non-negative integer{endless}, got {n!r}")


def _examples_per_stream(config: AgreementConfig, split: str) -> int:
    if split == "test_attractors":  # whole cycles of 0..k attractors: balance holds
        cycle = config.attractor_test_max + 1
        return max(EXAMPLES_PER_STREAM - EXAMPLES_PER_STREAM % cycle, cycle)
    return EXAMPLES_PER_STREAM


def _stream(config: AgreementConfig, split: str, seed: int, index: int) -> Iterator[dict]:
    """Endless examples of the split's stream number `index`. Each split, and each stream
    of it, has its own random generator, so asking for more examples of one never changes
    another's."""
    name = f"agreement:{seed}:{split}" + (f":{index}" if index else "")
    rng = random.Random(name)
    if split == "test_attractors":
        # One stream per attractor count, taken in turn: exactly balanced over 0..k.
        streams = [
            _in_split(draw_stream(config, rng, config.dependency_length, k), split)
            for k in range(config.attractor_test_max + 1)
        ]
        return (next(stream) for stream in itertools.cycle(streams))
    lengths = config.long_dependency_length if split == "test_long" else None
    return _in_split(draw_stream(config, rng, lengths or config.dependency_length), split)


def _draw_part(config: AgreementConfig, seed: int, part: tuple[str, int, int]) -> list[dict]:
    """A process's share of `load_splits`: the first n examples of one split's stream,
    for `part` = (split, stream index, n)."""
    split, index, n = part
    return list(itertools.islice(_stream(config, split, seed, index), n))


def _in_split(stream: Iterator[dict], split: str) -> Iterator[dict]:
    buckets = _BUCKETS[split]
    low, high, crc32 = buckets.start, buckets.stop, zlib.crc32
    for example in stream:
        if low <= crc32(" ".join(example["tokens"]).encode("utf-8")) % N_BUCKETS < high:
            example["split"] = split
            yield example
