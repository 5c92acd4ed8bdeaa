"""Shared fixtures: session-scoped samples, and `check_example`, which re-derives an
example's annotations from its tokens alone.

`check_example` reads none of the generator's bookkeeping: numbers come from the lexicon's
word forms (lemminflect's plural of each noun, 3rd-singular of each verb) and the fixed
auxiliaries.
"""

import pytest

from datasets.agreement import generate, load_split
from datasets.agreement.lexicon import build_lexicon


@pytest.fixture(scope="session")
def default_examples():
    return generate(3000, seed=11, config="default")


@pytest.fixture(scope="session")
def tiny_lexicon():
    return build_lexicon(16)


@pytest.fixture(scope="session")
def default_splits():
    sizes = {"train": 1500, "validation": 300, "test": 300, "test_long": 300}
    splits = {name: load_split("default", name, n, seed=3) for name, n in sizes.items()}
    splits["test_attractors"] = load_split("default", "test_attractors", 500, seed=3)
    return splits


AUXILIARY_NUMBER = {"is": 0, "are": 1, "was": 0, "were": 1, "has": 0, "have": 1}
TEMPORAL_NOUNS = {"morning": 0, "evening": 0, "night": 0}  # sentence-initial "in the morning"


def number_tables(lexicon_size: int) -> tuple[dict, dict]:
    lexicon = build_lexicon(lexicon_size)
    nouns = dict(TEMPORAL_NOUNS)
    for singular, plural in lexicon.nouns:
        nouns[singular], nouns[plural] = 0, 1
    verbs = dict(AUXILIARY_NUMBER)
    for singular, plural, _past, _participle in lexicon.verbs:
        verbs[singular], verbs[plural] = 0, 1
    return nouns, verbs


def check_example(example: dict, lexicon_size: int) -> None:
    """Assert every recorded annotation agrees with what the tokens say."""
    nouns, verbs = number_tables(lexicon_size)
    tokens, tags = example["tokens"], example["tags"]
    subject, verb = example["subject_index"], example["verb_index"]
    assert len(tokens) == len(tags)
    assert all(isinstance(t, str) and t == t.lower() for t in tokens)

    # Tags say what the word forms say.
    for token, tag in zip(tokens, tags, strict=True):
        if tag in ("N_SG", "N_PL"):
            assert nouns[token] == (tag == "N_PL"), (token, tag)
        elif tag in ("V_SG", "V_PL"):
            assert verbs[token] == (tag == "V_PL"), (token, tag)
        else:
            assert token not in nouns, (token, tag)

    label = nouns[tokens[subject]]
    assert example["label"] == label
    assert example["dependency_length"] == verb - subject - 1
    span = [nouns[t] for t in tokens[subject + 1 : verb] if t in nouns]
    assert example["n_intervening_nouns"] == len(span)
    assert example["n_attractors"] == sum(number != label for number in span)

    # The agreeing verb: correct form in the sentence, the other number as `wrong_verb`.
    assert tokens[verb] == example["correct_verb"]
    assert verbs[example["correct_verb"]] == label
    assert verbs[example["wrong_verb"]] == 1 - label

    # Every number-marked verb agrees with its controller, and each is accounted for.
    controlled = {}
    for controller, target in example["agreements"]:
        assert verbs[tokens[target]] == nouns[tokens[controller]], (tokens, controller, target)
        assert controller < target
        controlled[target] = controller
    assert controlled[verb] == subject
    marked = {i for i, tag in enumerate(tags) if tag in ("V_SG", "V_PL")}
    assert marked == set(controlled)


@pytest.fixture(scope="session")
def check():
    return check_example
