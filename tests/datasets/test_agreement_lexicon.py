"""The lexicon comes from lemminflect + wordfreq, is deterministic, and unambiguous."""

from datasets.agreement.lexicon import (
    FUNCTION_WORDS,
    MAX_LEXICON_SIZE,
    SEED_NOUNS,
    build_lexicon,
    category_sizes,
)


def test_sizes_follow_lexicon_size(tiny_lexicon):
    lexicon = build_lexicon(60)
    assert (len(lexicon.nouns), len(lexicon.verbs)) == category_sizes(60)[:2]
    assert len(tiny_lexicon.nouns) == 16


def test_small_lexicons_are_prefixes_of_larger_ones(tiny_lexicon):
    assert build_lexicon(60).nouns[:16] == tiny_lexicon.nouns


def test_nouns_have_a_distinct_plural_including_irregular_ones():
    nouns = dict(build_lexicon(60).nouns)
    assert all(singular != plural for singular, plural in nouns.items())
    assert nouns["mouse"] == "mice"
    assert nouns["goose"] == "geese"
    assert nouns["child"] == "children"
    assert list(nouns)[: len(SEED_NOUNS)] == list(SEED_NOUNS)


def test_verbs_have_distinct_present_forms_and_a_past():
    verbs = {v[1]: v for v in build_lexicon(60).verbs}
    assert verbs["eat"] == ("eats", "eat", "ate", "eaten")
    assert verbs["chase"] == ("chases", "chase", "chased", "chased")
    for singular, plural, past, _participle in verbs.values():
        assert len({singular, plural, past}) == 3


def test_no_word_form_is_in_two_categories_even_at_the_largest_size():
    lexicon = build_lexicon(MAX_LEXICON_SIZE)
    assert len(lexicon.nouns) == MAX_LEXICON_SIZE
    groups = [
        {form for pair in lexicon.nouns for form in pair},
        {form for quad in lexicon.verbs for form in quad},
        set(lexicon.adjectives),
        set(lexicon.adverbs),
        set(FUNCTION_WORDS),
    ]
    for i, first in enumerate(groups):
        for second in groups[i + 1 :]:
            assert not first & second


def test_no_number_marked_adjectives():
    assert not {"several", "few", "many", "various"} & set(build_lexicon(200).adjectives)
