"""The length ladder: test rungs at doubling distances beyond training, streamed.

Every gated cell is perfect on `test` and `test_long`, so those splits cannot say where a
cell breaks. The ladder asks at doubling distances instead:

    rung      words between subject and verb
    31-60     (the default configuration trains on 14-30)
    61-120
    121-250
    251-500

Each rung's sentences come from the configuration's grammar at the rung's lengths (uniform
over them), each with at least one attractor (a sentence drawn with none is passed over),
and only from the buckets of `test_long` (splits.py): a rung sentence is longer than any
training sentence, and by its bucket it could not be in train, validation or test either.
Rungs are streamed, so a rung of any size takes the memory of one sentence at a time.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence

from datasets.agreement.config import MAX_DEPENDENCY_LENGTH, AgreementConfig, resolve_config
from datasets.agreement.sampling import draw_stream
from datasets.agreement.splits import split_of

Rung = tuple[int, int]
DEFAULT_RUNGS: tuple[Rung, ...] = ((31, 60), (61, 120), (121, 250), (251, 500))
# The split whose buckets the ladder draws from: a held-out test split.
LADDER_BUCKETS_OF = "test_long"


def rung_name(rung: Rung) -> str:
    return f"{rung[0]}-{rung[1]}"


def parse_rungs(text: str) -> tuple[Rung, ...]:
    """``"31-60,61-120"`` → ((31, 60), (61, 120)), in order (`check_rung_order`); a
    ValueError names what is wrong."""
    rungs = []
    for part in text.split(","):
        low, dash, high = part.strip().partition("-")
        if not dash or not low.isdigit() or not high.isdigit():
            raise ValueError(
                f"rungs must be comma-separated ranges of word counts like '31-60,61-120', "
                f"got {part.strip()!r} in {text!r}"
            )
        rungs.append((int(low), int(high)))
    return check_rung_order(rungs)


def check_rung_order(rungs: Sequence[Rung]) -> tuple[Rung, ...]:
    """The rungs as a tuple if each is a range low ≤ high and they are increasing and
    disjoint; else a one-line ValueError naming the rungs at fault.

    A rung holds both its ends, so touching rungs (121-250, 250-500) share a length: a
    sentence of 250 words would be in both, and the next rung must start at 251.
    """
    rungs = tuple((int(low), int(high)) for low, high in rungs)
    if not rungs:
        raise ValueError("rungs must name at least one range")
    for low, high in rungs:
        if low > high:
            raise ValueError(
                f"rungs must be ranges low-high with low <= high; got {rung_name((low, high))}"
            )
    for previous, rung in itertools.pairwise(rungs):
        names = f"{rung_name(previous)} then {rung_name(rung)}"
        if rung[0] < previous[0]:
            raise ValueError(f"rungs must be in increasing order, from the shortest; got {names}")
        if rung[0] < previous[1]:
            raise ValueError(
                f"rungs must not overlap; got {names}, which both hold "
                f"{rung_name((rung[0], min(rung[1], previous[1])))} words"
            )
        if rung[0] == previous[1]:
            raise ValueError(
                f"rungs must not touch (a rung holds both its ends); got {names}, which "
                f"both hold {rung[0]} words: start the next rung at {rung[0] + 1}"
            )
    return rungs


def ladder_rungs(config: AgreementConfig | str | None, rungs: Sequence[Rung] | None = None):
    """The rungs to test a model trained on ``config`` at.

    ``rungs=None``: the rungs of DEFAULT_RUNGS that start above the training maximum. Given
    rungs must be increasing and disjoint, not touching either (`check_rung_order`), above
    the training maximum, at most MAX_DEPENDENCY_LENGTH, and long enough to hold an
    attractor.
    """
    config = resolve_config(config)
    if config.grammar != "controlled":
        raise ValueError(
            f"the length ladder is built for the controlled grammar; this configuration uses "
            f"grammar={config.grammar!r}"
        )
    train_max = config.dependency_length[1]
    if rungs is None:
        chosen = tuple(rung for rung in DEFAULT_RUNGS if rung[0] > train_max)
        if not chosen:
            raise ValueError(
                f"rungs: every default rung {DEFAULT_RUNGS} overlaps training lengths "
                f"(up to {train_max}); give rungs above {train_max}"
            )
        return chosen
    rungs = check_rung_order(rungs)
    for low, high in rungs:
        if not train_max < low <= high <= MAX_DEPENDENCY_LENGTH:
            raise ValueError(
                f"rungs must be ranges above the training maximum {train_max} and at most "
                f"{MAX_DEPENDENCY_LENGTH}; got {rung_name((low, high))} in "
                f"{','.join(rung_name(r) for r in rungs)}"
            )
        if low < config.words_per_noun:
            raise ValueError(
                f"rungs: {rung_name((low, high))} cannot hold an attractor (one needs "
                f"{config.words_per_noun} words)"
            )
    return rungs


def iter_rung(
    config: AgreementConfig | str | None, rung: Rung, n: int | None = None, seed: int | None = None
) -> Iterator[dict]:
    """Stream ``n`` examples (endless if None) of one rung, deterministically: the same
    config, rung and seed give the same sentences, and asking for more never changes the
    first ones."""
    config = resolve_config(config)
    (rung,) = ladder_rungs(config, [rung])
    seed = config.seed if seed is None else seed
    rng = random.Random(f"agreement:{seed}:ladder:{rung_name(rung)}")
    stream = draw_stream(config, rng, rung)
    examples = (
        example
        for example in stream
        if example["n_attractors"] > 0 and split_of(example["tokens"]) == LADDER_BUCKETS_OF
    )
    for example in itertools.islice(examples, n):
        example["split"] = f"ladder:{rung_name(rung)}"
        yield example
