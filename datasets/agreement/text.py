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
- a number written with thousands separators or a decimal point is one token ("2,000",
  "3.5"): split at its comma, "a town of 2,000 people" would read like a list or a
  clause boundary after "2";
- every other non-space character is a token of its own (",", ".", "!", "-", "(", '"');
  an em dash reads as an en dash ("–"): both set off an aside, as written text mixes them;
- a clitic that tokenised text writes apart ("dupré 's", "does n't", as treebanks and
  corpora derived from them do) is joined to its word first, so "Dupré's" and "dupré 's"
  read the same.
"""

from __future__ import annotations

import re

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)|\d+\.\d+"  # "2,000", "12,500.5", "3.5"
_TOKEN = re.compile(rf"{_NUMBER}|[^\W_]+(?:['’][^\W_]+)*|[^\w\s]|_")
_DETACHED_CLITIC = re.compile(r"(?<=[^\W_]) +(?=(?:['’](?:s|re|ve|ll|d|m)|n['’]t)(?![^\W_]))")


def normalise(text: str) -> list[str]:
    """The tokens of `text`, as the generator writes them: "The cats, were." → the cats , were ."""
    text = _DETACHED_CLITIC.sub("", text.lower()).replace("—", "–")
    return [token.replace("’", "'") for token in _TOKEN.findall(text)]


def detokenise(
    tokens: list[str], names: frozenset[str] = frozenset(), capitalise: bool = True
) -> str:
    """Text a person would write for `tokens`: the first word and `names` (also as
    possessors, "Paula's") capitalised unless `capitalise` is false; punctuation attached
    to the word before it, an opening bracket or quote to the word after it, a hyphen to
    both. `normalise` gives the tokens back."""
    words: list[str] = []
    glue_next = False  # after "(", an opening quote or "-": the next token joins it
    quote_open = False
    first_word = True
    for token in tokens:
        stem = token[:-2] if token.endswith("'s") else token
        if capitalise and token[0].isalpha() and (first_word or stem in names):
            token = token.capitalize()
        first_word = first_word and not token[0].isalnum()
        if token == '"':
            quote_open = not quote_open
            attach = not quote_open  # a closing quote joins the word before it
            glue_after = quote_open
        elif token == "–":  # a dash that sets off an aside stands apart: "the guards – men –"
            attach = glue_after = False
        else:
            attach = token == "-" or token == "'" or not (token[0].isalnum() or token in "('")
            glue_after = token in ("(", "-")
        if words and (glue_next or attach):
            words[-1] += token
        else:
            words.append(token)
        glue_next = glue_after
    return " ".join(words)
