"""`Vocabulary`: token <-> id, built from a configuration's lexicon, never from data.

Id 0 is padding and id 1 stands for unknown words; then the grammar's function words in a
fixed order; then the lexicon's forms in lexicon order. So a configuration always yields the
same ids, and every token its generator can emit is known (tests check this).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

PAD, UNK = "<pad>", "<unk>"
PAD_ID, UNK_ID = 0, 1


class Vocabulary:
    """An immutable token list with O(1) lookups both ways."""

    def __init__(self, tokens: Sequence[str]):
        tokens = tuple(tokens)
        if tokens[:2] != (PAD, UNK):
            tokens = (PAD, UNK) + tuple(t for t in tokens if t not in (PAD, UNK))
        if len(set(tokens)) != len(tokens):
            raise ValueError("tokens must be distinct")
        self._tokens = tokens
        self._ids = {token: i for i, token in enumerate(tokens)}

    @classmethod
    def from_config(cls, config=None) -> Vocabulary:
        """The vocabulary of an AgreementConfig, a name in CONFIGS, or None ("default")."""
        from datasets.agreement.config import resolve_config
        from datasets.agreement.lexicon import FUNCTION_WORDS, build_lexicon

        lexicon = build_lexicon(resolve_config(config).lexicon_size)
        return cls(FUNCTION_WORDS + lexicon.word_forms())

    def __len__(self) -> int:
        return len(self._tokens)

    def __contains__(self, token: str) -> bool:
        return token in self._ids

    def __eq__(self, other) -> bool:
        return isinstance(other, Vocabulary) and self._tokens == other._tokens

    def __hash__(self) -> int:
        return hash(self._tokens)

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

        rows = [self.encode(tokens) for tokens in sentences]
        longest = max((len(r) for r in rows), default=0)
        if max_len is None:
            max_len = longest
        elif longest > max_len:
            raise ValueError(f"max_len={max_len} is shorter than the longest sequence ({longest})")
        out = np.zeros((len(rows), max_len), np.int32)
        for i, row in enumerate(rows):
            out[i, : len(row)] = row
        return out

    def decode(self, ids: Iterable[int], skip_padding: bool = True) -> list[str]:
        """Tokens of `ids` (padding dropped unless `skip_padding=False`)."""
        tokens = self._tokens
        return [tokens[i] for i in map(int, ids) if not (skip_padding and i == PAD_ID)]

    def to_json(self) -> str:
        return json.dumps({"format": "gatezoo-agreement-vocabulary/1", "tokens": self._tokens})

    @classmethod
    def from_json(cls, text: str) -> Vocabulary:
        data = json.loads(text)
        if not isinstance(data, dict) or "tokens" not in data:
            raise ValueError("not a vocabulary JSON document: expected an object with 'tokens'")
        return cls(data["tokens"])

    def save(self, path: str | Path) -> None:
        """Write the vocabulary as JSON (to a temporary file, then renamed into place)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.to_json(), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> Vocabulary:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))
