"""Vocabulary: from the config's lexicon, 0 = padding, 1 = unknown, round-trips to JSON."""

import pytest

from datasets.agreement import PAD_ID, UNK_ID, Vocabulary


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
