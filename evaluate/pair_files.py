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

A file is read one line at a time, once to check and count it and again for each use of
its pairs (:class:`PairFile`), so a file of any size fits in memory. It must be UTF-8
text: a file in another encoding (UTF-16 from a Windows editor) is refused in one line
saying so, at its first line, rather than every line counted as malformed.
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
# Fields beyond the first this many of a file are never conditions: their tally is bounded.
MAX_FIELDS = 100
# A longer line is no pair (BLiMP's longest is a few hundred bytes); it is read in pieces
# and skipped, so no line of any size is held whole.
MAX_LINE_BYTES = 1 << 20
# Malformed lines listed with their reasons; the others are counted.
SHOWN_SKIPPED = 3
_UTF8_MARK = b"\xef\xbb\xbf"
# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
_OTHER_BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32LE"),
    (b"\x00\x00\xfe\xff", "UTF-32BE"),
    (b"\xff\xfe", "UTF-16LE"),
    (b"\xfe\xff", "UTF-16BE"),
)


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


class PairFile:
    """A file of minimal pairs, read twice and never held whole.

    The first reading (when it is made) checks the file and counts it: its valid pairs,
    its malformed lines (the first :data:`SHOWN_SKIPPED` of them kept with their
    reasons) and the fields its report groups by. Each iteration of :attr:`pairs` reads
    it again, one pair at a time, so memory stays bounded whatever the file's size.
    """

    def __init__(self, name: str, records, group_fields=None):
        """``records()`` gives ``(line number, record)``, anew at each call: a record is
        a decoded dict, a line's text, or the reason the line cannot be read."""
        self.name = name  # as printed and written to the CSVs: a path, or suite/file
        self._records = records
        self.count, self.skipped_count, self.skipped = 0, 0, []
        tally = _ConditionTally(group_fields)
        for number, record in records():
            parsed = _parsed(record, number)
            if parsed is None:
                continue
            if isinstance(parsed, Pair):
                self.count += 1
                tally.add(parsed.groups)
            else:
                self.skipped_count += 1
                if len(self.skipped) < SHOWN_SKIPPED:
                    self.skipped.append((number, parsed))
        self.group_fields = tally.fields()  # the fields to group by, in order of appearance

    @property
    def pairs(self) -> Pairs:
        return Pairs(self)

    def skipped_text(self) -> str:
        """``3 lines skipped: line 1: not JSON; …``: why lines were no pairs."""
        if not self.skipped_count:
            return "no line skipped"
        first = "; ".join(f"line {n}: {why}" for n, why in self.skipped)
        more = "; …" if self.skipped_count > len(self.skipped) else ""
        return f"{self.skipped_count} lines skipped: {first}{more}"

    def _pairs(self):
        keep = set(self.group_fields)
        for number, record in self._records():
            pair = _parsed(record, number)
            if isinstance(pair, Pair):
                pair.groups = {k: str(v) for k, v in pair.groups.items() if k in keep}
                yield pair


class Pairs:
    """The valid pairs of a :class:`PairFile`: read anew at each iteration; ``len`` is
    their number."""

    def __init__(self, pair_file: PairFile):
        self._file = pair_file

    def __iter__(self):
        return self._file._pairs()

    def __len__(self) -> int:
        return self._file.count


def read_pairs(path, group_fields=None, name: str | None = None, flag: str = "FILE") -> PairFile:
    """A JSON-lines file of pairs; malformed lines are skipped and counted, never fatal.

    Refused in one line naming ``flag`` (:class:`InputError`) when it is not a regular
    file or not UTF-8 text. ``group_fields``: the fields to group by where present; None:
    every condition field.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{flag}: {str(path)!r} is a directory, not a file of pairs")
    if not path.is_file():
        raise InputError(f"{flag}: no such file or suite {str(path)!r}")
    return PairFile(name or str(path), lambda: _numbered_lines(path, flag), group_fields)


def _numbered_lines(path: Path, flag: str):
    """(line number, text) of each line of a UTF-8 file (a UTF-8 byte-order mark is
    dropped); a line over :data:`MAX_LINE_BYTES` gives its reason instead of its text,
    read past in pieces. Raises :class:`InputError` at the first sign of another
    encoding: UTF-16 or UTF-32 (a byte-order mark, or NUL bytes, which JSON text never
    holds) or bytes that are not UTF-8."""
    with path.open("rb") as handle:
        start = handle.read(4)
        for mark, encoding in _OTHER_BYTE_ORDER_MARKS:
            if start.startswith(mark):
                raise InputError(
                    f"{flag}: {str(path)!r} is not UTF-8 text: it starts with a {encoding} "
                    f"byte-order mark; convert it to UTF-8 (iconv -f {encoding} -t UTF-8)"
                )
        handle.seek(len(_UTF8_MARK) if start.startswith(_UTF8_MARK) else 0)
        number = 0
        while True:
            line = handle.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # the rest of the long line
                    line = handle.readline(MAX_LINE_BYTES)
                yield number, _Unreadable(f"a line over {MAX_LINE_BYTES} bytes")
                continue
            if b"\0" in line:
                raise InputError(
                    f"{flag}: {str(path)!r} is not UTF-8 text: line {number} holds NUL bytes "
                    "(UTF-16 without a byte-order mark?); convert it to UTF-8"
                )
            try:
                yield number, line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{flag}: {str(path)!r} is not UTF-8 text: line {number} holds byte "
                    f"0x{line[error.start]:02x}, which UTF-8 does not allow there; convert it "
                    "to UTF-8"
                ) from None


def parse_records(records, name: str, group_fields=None) -> PairFile:
    """Already-decoded records (dicts, e.g. from TensorFlow Datasets) → a PairFile."""
    records = list(records)
    return PairFile(name, lambda: enumerate(records, start=1), group_fields)


class _Unreadable(str):
    """A line's reason for not being read, where its text would be."""


def condition_fields(pairs) -> list[str]:
    """The fields the pairs' report groups by, in the order they first appear: those with
    string or integer values (not the pair's text, not true/false) and at most
    MAX_CONDITION_VALUES distinct values across the pairs. ``pairs`` as parsed: their
    ``groups`` hold every field's value as the file gave it."""
    tally = _ConditionTally()
    for pair in pairs:
        tally.add(pair.groups)
    return tally.fields()


class _ConditionTally:
    """The condition fields of pairs seen one at a time (:func:`condition_fields`), in
    bounded memory: a field's values are kept until it has too many to be a condition,
    and only the first :data:`MAX_FIELDS` fields are considered. With ``named`` fields
    (``--group-by``), those of them that appear."""

    def __init__(self, named=None):
        self.named = None if named is None else list(named)
        self.values: dict[str, set | None] = {}  # None: not a condition

    def add(self, groups: dict) -> None:
        for key, value in groups.items():
            if self.named is not None:
                if key in self.named:
                    self.values[key] = set()
                continue
            if key not in self.values:
                if len(self.values) >= MAX_FIELDS:
                    continue
                self.values[key] = None if key in TEXT_FIELDS else set()
            seen = self.values[key]
            if seen is None:
                continue
            seen.add(value)
            if isinstance(value, bool) or len(seen) > MAX_CONDITION_VALUES:
                self.values[key] = None

    def fields(self) -> list[str]:
        if self.named is not None:
            return [key for key in self.named if key in self.values]
        return [key for key, seen in self.values.items() if seen is not None]


def _parsed(record, number: int) -> Pair | str | None:
    """The pair a line's text or a decoded record holds, or why there is none; None for
    a blank line, which is neither a pair nor a malformed line."""
    if isinstance(record, _Unreadable):
        return str(record)
    if isinstance(record, str):
        if not record.strip():
            return None
        try:
            record = json.loads(record)
        except json.JSONDecodeError:
            return "not JSON"
        except RecursionError:  # "[[[[…" nested 100,000 deep: JSON, but no pair
            return "nested too deeply"
        except ValueError:  # an integer of over 4300 digits, which Python will not convert
            return "a number too long to read"
    try:
        return _parse(record, number)
    except ValueError as error:
        return str(error)


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
