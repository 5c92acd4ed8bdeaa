"""Examples drawn from a config's grammar: the one module that knows every grammar.

Each grammar's module (grammar.py, nested.py, english.py) holds its sentence generator and
imports no other grammar's; `GENERATORS` names the generator of each, and `draw_stream`
turns any of them into the endless stream that splits, ladders and `generate` read. Every
generator has `sentence(rand, length, attractors, label, p_attractor)`, so drawing lengths,
labels and attractor counts is the same code for all.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from datasets.agreement.config import AgreementConfig, resolve_config
from datasets.agreement.english import EnglishSentenceGenerator
from datasets.agreement.grammar import SentenceGenerator
from datasets.agreement.nested import NestedSentenceGenerator

GENERATORS = {
    "controlled": SentenceGenerator,
    "english": EnglishSentenceGenerator,
    "nested": NestedSentenceGenerator,
}


def make_generator(config: AgreementConfig):
    """The sentence generator of the config's grammar."""
    return GENERATORS[config.grammar](config)


def draw_stream(
    config: AgreementConfig,
    rng: random.Random,
    length_range: tuple[int, int],
    fixed_attractors: int | None = None,
) -> Iterator[dict]:
    """Endless examples. With `fixed_attractors=k`, every sentence has exactly k attractors
    and a length uniform over the lengths in `length_range` that can hold them."""
    generator = make_generator(config)
    rand = rng.random
    low, high = length_range
    per_noun = config.words_per_noun
    p_plural, p_attractor = config.plural_probability, config.attractor_probability
    exact = config.attractors
    sentence = generator.sentence
    while True:
        label = 1 if rand() < p_plural else 0
        if fixed_attractors is not None:
            k = fixed_attractors
            lo = max(low, k * per_noun)
            length = lo + int(rand() * (high - lo + 1))
        else:
            length = low + int(rand() * (high - low + 1))
            k = None
            if exact is not None:
                k_high = min(exact[1], length // per_noun)
                k = exact[0] + int(rand() * (k_high - exact[0] + 1))
        yield sentence(rand, length, k, label, p_attractor)


def iter_examples(
    n: int | None = None,
    seed: int | None = None,
    config: AgreementConfig | str | None = None,
    **config_overrides,
) -> Iterator[dict]:
    """Stream `n` examples (endless if None) from the training distribution, in bounded
    memory. The same seed and config always give the same examples."""
    config = resolve_config(config, **config_overrides)
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
        raise ValueError(f"n must be a non-negative integer or None, got {n!r}")
    seed = config.seed if seed is None else seed
    stream = draw_stream(config, random.Random(f"agreement:{seed}"), config.dependency_length)
    if n is None:
        yield from stream
        return
    for _ in range(n):
        yield next(stream)


def generate(
    n: int,
    seed: int | None = None,
    config: AgreementConfig | str | None = None,
    **config_overrides,
) -> list[dict]:
    """`n` examples as a list: `list(iter_examples(n, seed, config, **config_overrides))`.

    `seed=None` uses `config.seed` (0 by default). Overrides are fields of the config's
    grammar, e.g. `generate(100, dependency_length=(10, 12), attractors=2)`; a field of
    another grammar is refused.
    """
    return list(iter_examples(n, seed, config, **config_overrides))
