"""The grammatical number of an English word form, from morphology, not from a run's lexicon.

    verb_number("suffers") == SINGULAR    verb_number("suffer") == PLURAL
    verb_number("goes") == SINGULAR       verb_number("isn't") == SINGULAR
    verb_number("ate") is None            verb_number("can") is None

A verb form carries number only in the present tense: the singular is the third
person's ``-s`` form (lemminflect's VBZ), the plural the base form (VBP). Past
forms, participles, modals and the bare "be" agree with nothing and get ``None``.
The auxiliaries are a closed table: lemminflect gives them, but "was"/"were" are
both VBD there and their contractions are not in its dictionary. A form that is
both VBP and VBD ("read", "put") counts as plural: in a pair that contrasts
agreement it is the present form, since the past one would make no pair.

Words lemminflect does not know ("blicks") go through its rules for unknown
words, so an invented verb still has a number.
"""

from __future__ import annotations

import functools

import lemminflect

SINGULAR, PLURAL = 0, 1

AUXILIARY_NUMBERS = {
    **dict.fromkeys(["is", "was", "has", "does", "am", "'s"], SINGULAR),
    **dict.fromkeys(["isn't", "wasn't", "hasn't", "doesn't"], SINGULAR),
    **dict.fromkeys(["are", "were", "have", "do", "'re"], PLURAL),
    **dict.fromkeys(["aren't", "weren't", "haven't", "don't"], PLURAL),
}
# Forms that agree with no subject: modals (and their negations), "be" untensed, "ain't".
NUMBERLESS = frozenset(
    "can could may might must shall should will would ought 'll 'd cannot can't couldn't "
    "won't wouldn't shouldn't mustn't mightn't shan't needn't oughtn't ain't be been being".split()
)
# Words after which the next word is read as a noun, never as a verb ("the glove tightens").
DETERMINERS = frozenset(
    "a an the this that these those every each some many most all no few several both any "
    "either neither my your his her its our their which what whose".split()
)

# Words never read as the agreeing verb when searching a sentence for it: "near" and "to
# park" are verbs in a dictionary, but after a subject they start a prepositional phrase.
PREPOSITIONS = frozenset(
    "about above across after against along among around as at before behind below beneath "
    "beside besides between beyond by despite down during except for from in inside into near "
    "of off on onto out outside over past since through throughout to toward towards under "
    "underneath unlike until up upon with within without".split()
)


@functools.lru_cache(maxsize=65536)
def verb_number(word: str, guess_unknown: bool = True) -> int | None:
    """SINGULAR or PLURAL for a present-tense verb form (normalised: lower case), else None.

    ``guess_unknown=False`` gives None for words outside lemminflect's dictionary
    instead of guessing by its rules: when searching a sentence for its verb, a name
    ("becky") or a function word ("the") must not pass for a plural verb.
    """
    if word in AUXILIARY_NUMBERS:
        return AUXILIARY_NUMBERS[word]
    if word in NUMBERLESS or word in DETERMINERS or not word.isalpha():
        return None
    lemmas = lemminflect.getAllLemmas(word, upos="VERB").get("VERB", ())
    if not lemmas and guess_unknown:
        lemmas = lemminflect.getAllLemmasOOV(word, upos="VERB").get("VERB", ())
    numbers = set()
    for lemma in lemmas:
        # The dictionary lacks some present forms ("dare" has only VB): its rules fill them.
        forms = lemminflect.getAllInflections(lemma, upos="VERB")
        rules = lemminflect.getAllInflectionsOOV(lemma, upos="VERB")
        if word in forms.get("VBZ", rules.get("VBZ", ())):
            numbers.add(SINGULAR)
        # The plural present is the base form ("be" aside, an auxiliary above). The
        # dictionary's VBP is sometimes a past ("wove" for "weave"): a VBP it also lists
        # as a past, and not as the base, does not count.
        base = set(forms.get("VB", rules.get("VB", ())))
        if word in base | (set(forms.get("VBP", ())) - set(forms.get("VBD", ()))):
            numbers.add(PLURAL)
    return numbers.pop() if len(numbers) == 1 else None


@functools.lru_cache(maxsize=65536)
def noun_number(word: str) -> int | None:
    """SINGULAR for a singular noun ("woman"), PLURAL for a plural one ("women"), else None.

    None also for forms that are both ("sheep") and for words that are no noun.
    """
    if word in DETERMINERS or not word.isalpha():
        return None
    numbers = set()
    for lemma in lemminflect.getAllLemmas(word, upos="NOUN").get("NOUN", ()):
        forms = lemminflect.getAllInflections(lemma, upos="NOUN")
        if word in forms.get("NN", ()):
            numbers.add(SINGULAR)
        if word in forms.get("NNS", ()):
            numbers.add(PLURAL)
    return numbers.pop() if len(numbers) == 1 else None
