"""The `english` configuration: ordinary written English. Its labels are checked against
English (not against the generator's own tags) in test_english_facts.py."""

import pytest

from datasets import agreement
from datasets.agreement.english_lexicon import (
    build_english_lexicon,
    has_regular_past,
    is_regular_plural,
)

SMALL = agreement.CONFIGS["english"].replace(lexicon_size=300)


@pytest.fixture(scope="module")
def english_examples():
    return agreement.generate(600, seed=3, config=SMALL)


def test_spans_have_the_drawn_length(english_examples):
    """The controlled clause: its span has the drawn length. (The attractor count is read
    from the words in test_english_facts.py's terms: span nouns whose number differs.)"""
    for example in english_examples:
        assert example["verb_index"] - example["subject_index"] - 1 == example["dependency_length"]
        assert example["n_attractors"] <= example["n_intervening_nouns"], example["text"]


def test_the_attractor_split_has_exactly_k_attractors_of_common_nouns():
    examples = agreement.load_split(SMALL, "test_attractors", 50)
    counts = [e["n_attractors"] for e in examples]
    assert counts == [k % 5 for k in range(50)]


def test_text_is_written_as_real_text_and_normalises_back_to_the_tokens(english_examples):
    texts = [e["text"] for e in english_examples]
    assert all(t.endswith((".", '."', '".')) for t in texts)
    # capitalised, or all lower case as much real text is
    assert all(t[0].isupper() or t == t.lower() or not t[0].isalpha() for t in texts)
    assert any(t[0].isupper() for t in texts) and any(t == t.lower() for t in texts)
    assert any("n't" in t for t in texts) and any(", " in t for t in texts)
    for example in english_examples:
        assert agreement.normalise(example["text"]) == example["tokens"]
        assert " ," not in example["text"]


def test_the_vocabulary_knows_every_generated_word_and_gives_suffix_ids(english_examples):
    vocab = agreement.Vocabulary.from_config(SMALL)
    for example in english_examples:
        ids = vocab.encode(example["tokens"])
        unknown = [t for t, i in zip(example["tokens"], ids, strict=True) if i == agreement.UNK_ID]
        # A possessor ("dupré's") is open-class: unknown, read through its suffix ids.
        assert all(t.endswith("'s") for t in unknown), (unknown, example["text"])
    inputs = vocab.encode_batch([["the", "athletes"], ["zorbles"]])
    assert inputs.shape == (2, 2, 5)
    assert inputs[1, 0, 0] == agreement.UNK_ID and (inputs[1, 0, 1:] > 0).all()
    assert (inputs[1, 1] == 0).all()  # padding
    assert inputs[0, 1, 1] == inputs[1, 0, 1]  # both end in "s"


def test_the_same_seed_gives_the_same_sentences():
    first = agreement.generate(20, seed=5, config=SMALL)
    assert first == agreement.generate(20, seed=5, config=SMALL)
    assert first != agreement.generate(20, seed=6, config=SMALL)


def test_the_lexicon_holds_common_words_and_every_irregular_plural():
    lexicon = build_english_lexicon(300)
    nouns = dict(lexicon.nouns)
    assert len(nouns) > 300  # the 300 most frequent, plus every irregular noun
    for singular, plural in (("woman", "women"), ("child", "children"), ("mouse", "mice")):
        assert plural in nouns[singular]
    assert "radii" in nouns["radius"] and "lice" in nouns["louse"]
    assert not is_regular_plural(("radius", ("radii",)))
    assert is_regular_plural(("city", ("cities",)))
    assert len(lexicon.verbs) >= 150 and len(lexicon.names) >= 100
    assert "john" in lexicon.names


def test_common_nouns_that_are_also_adjectives_or_unknown_to_lemminflect_are_nouns():
    """ "The general left", "the council meets", "the county has": frequent subjects of
    written English that lemminflect also lists as adjectives, or lacks, are nouns with
    their plurals; a word left out is read by its ending alone, and "-al" and "-ing" are
    adjectives' and participles' endings. Some keep their adjective use ("the general
    public")."""
    lexicon = build_english_lexicon(5000)
    nouns = dict(lexicon.nouns)
    for singular, plural in (
        ("general", "generals"), ("council", "councils"), ("army", "armies"),
        ("evening", "evenings"), ("wedding", "weddings"), ("musical", "musicals"),
        ("county", "counties"), ("website", "websites"), ("congressman", "congressmen"),
    ):  # fmt: skip
        assert nouns[singular] == (plural,), singular
    assert {"general", "senior", "musical"} <= set(lexicon.adjectives)
    assert "council" not in lexicon.adjectives


def test_no_name_is_a_form_of_another_word():
    """ "The songs that the singer sang", "the horses the boy drew": "Sang" and "Drew" are
    names too, and in lower-case text a name there reads as an appositive ("the singer
    Sang"), one singular subject, not a relative's verb. A name is only a name."""
    lexicon = build_english_lexicon(agreement.CONFIGS["english"].lexicon_size)
    forms = {form for verb in lexicon.verbs for form in verb}
    forms |= {form for singular, plurals in lexicon.nouns for form in (singular, *plurals)}
    assert {"sang", "drew"} <= forms
    assert not forms & set(lexicon.names)
    assert not set(lexicon.adjectives) & set(lexicon.names)


def test_nouns_of_fixed_phrases_are_nouns_and_the_phrases_other_words_are_not():
    """ "in the morning", "last week", "of course" are written as whole phrases; their
    nouns are sampled as nouns too, so they head subjects ("the morning was cold", "the
    course is full"), and the phrases' function words never are."""
    nouns = dict(build_english_lexicon(5000).nouns)
    for singular, plural in (("morning", "mornings"), ("week", "weeks"), ("course", "courses")):
        assert nouns[singular] == (plural,), singular
    assert not {"in", "the", "last", "of", "at", "first"} & set(nouns)


def test_verbs_whose_past_is_learnt_by_heart_are_drawn_more_often():
    """ "sent", "sang", "chose": a reader cannot tell them for a verb's past by their ending,
    as it can "-ed" forms, so they are drawn three times as often as their (flattened)
    frequency says, about a third of verb draws, as in English text most verbs are."""
    assert has_regular_past(("likes", "like", "liked", "liked", "liking"))
    assert has_regular_past(("stops", "stop", "stopped", "stopped", "stopping"))
    assert not has_regular_past(("sends", "send", "sent", "sent", "sending"))
    assert not has_regular_past(("shows", "show", "showed", "shown", "showing"))
    lexicon = build_english_lexicon(5000)
    irregular = sum(
        w
        for v, w in zip(lexicon.verbs, lexicon.verb_weights, strict=True)
        if not has_regular_past(v)
    )
    assert 0.25 < irregular / sum(lexicon.verb_weights) < 0.45


def test_the_english_config_is_validated_like_the_others():
    with pytest.raises(ValueError, match="grammar must be one of"):
        agreement.AgreementConfig.from_dict({"grammar": "french"})
    with pytest.raises(ValueError, match="verb_kinds"):
        agreement.ControlledConfig(verb_kinds=("do",))  # "do" is the english grammar's only
    with pytest.raises(ValueError, match=r"lexicon_size must be an integer in \[16, 8000\]"):
        SMALL.replace(lexicon_size=9000)
