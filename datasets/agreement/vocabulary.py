"""`Vocabulary`: token <-> id, built from a configuration's lexicon, never from data.

Id 0 is padding and id 1 stands for unknown words; then the grammar's function words in a
fixed order; then the lexicon's forms in lexicon order. So a configuration always yields the
same ids, and every token its generator can emit is known (tests check this).

An open vocabulary (the `english` configuration) also gives every token, known or not, the
hashed ids of its last 1…4 characters (`SuffixFeatures`): English marks number at the end of
a word (-s, -es, -ies; -i, -a, -en for some irregular plurals), so a word the model never
saw still carries its form. Its model input is then [N, T, 1 + 4]: the word id, then the
suffix ids.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cli_support.atomic_files import write_text

PAD, UNK = "<pad>", "<unk>"
PAD_ID, UNK_ID = 0, 1


@dataclass(frozen=True)
class SuffixFeatures:
    """Each word's last `lengths` characters (with "^" marking its start, so short words are
    whole), hashed into `buckets` ids; id 0 is padding.

    For each n in `lengths`, with s the last n characters of "^" + word (all of it if
    shorter):

        id = 1 + CRC-32(f"{n}:{s}" in UTF-8) mod (buckets − 1)       (zlib.crc32)

    so "cats" gives the suffixes "s", "ts", "ats", "cats" and "a" gives "a", "^a", "^a",
    "^a" (told apart by n). CRC-32, not Python's `hash()`, which is salted per process
    (PYTHONHASHSEED): a model's suffix ids must be the same in every process that reads it.

    Suffixes rather than all character n-grams (as fastText uses): number in English is a
    suffix, and four ids per word keep the input small.
    """

    lengths: tuple[int, ...] = (1, 2, 3, 4)
    buckets: int = 8192

    def __post_init__(self):
        # A vocabulary file is read back into these: refuse what would hash nothing or
        # divide by zero, with the field and what it must be.
        lengths_ok = bool(self.lengths) and all(
            isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in self.lengths
        )
        if not lengths_ok:
            raise ValueError(f"suffix lengths must be positive integers, got {self.lengths!r}")
        if isinstance(self.buckets, bool) or not isinstance(self.buckets, int) or self.buckets < 2:
            raise ValueError(f"suffix buckets must be an integer >= 2, got {self.buckets!r}")

    def ids(self, token: str) -> tuple[int, ...]:
        marked = "^" + token
        return tuple(
            1 + zlib.crc32(f"{n}:{marked[-n:]}".encode()) % (self.buckets - 1) for n in self.lengths
        )


def word_ids(batch):
    """The word ids [N, T] of a batch of model inputs: the batch itself, or the first
    feature of an open vocabulary's [N, T, F] (for masks: padding is word id 0)."""
    return batch[..., 0] if batch.ndim == 3 else batch


class Vocabulary:
    """An immutable token list with O(1) lookups both ways."""

    def __init__(self, tokens: Sequence[str], suffixes: SuffixFeatures | None = None):
        tokens = tuple(tokens)
        if tokens[:2] != (PAD, UNK):
            tokens = (PAD, UNK) + tuple(t for t in tokens if t not in (PAD, UNK))
        if len(set(tokens)) != len(tokens):
            raise ValueError("tokens must be distinct")
        self._tokens = tokens
        self._ids = {token: i for i, token in enumerate(tokens)}
        self.suffixes = suffixes
        self._features: dict[str, tuple[int, ...]] = {}  # token → (word id, *suffix ids)

    @classmethod
    def from_config(cls, config=None) -> Vocabulary:
        """The vocabulary of an AgreementConfig, a name in CONFIGS, or None ("default")."""
        from datasets.agreement.config import resolve_config
        from datasets.agreement.lexicon import FUNCTION_WORDS, build_lexicon

        config = resolve_config(config)
        if config.grammar == "english":
            from datasets.agreement.english_lexicon import (
                build_english_lexicon,
                closed_class_words,
                grammar_words,
            )

            lexicon = build_english_lexicon(config.lexicon_size)
            # Open-class forms may also be function words ("that", "like"): listed once.
            tokens = dict.fromkeys(closed_class_words() + grammar_words() + lexicon.word_forms())
            return cls(tuple(tokens), SuffixFeatures())
        lexicon = build_lexicon(config.lexicon_size)
        return cls(FUNCTION_WORDS + lexicon.word_forms())

    def suffix_exceptions(self, config=None) -> tuple[int, ...]:
        """Ids of the words of an AgreementConfig (or a name in CONFIGS) whose ending
        belies their number ("physics", "police"): for a model that reads unknown words by
        their suffixes, words it must always know (`english` only; none elsewhere)."""
        from datasets.agreement.config import resolve_config

        config = resolve_config(config)
        if config.grammar != "english":
            return ()
        from datasets.agreement.english_lexicon import build_english_lexicon, suffix_exceptions

        words = suffix_exceptions(build_english_lexicon(config.lexicon_size))
        return tuple(self._ids[word] for word in words if word in self._ids)

    def __len__(self) -> int:
        return len(self._tokens)

    def __contains__(self, token: str) -> bool:
        return token in self._ids

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, Vocabulary)
            and self._tokens == other._tokens
            and self.suffixes == other.suffixes
        )

    def __hash__(self) -> int:
        return hash((self._tokens, self.suffixes))

    @property
    def features_per_token(self) -> int:
        """Ids per token in the model input: 1 (the word id), plus the suffix ids if open."""
        return 1 + (len(self.suffixes.lengths) if self.suffixes else 0)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} tokens)"

    @property
    def tokens(self) -> tuple[str, ...]:
        return self._tokens

    def token_to_id(self, token: str) -> int:
        return self._ids.get(token, UNK_ID)

    def id_to_token(self, index: int) -> str:
        return self._tokens[index]

    def encode(self, tokens: Iterable[str]) -> list[int]:
        """Ids of `tokens`; unknown words map to 1."""
        get = self._ids.get
        return [get(token, UNK_ID) for token in tokens]

    def encode_batch(self, sentences: Iterable[Iterable[str]], max_len: int | None = None):
        """The model's input for token lists: int32 ids [N, T], zero-padded at the end to
        `max_len` (default: the longest). Every caller that feeds a model goes through here."""
        import numpy as np

        rows = [self.encode_features(tokens) for tokens in sentences]
        longest = max((len(r) for r in rows), default=0)
        if max_len is None:
            max_len = longest
        elif longest > max_len:
            raise ValueError(f"max_len={max_len} is shorter than the longest sequence ({longest})")
        width = () if self.suffixes is None else (self.features_per_token,)
        out = np.zeros((len(rows), max_len, *width), np.int32)
        for i, row in enumerate(rows):
            if row:
                out[i, : len(row)] = row
        return out

    def encode_features(self, tokens: Iterable[str]) -> list:
        """One sentence's model input unpadded: ids, or (word id, *suffix ids) per token."""
        if self.suffixes is None:
            return self.encode(tokens)
        features, get = self._features, self._features.get
        row = []
        for token in tokens:
            feature = get(token)
            if feature is None:
                feature = (self._ids.get(token, UNK_ID), *self.suffixes.ids(token))
                if len(features) < 1_000_000:  # bounded: external text may be any size
                    features[token] = feature
            row.append(feature)
        return row

    def word_ids(self, inputs):
        """The word ids of model inputs from `encode_batch` (of one sentence or a batch)."""
        return inputs[..., 0] if self.suffixes is not None else inputs

    def decode(self, ids: Iterable[int], skip_padding: bool = True) -> list[str]:
        """Tokens of `ids` (padding dropped unless `skip_padding=False`)."""
        tokens = self._tokens
        return [tokens[i] for i in map(int, ids) if not (skip_padding and i == PAD_ID)]

    def to_json(self) -> str:
        document = {"format": "gatezoo-agreement-vocabulary/1", "tokens": self._tokens}
        if self.suffixes is not None:
            document["suffixes"] = {
                "lengths": list(self.suffixes.lengths),
                "buckets": self.suffixes.buckets,
            }
        return json.dumps(document)

    @classmethod
    def from_json(cls, text: str) -> Vocabulary:
        data = json.loads(text)
        if not isinstance(data, dict) or "tokens" not in data:
            raise ValueError("not a vocabulary JSON document: expected an object with 'tokens'")
        suffixes = data.get("suffixes")
        if suffixes is not None:
            try:
                suffixes = SuffixFeatures(tuple(suffixes["lengths"]), suffixes["buckets"])
            except (TypeError, KeyError):
                raise ValueError(
                    "not a vocabulary JSON document: 'suffixes' needs 'lengths' and 'buckets'"
                ) from None
            except ValueError as error:
                raise ValueError(f"not a vocabulary JSON document: {error}") from None
        return cls(data["tokens"], suffixes)

    def save(self, path: str | Path) -> None:
        """Write the vocabulary as JSON, whole or not at all (``cli_support.atomic_files``):
        a link planted beside ``path`` is never written through, and a ``path`` that is a
        symbolic link is refused (``OSError``), its target untouched."""
        write_text(path, self.to_json())

    @classmethod
    def load(cls, path: str | Path) -> Vocabulary:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))
