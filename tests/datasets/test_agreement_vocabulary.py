"""Vocabulary: from the config's lexicon, 0 = padding, 1 = unknown, round-trips to JSON; an
open vocabulary's suffix ids are CRC-32 values, the same in every process."""

import json
import os
import subprocess
import sys
import zlib

import pytest

from datasets.agreement import PAD_ID, UNK_ID, Vocabulary
from datasets.agreement.vocabulary import SuffixFeatures


def test_ids_zero_and_one_are_padding_and_unknown():
    vocab = Vocabulary.from_config("tiny")
    assert vocab.tokens[:2] == ("<pad>", "<unk>")
    assert vocab.encode(["the", "flibbertigibbet"])[1] == UNK_ID
    assert vocab.token_to_id("<pad>") == PAD_ID


def test_built_from_the_lexicon_not_from_data_and_deterministic():
    assert Vocabulary.from_config("default") == Vocabulary.from_config("default")
    assert "mice" in Vocabulary.from_config("tiny")
    assert 250 <= len(Vocabulary.from_config("default")) <= 500  # "a few hundred words"
    assert len(Vocabulary.from_config("tiny")) < len(Vocabulary.from_config("default"))


def test_encode_decode_round_trip(default_examples):
    vocab = Vocabulary.from_config("default")
    tokens = default_examples[0]["tokens"]
    ids = vocab.encode(tokens)
    assert vocab.decode(ids + [PAD_ID, PAD_ID]) == tokens
    assert vocab.decode([PAD_ID], skip_padding=False) == ["<pad>"]


def test_json_and_file_round_trip(tmp_path):
    vocab = Vocabulary.from_config("tiny")
    assert Vocabulary.from_json(vocab.to_json()) == vocab
    vocab.save(tmp_path / "vocab.json")
    assert Vocabulary.load(tmp_path / "vocab.json") == vocab
    assert [p.name for p in tmp_path.iterdir()] == ["vocab.json"]


# Suffix ids of the open vocabulary: a word's last 1…4 characters, hashed by CRC-32.
SUFFIX_WORDS = ["cats", "mice", "a", "phenomena", "children", "flibbertigibbets", "naïve"]


def crc32_suffix_ids(word, lengths=(1, 2, 3, 4), buckets=8192):
    """The documented formula, written out here: 1 + CRC-32(f"{n}:{s}") mod (buckets − 1),
    s the last n characters of "^" + word."""
    marked = "^" + word
    return tuple(1 + zlib.crc32(f"{n}:{marked[-n:]}".encode()) % (buckets - 1) for n in lengths)


def test_suffix_ids_are_the_crc32_of_the_last_one_to_four_characters():
    suffixes = SuffixFeatures()
    # Pinned: what every trained open-vocabulary model has read, so they never change.
    assert suffixes.ids("cats") == (6853, 6497, 5379, 7364)
    assert suffixes.ids("a") == (2267, 3893, 3741, 7610)  # "a", then "^a" for n = 2, 3, 4
    assert suffixes.ids("phenomena")[0] == suffixes.ids("a")[0]  # the same last letter
    for word in SUFFIX_WORDS:
        assert suffixes.ids(word) == crc32_suffix_ids(word), word
    assert SuffixFeatures(buckets=100).ids("cats") == crc32_suffix_ids("cats", buckets=100)
    assert SuffixFeatures(lengths=(2, 3)).ids("mice") == crc32_suffix_ids("mice", (2, 3))


def test_suffix_ids_are_the_same_in_processes_with_different_hash_seeds(repo_root):
    code = (
        "import json; from datasets.agreement import Vocabulary; "
        "from datasets.agreement.vocabulary import SuffixFeatures; "
        f"words = {SUFFIX_WORDS!r}; "
        "vocab = Vocabulary(['the', 'cats'], SuffixFeatures()); "
        "print(json.dumps([SuffixFeatures().ids(w) for w in words])); "
        "print(json.dumps(vocab.encode_batch([words]).tolist()))"
    )
    here = [
        [list(SuffixFeatures().ids(word)) for word in SUFFIX_WORDS],
        Vocabulary(["the", "cats"], SuffixFeatures()).encode_batch([SUFFIX_WORDS]).tolist(),
    ]
    for hash_seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=repo_root, capture_output=True, text=True, check=True, env=env, timeout=60,
        )  # fmt: skip
        assert [json.loads(line) for line in result.stdout.splitlines()] == here, hash_seed


def test_save_never_writes_through_a_planted_link(tmp_path):
    victim = tmp_path / "precious.txt"
    victim.write_bytes(b"precious")
    (tmp_path / "vocab.json.tmp").symlink_to(victim)  # the name save() once always used
    vocab = Vocabulary.from_config("tiny")
    vocab.save(tmp_path / "vocab.json")
    assert victim.read_bytes() == b"precious"
    assert not (tmp_path / "vocab.json").is_symlink()
    assert Vocabulary.load(tmp_path / "vocab.json").to_json() == vocab.to_json()
    (tmp_path / "linked.json").symlink_to(victim)
    with pytest.raises(OSError, match="symbolic link"):
        vocab.save(tmp_path / "linked.json")
    assert victim.read_bytes() == b"precious"
