"""The lexicon: English nouns, verbs, adjectives and adverbs with their inflections.

Candidate words come in frequency order from `wordfreq` (its shipped English word list,
most frequent first); their parts of speech and inflected forms come from `lemminflect`'s
shipped inflection tables (built from the SPECIALIST lexicon). Nothing is downloaded.

Why these two: `lemminflect` is a maintained morphology resource whose tables list every
lemma with its part of speech and its forms (irregular plurals such as mouse/mice and strong
verbs such as eat/ate/eaten included); on its own it has no frequencies, so its first
`lexicon_size` nouns would be alphabetical oddities. `wordfreq` supplies a ranked list, so
the default lexicon is made of common words, and both packages pin their data with their
version, so a configuration's lexicon is the same on every machine.

Filters keep every word form unambiguous inside the benchmark: a noun is not also a verb,
adjective or adverb in `lemminflect`, has exactly one plural that differs from its singular
and is itself attested in `wordfreq`; a verb has distinct present 3rd-singular, present plural
and past forms; adjectives carry no number (no "several", "few") and are not participles;
adverbs end in "-ly". Finally no form may belong to two categories or be a function word.
"""

from __future__ import annotations

import functools
import gzip
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

# Seeds for readability: the default lexicon starts with the course example's animals and
# verbs. Only the lemmas are typed here; their forms come from lemminflect like all others.
SEED_NOUNS = ("cat", "dog", "bird", "mouse", "goose", "wolf", "child", "woman")
SEED_VERBS = ("eat", "chase", "see", "follow", "watch")

# Words that pass the automatic filters but would add a shortcut or are unsuitable.
_BLOCKED = frozenset(
    """
    ass asses bitch damn dude fuck hell shit sir nobody nothing other something someone
    anybody anything everybody everything via pro hello fourth fifth sixth seventh
    few several many various numerous multiple same different each every own such
    go come seem become happen arrive die exist appear sit lie fall rise sleep live stay
    wait remain belong occur matter talk laugh smile cry agree listen look
    """.split()
)

# Closed-class words that grammar.py and nested.py sample from.
DETERMINERS = ("the",) * 6 + ("my", "our", "their", "his", "her")  # all number-neutral
# The agreeing forms of the verb kinds that are not a lexical verb: (singular, plural).
AGREEING = {"be_present": ("is", "are"), "be_past": ("was", "were"), "have": ("has", "have")}
PREPOSITIONS = ("to", "of", "near", "behind", "with", "from", "beside", "under", "above", "for")
# Open a fronted clause ("while the dogs sleep , the cats ..."); tagged CONJ.
SUBORDINATORS = (
    "while",
    "because",
    "although",
    "when",
    "if",
    "since",
    "after",
    "before",
    "unless",
    "whereas",
)
# Closed-class words the grammar uses (see grammar.py); no lexical form may equal one.
FUNCTION_WORDS = (
    ",",
    ".",
    "the",
    "my",
    "our",
    "their",
    "his",
    "her",
    "that",
    "which",
    "and",
    *SUBORDINATORS,
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    *PREPOSITIONS,
    "in",
    "on",
    "at",
    "by",
    "yesterday",
    "today",
    "tomorrow",
    "sometimes",
    "meanwhile",
    "morning",
    "evening",
    "night",
    "once",
    "again",
    "here",
    "there",
    "not",
)

# How many lemmas per category the largest configuration may ask for; checked by a test.
MAX_LEXICON_SIZE = 1000


@dataclass(frozen=True)
class Lexicon:
    """Inflected forms for one lexicon size, as tuples (fast to index while generating).

    nouns: (singular, plural) pairs. verbs: (3rd singular present, plural present, past,
    past participle). adjectives, adverbs: plain forms.
    """

    nouns: tuple[tuple[str, str], ...]
    verbs: tuple[tuple[str, str, str, str], ...]
    adjectives: tuple[str, ...]
    adverbs: tuple[str, ...]

    def word_forms(self) -> tuple[str, ...]:
        """Every form the lexicon can emit, in a fixed order (duplicates removed)."""
        forms: dict[str, None] = {}
        for pair in self.nouns:
            forms.update(dict.fromkeys(pair))
        for quad in self.verbs:
            forms.update(dict.fromkeys(quad))
        forms.update(dict.fromkeys(self.adjectives))
        forms.update(dict.fromkeys(self.adverbs))
        return tuple(forms)


def category_sizes(lexicon_size: int) -> tuple[int, int, int, int]:
    """Numbers of (nouns, verbs, adjectives, adverbs) for a `lexicon_size`."""
    small = max(4, lexicon_size // 4)
    return lexicon_size, max(4, lexicon_size // 2), small, small


def _first(forms: dict, tag: str) -> tuple[str, ...]:
    return tuple(forms.get(tag, ()))


class _LazyList:
    """Items of a generator, computed on first need and kept (re-iterable)."""

    def __init__(self, generator: Iterator):
        self._generator = generator
        self._items: list = []

    def __iter__(self) -> Iterator:
        i = 0
        while True:
            if i == len(self._items):
                try:
                    self._items.append(next(self._generator))
                except StopIteration:
                    return
            yield self._items[i]
            i += 1


@functools.lru_cache(maxsize=1)
def _candidates() -> tuple[_LazyList, _LazyList, _LazyList, _LazyList]:
    """Usable lemmas per category, seeds first, then most frequent first.

    Lazy: a small lexicon only filters the first few thousand words of the frequency list.
    """
    import wordfreq
    from lemminflect import config as lemminflect_config
    from lemminflect import getAllInflections, getAllLemmas

    def inflections(word: str, upos: str) -> dict:
        return getAllInflections(word, upos=upos)

    # lemminflect's table lists proper nouns capitalised ("Martin"); its lookup functions
    # would also answer for a capitalised common noun, so read the shipped table's keys.
    with gzip.open(lemminflect_config.inflection_lu_fn, "rt", encoding="utf-8") as table:
        proper = {line.split(",", 1)[0].lower() for line in table if line[:1].isupper()}

    def attested(word: str) -> bool:
        return wordfreq.zipf_frequency(word, "en", wordlist="small") >= 1.5

    words = [
        w
        for w in wordfreq.iter_wordlist("en", wordlist="small")
        if w.isascii() and w.isalpha() and w.islower() and len(w) >= 3 and w not in _BLOCKED
    ]

    def nouns():
        for w in SEED_NOUNS + tuple(w for w in words if w not in SEED_NOUNS):
            forms = inflections(w, "NOUN")
            seed = w in SEED_NOUNS
            if not forms or (w in proper and not seed):  # "Wolf" is also a surname
                continue
            if any(inflections(w, p) for p in ("ADJ", "ADV")):
                continue
            if not seed and (inflections(w, "VERB") or getAllLemmas(w, upos="VERB")):
                continue  # "bit" is also a past tense, "saying" a participle
            plural = _first(forms, "NNS")[: 1 if seed else 2]  # "geese", not "gooses"
            if len(plural) != 1 or plural[0] == w:
                continue
            (pl,) = plural
            if getAllLemmas(w, upos="NOUN").get("NOUN") != (w,):
                continue  # e.g. "data" is also a plural of "datum"
            if getAllLemmas(pl, upos="NOUN").get("NOUN") != (w,) or not attested(pl):
                continue  # "glasses" is also a singular; "nothings" is not really used
            if not seed and getAllLemmas(pl, upos="VERB"):
                continue
            yield (w, pl)

    def verbs(denominal: bool):
        """Verbs that are also nouns ("time") only after all the others ("know")."""
        for w in SEED_VERBS + tuple(w for w in words if w not in SEED_VERBS):
            if (w not in SEED_VERBS and bool(inflections(w, "NOUN"))) != denominal:
                continue
            forms = inflections(w, "VERB")
            if not forms or w in ("be", "have", "do", "get") or w in proper:
                continue
            if any(inflections(w, p) for p in ("ADJ", "ADV")):
                continue
            sg, past = _first(forms, "VBZ"), _first(forms, "VBD")
            # The table leaves the participle out where it equals the past ("chased").
            participle = _first(forms, "VBN") or past
            if len(sg) != 1 or len(past) != 1:
                continue
            # The plural present (= base form) and the 3rd singular must differ from each
            # other and from the past, or the verb's number would be ambiguous.
            if len({w, sg[0], past[0]}) != 3 or participle[0] in (w, sg[0]):
                continue
            if not (attested(sg[0]) and attested(past[0])):
                continue
            yield (sg[0], w, past[0], participle[0])

    def adjectives():
        for w in words:
            if not inflections(w, "ADJ") or w.endswith(("ed", "ing", "ly")) or w in proper:
                continue
            if any(inflections(w, p) for p in ("NOUN", "VERB", "ADV")):
                continue
            if getAllLemmas(w, "VERB"):
                continue
            yield w

    def adverbs():
        for w in words:
            if not w.endswith("ly") or not inflections(w, "ADV"):
                continue
            if any(inflections(w, p) for p in ("NOUN", "VERB", "ADJ")):
                continue
            yield w

    return (
        _LazyList(nouns()),
        _LazyList(itertools.chain(verbs(False), verbs(True))),
        _LazyList(adjectives()),
        _LazyList(adverbs()),
    )


@functools.lru_cache(maxsize=16)
def build_lexicon(lexicon_size: int) -> Lexicon:
    """The lexicon with `lexicon_size` nouns (and proportionally many of the rest).

    Deterministic: the same size always gives the same words in the same order. Word forms
    are kept disjoint across categories and from FUNCTION_WORDS (a later, rarer lemma whose
    form collides with an earlier one is skipped).
    """
    if not 8 <= lexicon_size <= MAX_LEXICON_SIZE:
        raise ValueError(
            f"lexicon_size must be an integer in [8, {MAX_LEXICON_SIZE}], got {lexicon_size!r}"
        )
    n_nouns, n_verbs, n_adjectives, n_adverbs = category_sizes(lexicon_size)
    all_nouns, all_verbs, all_adjectives, all_adverbs = _candidates()
    taken = set(FUNCTION_WORDS)

    def pick(candidates, count, forms_of):
        chosen = []
        for entry in candidates:
            if len(chosen) == count:
                break
            forms = set(forms_of(entry))
            if forms & taken:
                continue
            taken.update(forms)
            chosen.append(entry)
        return tuple(chosen)

    nouns = pick(all_nouns, n_nouns, lambda e: e)
    verbs = pick(all_verbs, n_verbs, lambda e: e)
    adjectives = pick(all_adjectives, n_adjectives, lambda e: (e,))
    adverbs = pick(all_adverbs, n_adverbs, lambda e: (e,))
    if (len(nouns), len(verbs), len(adjectives), len(adverbs)) != (
        n_nouns,
        n_verbs,
        n_adjectives,
        n_adverbs,
    ):
        raise ValueError(
            f"lexicon_size={lexicon_size} asks for more words than the installed lemminflect "
            f"and wordfreq data provide; use at most {MAX_LEXICON_SIZE}"
        )
    return Lexicon(nouns, verbs, adjectives, adverbs)
