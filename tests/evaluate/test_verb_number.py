"""The number of an English verb form comes from its morphology, not from a run's lexicon."""

import pytest

from evaluate.verb_number import PLURAL, SINGULAR, noun_number, verb_number

FORMS = {
    # auxiliaries and their negated contractions (a closed table)
    "is": SINGULAR, "are": PLURAL, "was": SINGULAR, "were": PLURAL, "am": SINGULAR,
    "has": SINGULAR, "have": PLURAL, "does": SINGULAR, "do": PLURAL,
    "isn't": SINGULAR, "aren't": PLURAL, "wasn't": SINGULAR, "weren't": PLURAL,
    "hasn't": SINGULAR, "haven't": PLURAL, "doesn't": SINGULAR, "don't": PLURAL,
    "'s": SINGULAR, "'re": PLURAL,
    # regular present tense: -s singular, base form plural
    "suffers": SINGULAR, "suffer": PLURAL, "watches": SINGULAR, "watch": PLURAL,
    "cries": SINGULAR, "cry": PLURAL, "tightens": SINGULAR, "perform": PLURAL,
    # irregular present tense, and forms lemminflect's dictionary leaves incomplete
    "goes": SINGULAR, "go": PLURAL, "says": SINGULAR, "say": PLURAL,
    "dares": SINGULAR, "dare": PLURAL,
    # the dictionary lists "wove" as weave's VBP: the base form is still the plural
    "weaves": SINGULAR, "weave": PLURAL, "wove": None,
    # present forms that are also past forms are the present in an agreement pair
    "reads": SINGULAR, "read": PLURAL, "puts": SINGULAR, "put": PLURAL,
    # a verb no dictionary has keeps the number of its form
    "blicks": SINGULAR, "blick": PLURAL,
    # forms that agree with nothing
    "ate": None, "went": None, "eaten": None, "sleeping": None, "worn": None,
    "can": None, "could": None, "will": None, "can't": None, "won't": None, "must": None,
    "be": None, "been": None, "being": None, "ain't": None,
    "the": None, ",": None,
}  # fmt: skip


@pytest.mark.parametrize("form,number", FORMS.items())
def test_a_verb_form_has_the_number_english_gives_it(form, number):
    assert verb_number(form) == number


def test_searching_a_sentence_does_not_guess_unknown_words_to_be_verbs():
    assert verb_number("becky") == PLURAL  # as a verb it could be: "they becky"
    assert verb_number("becky", guess_unknown=False) is None
    assert verb_number("blicks", guess_unknown=False) is None
    assert verb_number("tightens", guess_unknown=False) == SINGULAR


@pytest.mark.parametrize(
    "noun,number",
    [
        ("woman", SINGULAR), ("women", PLURAL), ("child", SINGULAR), ("children", PLURAL),
        ("niece", SINGULAR), ("senators", PLURAL), ("mice", PLURAL),
        ("sheep", None), ("the", None), ("a", None),
    ],
)  # fmt: skip
def test_a_noun_form_has_its_number(noun, number):
    assert noun_number(noun) == number
