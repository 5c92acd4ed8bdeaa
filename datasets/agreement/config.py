"""The grammars' configurations: everything that changes the generated sentences.

A configuration is data only: a frozen dataclass per grammar, holding only the fields that
grammar reads, on a shared base, `AgreementConfig`, with what every grammar has (dependency
lengths, attractors, plural share, lexicon size, verb kinds, seed):

    ControlledConfig  the benchmark's grammar (grammar.py), a small lexicon of unambiguous
                      forms, spans built of PPs and relative clauses, fronted clauses
    NestedConfig      centre-embedded object relatives with agreements of their own
                      (nested.py, Lakretz et al. 2019)
    EnglishConfig     ordinary written English (english.py), thousands of lemmas, names,
                      pronouns, number-marked determiners, auxiliaries and contractions

Every field is checked in `__post_init__` of the class that holds it; an impossible value or
combination raises a one-line `ValueError` that names the field and its valid values, before
anything is generated or written. A field of another grammar is refused the same way
(`replace`, `from_dict`, the overrides of `generate`), never silently ignored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from datasets.agreement.english_lexicon import MAX_ENGLISH_LEXICON_SIZE
from datasets.agreement.lexicon import MAX_LEXICON_SIZE

# Constructions that fill the span between the subject and its verb (weights pick one).
CONSTRUCTIONS = ("pp", "subject_relative", "object_relative")
# Agreeing verbs: is/are, was/were, has/have, or a lexical present (eats/eat).
VERB_KINDS = ("be_present", "be_past", "have", "lexical")
# The english grammar's verbs may also be does/do.
ENGLISH_VERB_KINDS = ("be_present", "be_past", "have", "do", "lexical")
# Minimal words one construction needs per noun it adds: "to the keys" (3) and
# "that the dogs chase" / "that chased the dogs" (4).
MIN_WORDS_PER_NOUN = {"pp": 3, "subject_relative": 4, "object_relative": 4}
MAX_DEPENDENCY_LENGTH = 500
MAX_NESTED_DEPENDENCIES = 4

Range = tuple[int, int]


def _as_range(name: str, value) -> Range:
    if isinstance(value, bool):
        value = None  # bools are ints in Python; reject them below
    if isinstance(value, int):
        value = (value, value)
    if (
        not isinstance(value, tuple | list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise ValueError(
            f"{name} must be an integer or a (min, max) pair of integers, got {value!r}"
        )
    low, high = value
    if low < 0 or high < low:
        raise ValueError(f"{name} must satisfy 0 <= min <= max, got {tuple(value)!r}")
    return (low, high)


def _check_probability(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")


def _check_max_depth(value) -> None:
    if isinstance(value, bool) or value not in (1, 2, 3, 4):
        raise ValueError(f"max_depth must be one of 1, 2, 3, 4, got {value!r}")


def _set(config, name: str, value) -> None:
    """Normalise a field of a frozen config in place (a range as a tuple, and so on)."""
    object.__setattr__(config, name, value)


@dataclass(frozen=True)
class AgreementConfig:
    """What every grammar's configuration has; construct a grammar's own class.

    Dependency length is the number of words strictly between the subject's head noun and
    the agreeing verb. Attractors are intervening nouns whose number differs from the
    subject's.
    """

    # The grammar's name, as presets, `from_dict` and `to_dict` write it.
    grammar: ClassVar[str]
    # Whether every agreeing verb of a sentence is a target of the `number` task (the
    # english grammar: `agreements` and `verb_roles`), not only the controlled clause's
    # verb (one verb per example).
    every_verb: ClassVar[bool] = False
    # The verb kinds and the lexicon sizes (noun lemmas) the grammar's lexicon offers.
    valid_verb_kinds: ClassVar[tuple[str, ...]] = VERB_KINDS
    lexicon_sizes: ClassVar[Range] = (8, MAX_LEXICON_SIZE)

    # Words between subject and verb in train/validation/test: an int or an inclusive range.
    # No short spans by default: a number stored 2 words back is learnt in a few steps by
    # any cell; from 14 words up, the cell must learn to carry it without that crutch.
    dependency_length: int | Range = (14, 30)
    # Range for `test_long`; its minimum must exceed the training maximum.
    long_dependency_length: int | Range = (31, 60)
    # Attractors per sentence: None = each intervening noun independently differs from the
    # subject with `attractor_probability`; an int or range = exactly that many (drawn
    # uniformly, capped by what the sentence's dependency length can hold).
    attractors: int | Range | None = None
    attractor_probability: float = 0.5
    # `test_attractors` is balanced over 0..attractor_test_max attractors; None = as many
    # as dependency_length's maximum holds, at most 4.
    attractor_test_max: int | None = None
    # Verb kinds of the agreeing verb, drawn uniformly (valid_verb_kinds).
    verb_kinds: tuple[str, ...] = VERB_KINDS
    lexicon_size: int = 60  # noun lemmas; verbs = size // 2, adjectives = adverbs = size // 4
    plural_probability: float = 0.5  # share of plural subjects
    seed: int = 0

    def __post_init__(self) -> None:
        """Checks the shared fields; a grammar's class checks its own fields first."""
        if type(self) is AgreementConfig:
            raise TypeError(
                "AgreementConfig is the base of the grammars' configs; construct one of "
                f"{_class_names()} or call AgreementConfig.from_dict"
            )
        low, high = _as_range("dependency_length", self.dependency_length)
        if high > MAX_DEPENDENCY_LENGTH:
            raise ValueError(
                f"dependency_length must be at most {MAX_DEPENDENCY_LENGTH}, got {high}"
            )
        _set(self, "dependency_length", (low, high))
        long_low, long_high = _as_range("long_dependency_length", self.long_dependency_length)
        if long_low <= high or long_high > MAX_DEPENDENCY_LENGTH:
            raise ValueError(
                f"long_dependency_length must lie in [{high + 1}, {MAX_DEPENDENCY_LENGTH}] "
                f"(above dependency_length's maximum {high}), got {(long_low, long_high)!r}"
            )
        _set(self, "long_dependency_length", (long_low, long_high))
        for name in ("attractor_probability", "plural_probability"):
            _check_probability(name, getattr(self, name))

        per_noun = self.words_per_noun
        if self.attractors is not None:
            k_low, k_high = _as_range("attractors", self.attractors)
            if k_low * per_noun > low:
                raise ValueError(
                    f"attractors: {k_low} attractors need a dependency length of at least "
                    f"{k_low * per_noun} words, but dependency_length starts at {low}; "
                    f"use attractors <= {low // per_noun} or a longer dependency_length"
                )
            _set(self, "attractors", (k_low, k_high))
        # Remembered (not a field, so not in to_dict or ==): `replace` recomputes an automatic
        # value for the new lengths but keeps one that was given, even if equal to it.
        _set(self, "_attractor_test_max_is_automatic", self.attractor_test_max is None)
        if self.attractor_test_max is None:
            _set(self, "attractor_test_max", min(4, high // per_noun))
        if (
            isinstance(self.attractor_test_max, bool)
            or not isinstance(self.attractor_test_max, int)
            or not 0 <= self.attractor_test_max <= high // per_noun
        ):
            raise ValueError(
                f"attractor_test_max must be an integer in [0, {high // per_noun}] "
                f"(dependency_length's maximum {high} holds at most that many nouns), "
                f"got {self.attractor_test_max!r}"
            )

        valid_kinds = self.valid_verb_kinds
        kinds = tuple(self.verb_kinds) if isinstance(self.verb_kinds, list | tuple) else None
        if not kinds or not set(kinds) <= set(valid_kinds) or len(set(kinds)) != len(kinds):
            raise ValueError(
                f"verb_kinds must be a non-empty tuple of distinct names from {valid_kinds} "
                f"for the {self.grammar} grammar, got {self.verb_kinds!r}"
            )
        _set(self, "verb_kinds", kinds)
        smallest, largest = self.lexicon_sizes
        if (
            isinstance(self.lexicon_size, bool)
            or not isinstance(self.lexicon_size, int)
            or not smallest <= self.lexicon_size <= largest
        ):
            raise ValueError(
                f"lexicon_size must be an integer in [{smallest}, {largest}] for the "
                f"{self.grammar} grammar, got {self.lexicon_size!r}"
            )
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")

    @property
    def words_per_noun(self) -> int:
        """Fewest span words that add one intervening noun: a PP ("to the keys") unless
        the grammar says otherwise."""
        return MIN_WORDS_PER_NOUN["pp"]

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    def replace(self, **overrides) -> AgreementConfig:
        """A copy with some fields changed (validated again); `grammar` may only repeat the
        config's own (another grammar is another class)."""
        if overrides.get("grammar", self.grammar) != self.grammar:
            raise ValueError(
                f"grammar: a {type(self).__name__} stays {self.grammar!r}; for the "
                f"{overrides['grammar']!r} grammar start from its class or preset "
                f"({_class_names()})"
            )
        overrides.pop("grammar", None)
        _refuse_foreign_fields(type(self), overrides)
        if "attractor_test_max" not in overrides and self._attractor_test_max_is_automatic:
            overrides["attractor_test_max"] = None  # the automatic value: recompute it
        return dataclasses.replace(self, **overrides)

    def to_dict(self) -> dict:
        """Plain JSON-ready dict: `grammar` and the grammar's fields (ranges as lists once
        written as JSON); `AgreementConfig.from_dict` reads it back."""
        return {"grammar": self.grammar, **dataclasses.asdict(self)}

    @staticmethod
    def from_dict(values: Mapping) -> AgreementConfig:
        """The config of `values`: "grammar" (default "controlled") picks the class, the
        other keys are its fields; a field of another grammar is refused in one line."""
        values = dict(values)
        grammar = values.pop("grammar", "controlled")
        if grammar not in CONFIG_CLASSES:
            raise ValueError(f"grammar must be one of {GRAMMARS}, got {grammar!r}")
        cls = CONFIG_CLASSES[grammar]
        _refuse_foreign_fields(cls, values)
        return cls(**values)


def _refuse_foreign_fields(cls: type[AgreementConfig], names) -> None:
    """One line for names that are not fields of `cls`: which grammar the first of them
    applies to, or that no grammar has them."""
    own = cls.field_names()
    extra = sorted(set(names) - set(own))
    for name in extra:
        owners = [g for g, other in CONFIG_CLASSES.items() if name in other.field_names()]
        if owners:
            raise ValueError(
                f"{name} does not apply to the {cls.grammar} grammar (only to the "
                f"{' and '.join(owners)} grammar{'s' if len(owners) > 1 else ''}); "
                f"{cls.__name__} fields: {list(own)}"
            )
    if extra:
        raise ValueError(
            f"unknown AgreementConfig field(s) {extra}; valid fields for the {cls.grammar} "
            f"grammar: {list(own)}"
        )


class _FrozenWeights(dict):
    """A read-only, hashable dict of construction weights (keeps the dataclass frozen)."""

    def __hash__(self):  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def _readonly(self, *args, **kwargs):
        raise TypeError("ControlledConfig.constructions is read-only; use config.replace()")

    def __reduce__(self):  # pickle (a config sent to another process) without __setitem__
        return (_FrozenWeights, (dict(self),))

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _readonly  # type: ignore[assignment]


@dataclass(frozen=True)
class ControlledConfig(AgreementConfig):
    """The controlled grammar (grammar.py; README.md describes it): its spans of PPs and
    relative clauses, the optional parts of its sentences and their fronted clauses."""

    grammar: ClassVar[str] = "controlled"

    # Relative weights of the span constructions: pp, subject_relative, object_relative.
    constructions: Mapping[str, float] = field(
        default_factory=lambda: {"pp": 1.0, "subject_relative": 1.0, "object_relative": 1.5}
    )
    # Nesting: 1 = constructions attach to the subject only; 2 = a clause or PP may sit
    # inside another one ("the cat that the dogs near the houses chase"), and so on.
    max_depth: int = 2
    nesting_probability: float = 0.35
    # Optional parts, each a probability.
    adverb_probability: float = 0.3  # adverbs inside clauses and before the verb
    adjective_probability: float = 0.2  # an adjective before a noun
    coordination_probability: float = 0.25  # "which ate the fish and chased the birds"
    comma_probability: float = 0.5  # ", which ... ," rather than "that ..."
    present_tense_probability: float = 0.6  # clause verbs that agree ("chase") vs past
    prefix_probability: float = 0.7  # sentence-initial "yesterday ," or "near the house ,"
    # Share of those prefixes that are a fronted clause with its own subject and agreeing
    # verb ("while the dogs that the cat chases sleep ,"), so the memory must be rewritten
    # at the main subject; the rest are "yesterday ,"-like adverbials and fronted PPs.
    fronted_clause_probability: float = 0.6
    # Words between the fronted clause's subject and its verb (built like the span).
    fronted_clause_length: int | Range = (0, 8)

    def __post_init__(self) -> None:
        clause_low, clause_high = _as_range("fronted_clause_length", self.fronted_clause_length)
        if clause_high > MAX_DEPENDENCY_LENGTH:
            raise ValueError(
                f"fronted_clause_length must be at most {MAX_DEPENDENCY_LENGTH}, got {clause_high}"
            )
        _set(self, "fronted_clause_length", (clause_low, clause_high))
        if not isinstance(self.constructions, Mapping) or not set(self.constructions) <= set(
            CONSTRUCTIONS
        ):
            raise ValueError(
                f"constructions must map names from {CONSTRUCTIONS} to weights, "
                f"got {self.constructions!r}"
            )
        weights = {name: self.constructions.get(name, 0.0) for name in CONSTRUCTIONS}
        if any(
            isinstance(w, bool) or not isinstance(w, int | float) or w < 0 for w in weights.values()
        ) or not any(weights.values()):
            raise ValueError(
                f"constructions weights must be non-negative numbers, at least one positive, "
                f"got {dict(self.constructions)!r}"
            )
        _set(self, "constructions", _FrozenWeights(weights))
        for name in (
            "nesting_probability",
            "adverb_probability",
            "adjective_probability",
            "coordination_probability",
            "comma_probability",
            "present_tense_probability",
            "prefix_probability",
            "fronted_clause_probability",
        ):
            _check_probability(name, getattr(self, name))
        _check_max_depth(self.max_depth)
        super().__post_init__()  # the attractor checks need words_per_noun, so constructions

    @property
    def words_per_noun(self) -> int:
        """Fewest words that add one intervening noun with the enabled constructions."""
        return min(MIN_WORDS_PER_NOUN[name] for name, w in self.constructions.items() if w > 0)

    def to_dict(self) -> dict:
        return {**super().to_dict(), "constructions": dict(self.constructions)}


@dataclass(frozen=True)
class NestedConfig(AgreementConfig):
    """The nested grammar (nested.py): `dependency_length` is the filler of PPs and adverbs
    after the innermost subject, which every open agreement crosses."""

    grammar: ClassVar[str] = "nested"

    # How many agreements are open at once (drawn uniformly per sentence). 1 = "the keys
    # near the cabinets are"; 2 = "the keys that the man near the cabinets holds are";
    # 3 = "the keys that the man that the dogs near the cabinets chase holds are".
    nested_dependencies: int | Range = (1, 3)
    adjective_probability: float = 0.2  # an adjective before a subject

    def __post_init__(self) -> None:
        nested_low, nested_high = _as_range("nested_dependencies", self.nested_dependencies)
        if not 1 <= nested_low <= nested_high <= MAX_NESTED_DEPENDENCIES:
            raise ValueError(
                f"nested_dependencies must lie in [1, {MAX_NESTED_DEPENDENCIES}], "
                f"got {(nested_low, nested_high)!r}"
            )
        _set(self, "nested_dependencies", (nested_low, nested_high))
        _check_probability("adjective_probability", self.adjective_probability)
        super().__post_init__()


@dataclass(frozen=True)
class EnglishConfig(AgreementConfig):
    """The english grammar (english.py): `lexicon_size` counts noun lemmas (up to
    MAX_ENGLISH_LEXICON_SIZE) and its verbs may be does/do; the shape of its sentences is
    the grammar's own (english.P), not a field."""

    grammar: ClassVar[str] = "english"
    every_verb: ClassVar[bool] = True
    valid_verb_kinds: ClassVar[tuple[str, ...]] = ENGLISH_VERB_KINDS
    lexicon_sizes: ClassVar[Range] = (16, MAX_ENGLISH_LEXICON_SIZE)

    verb_kinds: tuple[str, ...] = ENGLISH_VERB_KINDS
    # Nesting of segments inside a noun phrase: a PP or relative inside another up to
    # `max_depth` deep, each with `nesting_probability`.
    max_depth: int = 2
    nesting_probability: float = 0.35

    def __post_init__(self) -> None:
        _check_max_depth(self.max_depth)
        _check_probability("nesting_probability", self.nesting_probability)
        super().__post_init__()


# The grammars by name, as `from_dict` and presets give them.
CONFIG_CLASSES: dict[str, type[AgreementConfig]] = {
    cls.grammar: cls for cls in (ControlledConfig, EnglishConfig, NestedConfig)
}
GRAMMARS = tuple(CONFIG_CLASSES)


def _class_names() -> str:
    return ", ".join(cls.__name__ for cls in CONFIG_CLASSES.values())


_ENGLISH = EnglishConfig(
    dependency_length=(0, 16),
    long_dependency_length=(17, 40),
    lexicon_size=5000,
    attractor_test_max=4,
)

_NESTED = NestedConfig(
    dependency_length=(4, 16),
    long_dependency_length=(17, 40),
    attractor_test_max=4,
)

CONFIGS: dict[str, AgreementConfig] = {
    # Train on dependencies of 14-30 words, test length generalisation on 31-60.
    "default": ControlledConfig(),
    # Long-distance: 20-40 words in training, 41-80 in test_long, deeper nesting.
    "long": ControlledConfig(
        dependency_length=(20, 40),
        long_dependency_length=(41, 80),
        max_depth=3,
        attractor_test_max=5,
    ),
    # Hard attractor setting: every sentence has at least one attractor.
    "attractors": ControlledConfig(dependency_length=(4, 20), attractors=(1, 4)),
    # Ordinary written English (english.py), for transfer to real sentences: thousands of
    # lemmas sampled by frequency, names, pronouns, number-marked determiners, auxiliaries,
    # negated contractions, coordinated subjects. Spans of 0-16 words in training.
    "english": _ENGLISH,
    # The english grammar at test size: 200 noun lemmas (and every irregular one), short spans.
    "english_tiny": _ENGLISH.replace(
        dependency_length=(0, 6),
        long_dependency_length=(7, 10),
        lexicon_size=200,
        attractor_test_max=2,
    ),
    # Nested agreements (Lakretz et al. 2019): 1, 2 or 3 subjects open at once, their verbs
    # closing innermost first after 4-16 words of PPs and adverbs (17-40 in test_long); every
    # verb is tested in turn, so accuracy is reported for the main and each embedded verb.
    "nested": _NESTED,
    "nested_tiny": _NESTED.replace(
        dependency_length=(3, 6),
        long_dependency_length=(7, 9),
        attractor_test_max=2,
        lexicon_size=16,
    ),
    # Tiny, for tests: short sentences and a small lexicon.
    "tiny": ControlledConfig(
        dependency_length=(0, 8),
        long_dependency_length=(9, 12),
        attractor_test_max=2,
        lexicon_size=16,
    ),
}


def resolve_config(config: AgreementConfig | str | None = None, **overrides) -> AgreementConfig:
    """A config from an instance, a name in CONFIGS or None ("default"), with `overrides`
    (fields of its grammar) applied."""
    if config is None:
        config = "default"
    if isinstance(config, str):
        if config not in CONFIGS:
            raise ValueError(f"config must be one of {sorted(CONFIGS)}, got {config!r}")
        config = CONFIGS[config]
    if not isinstance(config, AgreementConfig):
        raise ValueError(
            f"config must be an AgreementConfig or one of {sorted(CONFIGS)}, got {config!r}"
        )
    return config.replace(**overrides) if overrides else config
