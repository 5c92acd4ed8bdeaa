"""Text ⇄ tokens: written and tokenised English read the same, and generated tokens are
written as a person would write them."""

import pytest

from datasets.agreement import detokenise, normalise


@pytest.mark.parametrize(
    ("written", "tokenised"),
    [
        (
            "Dupré's catalog of compositions also includes",
            "dupré 's catalog of compositions also includes",
        ),
        ("The boys doesn't", "the boys does n't"),
        ("They can't", "they ca n't"),
        ("We're sure the keys're", "we 're sure the keys 're"),
    ],
)
def test_a_clitic_written_apart_reads_as_written_together(written, tokenised):
    assert normalise(tokenised) == normalise(written)


def test_a_lone_apostrophe_or_quote_stays_a_token_of_its_own():
    assert normalise("the boys' teacher") == ["the", "boys", "'", "teacher"]
    assert normalise("he said 'sure'") == ["he", "said", "'", "sure", "'"]
    assert normalise('the song "Dark Eyes" is') == ["the", "song", '"', "dark", "eyes", '"', "is"]


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        (["the", "well", "-", "known", "author", "is", "."], "The well-known author is."),
        (["a", "40", "-", "page", "report", "is", "."], "A 40-page report is."),
        (["the", "keys", "(", "near", "paula", ")", "are", "."], "The keys (near Paula) are."),
        (
            ["paula", "said", ",", '"', "the", "keys", "are", '"', "."],
            'Paula said, "the keys are".',
        ),
        (["the", "boys", "'", "teacher", "is", "."], "The boys' teacher is."),
        (["paula's", "keys", "are", "."], "Paula's keys are."),
        ([",", "the", "keys", "are", "."], ", The keys are."),
        (["the", "keys", "–", "all", "six", "–", "are", "."], "The keys – all six – are."),
    ],
)
def test_tokens_are_written_as_text_and_read_back(tokens, text):
    assert detokenise(tokens, frozenset({"paula"})) == text
    assert normalise(text) == tokens


def test_a_number_with_thousands_separators_or_a_decimal_point_is_one_word():
    assert normalise("A town of 2,000 people is") == ["a", "town", "of", "2,000", "people", "is"]
    assert normalise("3.5 million") == ["3.5", "million"]
    # A comma after a number, or between numbers that are not thousands, still separates.
    assert normalise("In 1998, 2,000, and 1,2") == [
        "in", "1998", ",", "2,000", ",", "and", "1", ",", "2",
    ]  # fmt: skip
    assert detokenise(["a", "2,000", "-", "seat", "stadium", "is"]) == "A 2,000-seat stadium is"


def test_an_em_dash_reads_as_the_en_dash_both_set_off_an_aside_with():
    assert normalise("The keys—all six—are") == normalise("The keys – all six – are")


def test_text_may_be_written_all_in_lower_case():
    tokens = ["paula", "said", "the", "keys", "are", "."]
    assert detokenise(tokens, frozenset({"paula"}), capitalise=False) == "paula said the keys are."
