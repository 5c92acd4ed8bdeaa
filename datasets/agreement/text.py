"""Text ⇄ tokens: the one normaliser that generated and external sentences go through.

Training sentences are written as real text is ("The cats, which ate, were full.") and
read back through :func:`normalise`; `evaluate pairs` and `evaluate trace` read external
sentences through the same function, so a model never sees text prepared two ways.

    normalise("The children's niece isn't here.") == ["the", "children's", "niece", "isn't", "here", "."]

Rules, and why:
- lower case: capitals mark sentence starts and names alike, and the benchmark's number
  cues are in the words themselves;
- a word keeps its inner apostrophes ("isn't", "children's"): the negated
  auxiliaries are agreeing verbs of their own (isn't/aren't), and splitting "n't" off would
  put the number cue on a token the model reads one step later;
- letters are Unicode letters ("café" is one word), digits join their word;
- every other non-space character is a token of its own (",", ".", "!").
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]|_")


def normalise(text: str) -> list[str]:
    """The tokens of `text`, as the generator writes them: "The cats, were." → the cats , were ."""
    return [token.replace("’", "'") for token in _TOKEN.findall(text.lower())]


def detokenise(tokens: list[str], names: frozenset[str] = frozenset()) -> str:
    """Text a person would write for `tokens`: the first word and `names` capitalised,
    punctuation attached to the word before it. `normalise` gives the tokens back."""
    words = []
    for i, token in enumerate(tokens):
        word = token.capitalize() if (i == 0 or token in names) else token
        if words and not (token[0].isalnum() or token[0] == "'"):
            words[-1] += word
        else:
            words.append(word)
    return " ".join(words)
