"""Scoring a minimal pair: where its sentences differ, and whether the model prefers the good one.

A pair contrasts either the verb ("The niece of the senators *has* / *have* …": kind
``verb``) or the subject ("The *women* / *woman* meet": kind ``subject``).
:func:`find_contrast` locates it: from BLiMP's one-prefix or two-prefix fields where
present, else at the one word where the sentences differ. That word is read as the
subject when a later shared word can be the agreeing verb and it follows a determiner
("the glove / gloves tightens"), or its two forms are a singular and a plural noun that
are not also two verb forms; else it is read as the verb ("the boy who likes / like").
The agreeing verb after a subject is the first word with a number that is neither a
preposition nor right after a determiner. The number of a verb form comes from English
morphology (:mod:`evaluate.verb_number`), never from the run's lexicon.

Margins (good minus bad; > 0 correct, 0 a tie):

- ``number`` runs, verb contrast: the log-odds of the good verb's number (the model's
  two logits, that number's minus the other's) after the words before the verb;
- ``number`` runs, subject contrast, with v the number of the shared verb: the
  log-odds of v after the good sentence's words before the verb minus the log-odds of
  v after the bad sentence's. A model that reads "the women" as more plural than "the
  woman" gets "The women meet" right, whatever it thinks in absolute terms;
- ``lm`` runs with prefix fields: log p(good verb | prefix) − log p(bad verb | prefix)
  (verb contrast), or log p(verb | good prefix) − log p(verb | bad prefix) (subject
  contrast); without them: log p(good sentence) − log p(bad sentence), from the
  second word on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cli_support.errors import InputError
from datasets.agreement import LM, NUMBER
from evaluate.verb_number import DETERMINERS, PREPOSITIONS, noun_number, verb_number

TASKS = (NUMBER, LM)  # the tasks whose models can score a minimal pair

# Why a pair could not be scored: printed and written to pairs_summary.csv.
NO_SINGLE_DIFFERENCE = "no single differing word"
EMPTY_PREFIX = "empty prefix"
GOOD_VERB_NO_NUMBER = "the good verb form carries no number"
SAME_NUMBER = "both verb forms carry the same number"
NO_VERB_AFTER_SUBJECT = "no verb with a number after the differing subject"
ONE_WORD = "a sentence of one word"


@dataclass(frozen=True)
class Contrast:
    """Where a pair's sentences differ, as the scoring rules need it."""

    kind: str  # "verb" or "subject"
    prefix_good: list[str]  # the good sentence's words before the verb
    prefix_bad: list[str]  # the bad sentence's (the same as prefix_good for a verb contrast)
    verb_good: str
    verb_bad: str  # the same as verb_good for a subject contrast
    subject_at: int | None  # index of the subject's head noun in prefix_good, if found

    @property
    def dependency_length(self) -> int | None:
        """Words between the subject's head noun and the verb, where the head was found."""
        return None if self.subject_at is None else len(self.prefix_good) - self.subject_at - 1


def find_contrast(pair) -> Contrast | str:
    """The pair's contrast, or the reason none can be found."""
    if pair.prefix_good is not None:
        found = _two_prefix_contrast(pair)
        if found is not None:
            return found
    if pair.prefix is not None:
        return _verb_contrast(pair.prefix, pair.word_good, pair.word_bad)
    good, bad = pair.good, pair.bad
    differ = (
        [i for i, (g, b) in enumerate(zip(good, bad, strict=True)) if g != b]
        if len(good) == len(bad)
        else []
    )
    if len(differ) != 1:
        return NO_SINGLE_DIFFERENCE
    (i,) = differ
    later = _first_verb(good, i + 1)
    numbers = {verb_number(good[i]), verb_number(bad[i])}
    reads_as_verb = None not in numbers and len(numbers) == 2
    nouns = {noun_number(good[i]), noun_number(bad[i])}
    after_determiner = i > 0 and good[i - 1] in DETERMINERS
    reads_as_noun = after_determiner or (None not in nouns and len(nouns) == 2)
    if later is not None and reads_as_noun and (after_determiner or not reads_as_verb):
        return Contrast("subject", good[:later], bad[:later], good[later], good[later], i)
    return _verb_contrast(good[:i], good[i], bad[i])


def _two_prefix_contrast(pair) -> Contrast | None:
    """From BLiMP's two-prefix fields: the verb is the first word after them with a number."""
    good_start, bad_start = len(pair.prefix_good), len(pair.prefix_bad)
    good, rest = pair.good, pair.good[good_start:]
    if (
        pair.good[:good_start] != pair.prefix_good
        or pair.bad[:bad_start] != pair.prefix_bad
        or pair.bad[bad_start:] != rest
    ):
        return None  # the fields do not describe these sentences: read the sentences alone
    # BLiMP's own word after the prefixes may be a verb lemminflect does not know.
    first = rest[0] if rest else ""
    if first and first not in PREPOSITIONS and verb_number(first) is not None:
        at = good_start
    else:
        at = _first_verb(good, good_start)
    if at is None:
        return NO_VERB_AFTER_SUBJECT
    between = good[good_start:at]
    return Contrast(
        "subject",
        pair.prefix_good + between,
        pair.prefix_bad + between,
        good[at],
        good[at],
        good_start - 1,
    )


def _first_verb(words, start: int) -> int | None:
    """The first word from ``start`` on that can be the agreeing verb: a known verb form
    with a number, neither a preposition nor right after a determiner ("the park")."""
    for at in range(start, len(words)):
        word, before = words[at], words[at - 1] if at else ""
        if word in PREPOSITIONS or before in DETERMINERS:
            continue
        if verb_number(word, guess_unknown=False) is not None:
            return at
    return None


def _verb_contrast(prefix, good, bad) -> Contrast | str:
    if not prefix:
        return EMPTY_PREFIX
    number = verb_number(good)
    subject_at = next((k for k, w in enumerate(prefix) if noun_number(w) == number), None)
    return Contrast("verb", prefix, prefix, good, bad, None if number is None else subject_at)


def score_pairs(model, task: str, vocab, pairs, batch_size: int = 256):
    """(scores, reasons): per pair 1 (good preferred), 0.5 (tie), 0 (bad preferred) or NaN,
    and for each NaN the reason it could not be scored (else None).

    ``model`` needs only ``predict(inputs, batch_size=, verbose=)``; its inputs are
    always built by ``vocab.encode_batch``.
    """
    margins, reasons = pair_margins(model, task, vocab, pairs, batch_size)
    return scores_of(margins), reasons


def scores_of(margins: np.ndarray) -> np.ndarray:
    """1 for a margin > 0 (good preferred), 0.5 for a tie, 0 for < 0; NaN stays NaN."""
    scores = np.where(margins > 0, 1.0, np.where(margins < 0, 0.0, 0.5))
    return np.where(np.isnan(margins), np.nan, scores)


def pair_margins(model, task: str, vocab, pairs, batch_size: int = 256):
    """(margins, reasons): per pair its margin, good minus bad (the module docstring's
    rules), or NaN and the reason it could not be scored (else None)."""
    if task not in TASKS:
        raise InputError(f"--run: pairs scores runs of task {' or '.join(TASKS)}, got {task!r}")
    queries, terms, reasons = [], [], []
    for pair in pairs:
        plan = _plan(pair, task)
        if isinstance(plan, str):
            terms.append(())
            reasons.append(plan)
            continue
        terms.append(tuple((len(queries) + k, sign) for k, (_, sign) in enumerate(plan)))
        queries += [query for query, _ in plan]
        reasons.append(None)
    values = (
        _number_log_odds(model, vocab, queries, batch_size)
        if task == NUMBER
        else _lm_log_probabilities(model, vocab, queries, batch_size)
    )
    margins = np.array(
        [sum(sign * values[q] for q, sign in pair) if pair else np.nan for pair in terms]
    )
    return margins, reasons


def _plan(pair, task):
    """[(query, sign)]: the margin is Σ sign · value(query); or the reason there is none.

    A ``number`` query is (words, number): that number's log-odds after the words. An
    ``lm`` query is (words, first): Σ log p(words[t] | words[:t]) for t ≥ first.
    """
    has_fields = pair.prefix is not None or pair.prefix_good is not None
    if task == LM and not has_fields:
        if len(pair.good) < 2 or len(pair.bad) < 2:
            return ONE_WORD
        return [((pair.good, 1), 1), ((pair.bad, 1), -1)]
    contrast = find_contrast(pair)
    if isinstance(contrast, str):
        return contrast
    good_prefix, bad_prefix = contrast.prefix_good, contrast.prefix_bad
    if task == LM:
        return [
            (([*good_prefix, contrast.verb_good], len(good_prefix)), 1),
            (([*bad_prefix, contrast.verb_bad], len(bad_prefix)), -1),
        ]
    number = verb_number(contrast.verb_good)
    if number is None:
        return GOOD_VERB_NO_NUMBER
    if contrast.kind == "verb":
        if verb_number(contrast.verb_bad) == number:
            return SAME_NUMBER
        return [((good_prefix, number), 1)]
    return [((good_prefix, number), 1), ((bad_prefix, number), -1)]


def _number_log_odds(model, vocab, queries, batch_size) -> np.ndarray:
    if not queries:
        return np.zeros(0)
    from train.scoring import last_word_logits

    inputs = vocab.encode_batch([words for words, _ in queries])
    logits = last_word_logits(model, inputs, batch_size).astype(np.float64)
    numbers = np.array([number for _, number in queries])
    rows = np.arange(len(queries))
    return logits[rows, numbers] - logits[rows, 1 - numbers]


def _lm_log_probabilities(model, vocab, queries, batch_size) -> np.ndarray:
    """Σ log p(w⟨t⟩ | w⟨1..t−1⟩) over each query's scored words, a batch at a time: the
    logits of a whole file over a large vocabulary would not fit in memory."""
    totals = np.zeros(len(queries))
    longest = max((len(words) - 1 for words, _ in queries), default=0)
    for start in range(0, len(queries), batch_size):
        chunk = queries[start : start + batch_size]
        inputs = vocab.encode_batch([words[:-1] for words, _ in chunk], max_len=longest)
        logits = model.predict(inputs, batch_size=batch_size, verbose=0).astype(np.float64)
        shifted = logits - logits.max(-1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
        for row, (words, first) in enumerate(chunk):
            steps = np.arange(first - 1, len(words) - 1)
            targets = vocab.encode(words[first:])
            totals[start + row] = log_p[row, steps, targets].sum()
    return totals
