"""Evaluation conditions as data: which split, which property of a sentence, which buckets.

A :class:`Condition` slices a test split by one property of its sentences
(:data:`KEYS`), value by value or in buckets of values. Adding a condition
to :data:`CONDITIONS` (or a property to :data:`KEYS`) never touches scoring:
:func:`tally` counts hits per group for any condition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# Properties of a generated sentence that a condition can group by.
KEYS: dict[str, Callable[[dict], object]] = {
    "all": lambda example: "all",
    "dependency_length": lambda example: example["dependency_length"],
    "n_attractors": lambda example: example["n_attractors"],
    # The construction attached to the subject ("object_relative" in
    # "the cats that the dog chases …"); nested ones follow it after "+".
    "construction": lambda example: example["construction"].split("+")[0],
    "verb_kind": lambda example: example["verb_kind"],
    # The tested verb's role: the nested grammar's "main", "embedded_1", …, or the english
    # grammar's "complement", "object_relative", … (None, so not counted, for the controlled
    # grammar); for nested sentences also with how many agreements open ("k=2 main").
    "verb_role": lambda example: example.get("verb_role"),
    "nested_verb": lambda example: (
        f"k={example['nested_dependencies']} {example['verb_role']}"
        if "nested_dependencies" in example
        else None
    ),
}

# Bucket edges for dependency lengths: [0, 5), [5, 10), … up to the generator's maximum.
LENGTH_BUCKETS = (0, 5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 120, 201, 251, 501)


@dataclass(frozen=True)
class Condition:
    """One way to slice a split: ``KEYS[key]`` of each sentence, optionally bucketed.

    ``buckets`` are increasing edges; a value v falls in [edges[i], edges[i + 1]).
    """

    split: str
    key: str
    buckets: tuple[int, ...] | None = None

    @property
    def grouping(self) -> str:
        """The grouping's name without the split: ``dependency_length_bucket``."""
        return self.key + ("_bucket" if self.buckets else "")

    @property
    def name(self) -> str:
        return f"{self.split}/{self.grouping}"

    def group_of(self, example: dict) -> tuple | None:
        """(sort key, label) of the sentence's group; None if the key does not apply to it."""
        value = KEYS[self.key](example)
        if value is None:
            return None
        if self.buckets is None:
            return (0, value, str(value)) if isinstance(value, int) else (1, 0, str(value))
        for low, high in zip(self.buckets, self.buckets[1:], strict=False):
            if low <= value < high:
                return (0, low, f"{low}-{high - 1}")
        raise ValueError(f"{self.name}: value {value!r} lies outside the buckets {self.buckets}")


SPLITS = ("test", "test_long")
GROUPINGS = (
    ("all", None),
    ("dependency_length", None),
    ("dependency_length", LENGTH_BUCKETS),
    ("n_attractors", None),
    ("construction", None),
    ("verb_kind", None),
    ("verb_role", None),
    ("nested_verb", None),
)
# test_attractors: sentences of training lengths with 0, 1, …, k attractors in equal numbers,
# so that every attractor count is measured on as many sentences.
BALANCED_ATTRACTORS = (
    Condition("test_attractors", "all"),
    Condition("test_attractors", "n_attractors"),
)
CONDITIONS = (
    tuple(Condition(split, key, buckets) for split in SPLITS for key, buckets in GROUPINGS)
    + BALANCED_ATTRACTORS
)


def tally(condition: Condition, examples, correct) -> dict[str, tuple[int, int]]:
    """{group label: (hits, count)} in the groups' natural order (numbers ascending)."""
    correct = np.asarray(correct, dtype=bool)
    if len(correct) != len(examples):
        raise ValueError(f"got {len(correct)} scores for {len(examples)} examples")
    counts: dict[tuple, list[int]] = {}
    for example, is_correct in zip(examples, correct, strict=True):
        group = condition.group_of(example)
        if group is None:
            continue
        entry = counts.setdefault(group, [0, 0])
        entry[0] += int(is_correct)
        entry[1] += 1
    return {group[-1]: (hits, count) for group, (hits, count) in sorted(counts.items())}
