"""The `english` configuration: ordinary written English whose labels follow from its tags."""

import pytest

from datasets import agreement
from datasets.agreement.english_lexicon import build_english_lexicon, is_regular_plural

SINGULAR_HEADS = {"N_SG", "PROPN", "PRON_SG"}
PLURAL_HEADS = {"N_PL", "PRON_PL"}
NUMBER_OF_TAG = {"N_SG": 0, "N_PL": 1, "PROPN": 0, "PRON_SG": 0, "PRON_PL": 1}
SMALL = agreement.CONFIGS["english"].replace(lexicon_size=300)


@pytest.fixture(scope="module")
def english_examples():
    return agreement.generate(600, seed=3, config=SMALL)


def subject_number_from_tags(example) -> int:
    """An independent reading of the subject: coordinated subjects are plural, otherwise
    the head's tag says (a name or "he" singular, "they" plural)."""
    tags = example["tags"]
    phrase = tags[example["subject_start"] : example["subject_index"] + 1]
    if "CONJ" in phrase:
        return 1
    head = tags[example["subject_index"]]
    assert head in SINGULAR_HEADS | PLURAL_HEADS, f"subject head tagged {head}"
    return int(head in PLURAL_HEADS)


def test_labels_are_recomputed_from_the_tags(english_examples):
    for example in english_examples:
        assert subject_number_from_tags(example) == example["label"], example["text"]
        verb_tag = example["tags"][example["verb_index"]]
        assert verb_tag == ("V_PL" if example["label"] else "V_SG"), example["text"]


def test_every_agreeing_verb_takes_its_controllers_number(english_examples):
    for example in english_examples:
        tags = example["tags"]
        for controller, verb in example["agreements"]:
            expected = NUMBER_OF_TAG[tags[controller]]
            if controller == example["subject_index"]:
                expected = subject_number_from_tags(example)
            assert tags[verb] == ("V_PL" if expected else "V_SG"), (example["text"], verb)


def test_number_marked_determiners_match_their_noun(english_examples):
    for example in english_examples:
        tags = example["tags"]
        for i, tag in enumerate(tags):
            if tag in ("DET_SG", "DET_PL"):
                j = i + 1
                while tags[j] in ("DET_PL", "ADJ", "N_MOD"):  # "a lot of", adjectives, compounds
                    j += 1
                assert tags[j] == ("N_SG" if tag == "DET_SG" else "N_PL"), example["text"]


def test_spans_have_the_drawn_length_and_counted_attractors(english_examples):
    for example in english_examples:
        assert example["verb_index"] - example["subject_index"] - 1 == example["dependency_length"]
        label = example["label"]
        span = example["tags"][example["subject_index"] + 1 : example["verb_index"]]
        heads = [t for t in span if t in NUMBER_OF_TAG]
        attractors = sum(NUMBER_OF_TAG[t] != label for t in heads)
        assert attractors == example["n_attractors"], example["text"]


def test_the_attractor_split_has_exactly_k_attractors_of_common_nouns():
    examples = agreement.load_split(SMALL, "test_attractors", 50)
    counts = [e["n_attractors"] for e in examples]
    assert counts == [k % 5 for k in range(50)]


def test_text_is_written_as_real_text_and_normalises_back_to_the_tokens(english_examples):
    texts = [e["text"] for e in english_examples]
    assert all(t[0].isupper() and t.endswith(".") for t in texts)
    assert any("n't" in t for t in texts) and any(", " in t for t in texts)
    for example in english_examples:
        assert agreement.normalise(example["text"]) == example["tokens"]
        assert " ," not in example["text"]


def test_the_vocabulary_knows_every_generated_word_and_gives_suffix_ids(english_examples):
    vocab = agreement.Vocabulary.from_config(SMALL)
    for example in english_examples:
        assert agreement.UNK_ID not in vocab.encode(example["tokens"]), example["text"]
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
    for singular, plural in (("man", "men"), ("child", "children"), ("mouse", "mice")):
        assert plural in nouns[singular]
    assert "radii" in nouns["radius"] and "lice" in nouns["louse"]
    assert not is_regular_plural(("radius", ("radii",)))
    assert is_regular_plural(("city", ("cities",)))
    assert len(lexicon.verbs) >= 150 and len(lexicon.names) >= 100
    assert "john" in lexicon.names


def test_the_english_config_is_validated_like_the_others():
    with pytest.raises(ValueError, match="grammar must be one of"):
        agreement.AgreementConfig(grammar="french")
    with pytest.raises(ValueError, match="verb_kinds"):
        agreement.AgreementConfig(verb_kinds=("do",))  # "do" is the english grammar's only
    with pytest.raises(ValueError, match=r"lexicon_size must be an integer in \[16, 8000\]"):
        SMALL.replace(lexicon_size=9000)
