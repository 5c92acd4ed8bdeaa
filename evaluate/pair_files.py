"""Minimal pairs in BLiMP's JSON-lines format, read and normalised; bad lines counted, never fatal.

Each line holds ``sentence_good`` and ``sentence_bad``, and may hold BLiMP's prefix
fields: ``one_prefix_prefix`` with the two verb forms ``one_prefix_word_good`` /
``one_prefix_word_bad`` (the sentences differ in the verb), or ``two_prefix_prefix_good``
/ ``two_prefix_prefix_bad`` with the shared ``two_prefix_word`` (they differ in the
subject); a ``dependency_length``; and any other fields.

Every other field whose values across a file's pairs are strings or integers, at most
:data:`MAX_CONDITION_VALUES` distinct ones, is a condition the report groups by (BLiMP's
``UID``, a suite's ``construction``, a made-up ``voice``): see :func:`condition_fields`.
True/false flags (BLiMP's ``simple_LM_method``, …) and the fields that hold the pair's
text (:data:`TEXT_FIELDS`) are not conditions.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from cli_support.errors import InputError
from datasets.agreement.text import normalise

# Fields that hold a pair's text or identity, never a condition to group by; dependency_length
# gets a grouping of its own.
TEXT_FIELDS = frozenset(
    "sentence_good sentence_bad one_prefix_prefix one_prefix_word_good one_prefix_word_bad "
    "two_prefix_prefix_good two_prefix_prefix_bad two_prefix_word pairID dependency_length".split()
)
# A field with more distinct values than this across a file is an identifier or free text.
MAX_CONDITION_VALUES = 20


@dataclass
class Pair:
    """One minimal pair, normalised: the two sentences and whatever prefix fields it had."""

    line: int
    good: list[str]
    bad: list[str]
    prefix: list[str] | None = None  # one_prefix_prefix: shared words before the verbs
    word_good: str | None = None
    word_bad: str | None = None
    prefix_good: list[str] | None = None  # two_prefix_prefix_good: the good subject's words
    prefix_bad: list[str] | None = None
    word_after: str | None = None  # two_prefix_word: the shared word after the two prefixes
    dependency_length: int | None = None
    groups: dict = field(default_factory=dict)  # condition field → its value, as a string
    oov: tuple[str, ...] = ()


@dataclass
class PairFile:
    name: str  # as printed and written to the CSVs: a path, or suite/file
    pairs: list[Pair]
    skipped: list[tuple[int, str]]  # (line number, why)


def read_pairs(path, group_fields=None, name: str | None = None) -> PairFile:
    """Parses a JSON-lines file; malformed lines are skipped and listed, never fatal.

    ``group_fields``: the fields to group by where present; None: every condition field.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"FILE: no such file or suite {str(path)!r}")
    with path.open(encoding="utf-8", errors="replace") as handle:
        return parse_lines(handle, name or str(path), group_fields)


def parse_lines(lines, name: str, group_fields=None) -> PairFile:
    """Lines of JSON text (an open file) → a PairFile."""
    pairs, skipped = [], []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError:
            skipped.append((number, "not JSON"))
            continue
        except RecursionError:  # "[[[[…" nested 100,000 deep: JSON, but no pair
            skipped.append((number, "nested too deeply"))
            continue
        except ValueError:  # an integer of over 4300 digits, which Python will not convert
            skipped.append((number, "a number too long to read"))
            continue
        _add(record, number, pairs, skipped)
    return _grouped(PairFile(name, pairs, skipped), group_fields)


def parse_records(records, name: str, group_fields=None) -> PairFile:
    """Already-decoded records (dicts, e.g. from TensorFlow Datasets) → a PairFile."""
    pairs, skipped = [], []
    for number, record in enumerate(records, start=1):
        _add(record, number, pairs, skipped)
    return _grouped(PairFile(name, pairs, skipped), group_fields)


def condition_fields(pairs) -> list[str]:
    """The fields the pairs' report groups by, in the order they first appear: those with
    string or integer values (not the pair's text, not true/false) and at most
    MAX_CONDITION_VALUES distinct values across the pairs. ``pairs`` as parsed: their
    ``groups`` hold every field's value as the file gave it."""
    values = {}
    for pair in pairs:
        for key, value in pair.groups.items():
            values.setdefault(key, set()).add(value)
    return [
        key
        for key, seen in values.items()
        if key not in TEXT_FIELDS
        and len(seen) <= MAX_CONDITION_VALUES
        and not any(isinstance(value, bool) for value in seen)
    ]


def _grouped(pair_file: PairFile, group_fields) -> PairFile:
    """Keeps in each pair's ``groups`` only the fields to group by, their values as strings."""
    keep = set(condition_fields(pair_file.pairs) if group_fields is None else group_fields)
    for pair in pair_file.pairs:
        pair.groups = {key: str(value) for key, value in pair.groups.items() if key in keep}
    return pair_file


def _add(record, number, pairs, skipped) -> None:
    try:
        pairs.append(_parse(record, number))
    except ValueError as error:
        skipped.append((number, str(error)))


def _parse(record, line: int) -> Pair:
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    sentences = [record.get(key) for key in ("sentence_good", "sentence_bad")]
    if not all(isinstance(s, str) and normalise(s) for s in sentences):
        raise ValueError("needs non-empty strings sentence_good and sentence_bad")
    pair = Pair(line, normalise(sentences[0]), normalise(sentences[1]))
    one = _words(record, ("one_prefix_prefix", "one_prefix_word_good", "one_prefix_word_bad"))
    if one and len(one[1]) == 1 and len(one[2]) == 1:
        pair.prefix, pair.word_good, pair.word_bad = one[0], one[1][0], one[2][0]
    two = _words(record, ("two_prefix_prefix_good", "two_prefix_prefix_bad", "two_prefix_word"))
    if two and two[0] and two[1] and len(two[2]) == 1:
        pair.prefix_good, pair.prefix_bad, pair.word_after = two[0], two[1], two[2][0]
    length = record.get("dependency_length")
    if length is not None:
        if not isinstance(length, int) or isinstance(length, bool) or length < 0:
            raise ValueError(f"dependency_length must be a non-negative integer, got {length!r}")
        pair.dependency_length = length
    # Every field for now: _grouped keeps those to group by once the whole file is read.
    pair.groups = {key: value for key, value in record.items() if isinstance(value, str | int)}
    return pair


def _words(record, keys):
    values = [record.get(key) for key in keys]
    return [normalise(v) for v in values] if all(isinstance(v, str) for v in values) else None


def in_vocabulary(pair: Pair, vocab) -> Pair:
    """A copy of the pair with punctuation the vocabulary lacks dropped, and its unknown words noted."""

    def keep(words):
        return None if words is None else [w for w in words if w in vocab or w[0].isalnum()]

    good, bad = keep(pair.good), keep(pair.bad)
    words = set(good) | set(bad)
    return dataclasses.replace(
        pair,
        good=good,
        bad=bad,
        prefix=keep(pair.prefix),
        prefix_good=keep(pair.prefix_good),
        prefix_bad=keep(pair.prefix_bad),
        oov=tuple(sorted(w for w in words if w not in vocab)),
    )
