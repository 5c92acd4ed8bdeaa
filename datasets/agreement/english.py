"""The `english` grammar: agreement in sentences written as ordinary English is.

    sentence  -> [prefix ","] subject span verb continuation "."
    prefix    -> ADVERBIAL | PREP NP | SUBORDINATOR NP VP                 "While Paula slept,"
    subject   -> NP | NAME | PRONOUN | NP "and" NP                        "the boy and the girl"
    NP        -> [DET] [ADJ] [NOUN] NOUN [segment]       "a niece", "these newspaper articles"
    span      -> (segment | ADV)*                        (exactly `dependency_length` words)
    segment   -> PREP NP                                 "of most senators", "near Alan"
               | REL [ADV] VP                            "who hasn't visited the children"
               | [REL] NP [ADV] VERB                     "that the dogs chase", "Paula likes"
    VP        -> VERB [NP] | AUX VERB [NP]               "eats the fish", "didn't question all guests"
    verb      -> is/are | was/were | has/have | does/do (each also negated: isn't/aren't …)
               | a lexical present (eats/eat)

Every agreeing verb (main or in a clause) takes the number of its controller: the subject,
the noun a subject relative attaches to, or an object relative's own subject. Determiners
mark number where English does (a/this/every vs these/many/most), bare nouns are plural,
names are singular, "you"/"they"/"we" take plural forms, a coordinated subject is plural.

Like the controlled grammar, generation is length-exact (the span has exactly the drawn
dependency length) and numbers are decided after the structure, so an exact number of
attractors can be placed. With an exact attractor count, span nouns are common nouns only
(a name's or pronoun's number is fixed), so their number can be set freely.

The tokens are what `datasets.agreement.text.normalise` makes of the written sentence
(`text`: capitalised, commas attached, apostrophes kept), the same reading that external
sentences get in `evaluate pairs`.
"""

from __future__ import annotations

import bisect
import itertools

from datasets.agreement.config import AgreementConfig
from datasets.agreement.english_lexicon import (
    ADVERBS,
    AGREEING_AUXILIARIES,
    MODALS,
    NEUTRAL_DETERMINERS,
    OBJECT_PRONOUNS,
    PLURAL_DETERMINERS,
    PLURAL_PRONOUNS,
    PLURAL_QUANTIFIERS,
    PREPOSITIONS,
    RELATIVE_PRONOUNS,
    SENTENCE_ADVERBIALS,
    SINGULAR_DETERMINERS,
    SINGULAR_PRONOUNS,
    SUBORDINATORS,
    build_english_lexicon,
)
from datasets.agreement.text import detokenise, normalise

NUMBER_TAGS = {"noun": ("N_SG", "N_PL"), "verb": ("V_SG", "V_PL"), "det": ("DET_SG", "DET_PL")}
PRONOUN_TAGS = ("PRON_SG", "PRON_PL")
_PREPOSITIONS = tuple(tuple(p.split()) for p in PREPOSITIONS)
_ADVERBIALS = tuple(tuple(a.split()) for a in SENTENCE_ADVERBIALS)
_VOWELS = frozenset("aeiou")
# Probabilities of the grammar's choices. They shape the data, not the benchmark's controls,
# which are the AgreementConfig fields (lengths, attractors, plural share, nesting).
P = {
    "prefix": 0.25,
    "marked_det": 0.5,  # a number-marked determiner (else the/my/…)
    "bare_plural": 0.15,
    "adjective": 0.2,
    "compound": 0.08,  # "newspaper article": a singular noun before the head
    "name_subject": 0.2,  # of singular subjects
    "pronoun_subject": 0.1,
    "coordinated_subject": 0.2,  # of plural subjects
    "quantifier_subject": 0.1,  # of plural subjects: "a lot of men"
    "name_np": 0.12,  # span and object NPs (only where numbers are free to be fixed)
    "pronoun_object": 0.06,
    "negated": 0.3,
    "relative_pronoun": 0.8,  # object relatives: "that the dogs chase" vs "the dogs chase"
    "adverb": 0.15,
    "commas": 0.3,  # a relative clause next to the subject set off by commas
    "object": 0.6,
}


class _Weighted:
    """Draws items by weight in O(log n) from one uniform number."""

    def __init__(self, items, weights):
        self.items = items
        self.cumulative = tuple(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, rand) -> object:
        index = bisect.bisect_right(self.cumulative, rand() * self.total)
        return self.items[min(index, len(self.items) - 1)]


class EnglishSentenceGenerator:
    """Draws `english` sentences with `sentence(rand, length, attractors, label)`, the
    interface of `grammar.SentenceGenerator`."""

    def __init__(self, config: AgreementConfig):
        self.config = config
        lexicon = build_english_lexicon(config.lexicon_size)
        self.nouns = _Weighted(lexicon.nouns, lexicon.noun_weights)
        self.verbs = _Weighted(lexicon.verbs, lexicon.verb_weights)
        self.adjectives = _Weighted(lexicon.adjectives, lexicon.adjective_weights)
        self.names = _Weighted(lexicon.names, lexicon.name_weights)
        self.name_set = frozenset(lexicon.names)
        self.verb_kinds = config.verb_kinds
        self.max_depth = config.max_depth
        self.p_nest = config.nesting_probability

    # ---- tokens ------------------------------------------------------------------------

    def _add(self, word: str, tag: str) -> int:
        self.toks.append(word)
        self.tags.append(tag)
        return len(self.toks) - 1

    def _pick(self, options):
        return options[int(self.rand() * len(options))]

    # ---- noun phrases -------------------------------------------------------------------
    # A noun slot is [noun position, lemma (singular, plurals), number or None, determiner
    # position or -1, determiner draw]. Free numbers (None) are decided after the structure.

    def _slot(self, number, lemma=None, det=-1) -> int:
        self.slots.append([len(self.toks), lemma, number, det, self.rand()])
        return len(self.slots) - 1

    def _np(self, budget: int, depth: int, fixed_ok: bool, bare_ok: bool | None = None):
        """An NP of at most `budget` words; returns (slot, words used).

        `fixed_ok` allows names and object pronouns (numbers fixed in advance) and bare
        plurals; a common NP needs 2 words ("the keys") unless it is a bare plural."""
        rand, start = self.rand, len(self.toks)
        bare_ok = fixed_ok if bare_ok is None else bare_ok
        if fixed_ok and (budget < 2 or rand() < P["name_np"]):
            slot = self._slot(0)
            self._add(self.names.draw(rand), "PROPN")
            return slot, 1
        if fixed_ok and self.object_position and rand() < P["pronoun_object"]:
            number = 1 if rand() < 0.5 else 0
            slot = self._slot(number)
            self._add(self._pick(OBJECT_PRONOUNS[number]), PRONOUN_TAGS[number])
            return slot, 1
        det = -1
        if not (bare_ok and rand() < P["bare_plural"]):
            det = self._add("", "")  # filled once the noun's number is known
        number = None if det >= 0 else 1
        left = budget - (len(self.toks) - start) - 1  # words left after the head noun
        if left > 0 and rand() < P["adjective"]:
            self._add(self.adjectives.draw(rand), "ADJ")
            left -= 1
        if left > 0 and rand() < P["compound"]:
            self._add(self.nouns.draw(rand)[0], "N_MOD")
            left -= 1
        slot = self._slot(number, self.nouns.draw(rand), det)
        self._add("", "")
        if left > 0 and depth < self.max_depth and rand() < self.p_nest:
            left -= self._segment(slot, left, depth + 1)
        return slot, budget - left

    @property
    def min_np(self) -> int:
        """Fewest words of a span NP: 2 ("the keys") when numbers must stay free."""
        return 2 if self.exact else 1

    def _segment(self, head: int, budget: int, depth: int) -> int:
        """A PP or relative clause attached to `head`'s slot, at most `budget` words;
        returns the words used (0 if none fits)."""
        rand, min_np = self.rand, self.min_np
        x = rand()
        if budget >= 3 + min_np and x < 0.25:
            return self._object_relative(budget, depth)
        if budget < 1 + min_np or x < 0.5:
            return self._subject_relative(head, budget, depth) if budget >= 2 else 0
        prep = self._pick(_PREPOSITIONS)
        if len(prep) + min_np > budget:
            prep = ("of",)
        for word in prep:
            self._add(word, "PREP")
        self.object_position = True
        _, used = self._np(budget - len(prep), depth, fixed_ok=not self.exact)
        return len(prep) + used

    # ---- verbs ----------------------------------------------------------------------------

    def _agreeing(self, forms, controller: int) -> None:
        self.patches.append((len(self.toks), forms, controller))
        self._add("", "")

    def _verb_group(self, controller: int, budget: int) -> int:
        """A finite verb group of at most `budget` words (1 or 2) whose first word agrees
        with `controller` or is number-neutral; returns the words used."""
        rand = self.rand
        verb = self.verbs.draw(rand)
        x = rand()
        if budget < 2 or x < 0.35:  # one word: present (agrees) or past (neutral)
            if rand() < 0.6:
                self._agreeing((verb[0], verb[1]), controller)
            else:
                self._add(verb[2], "V_PST")
            return 1
        if x < 0.7:  # an agreeing auxiliary
            kind = self._pick(("be_present", "be_past", "have", "do"))
            plain, negated = AGREEING_AUXILIARIES[kind]
            self._agreeing(negated if rand() < P["negated"] else plain, controller)
        else:  # a neutral one: past or modal
            kind = self._pick(("have", "do", "modal", "modal"))
            word = {"have": ("had", "hadn't"), "do": ("didn't", "didn't")}.get(kind)
            self._add(self._pick(word) if word else self._pick(MODALS), "AUX")
        if kind in ("be_present", "be_past"):
            self._add(verb[4], "V_ING")
        elif kind == "have":
            self._add(verb[3], "V_PTCP")
        else:
            self._add(verb[1], "V_BASE")
        return 2

    def _adverb(self, budget: int) -> int:
        if budget > 0 and self.rand() < P["adverb"]:
            self._add(self._pick(ADVERBS), "ADV")
            return 1
        return 0

    def _subject_relative(self, head: int, budget: int, depth: int) -> int:
        """REL [ADV] VP: "who hasn't visited the children" (the verb agrees with `head`);
        next to the subject, sometimes between commas: ", who likes Paula ,"."""
        if depth == 1 and budget >= 4 and self.rand() < P["commas"]:
            self._add(",", "PUNCT")
            used = self._subject_relative(head, budget - 2, depth + 1)
            self._add(",", "PUNCT")
            return used + 2
        self._add(self._pick(RELATIVE_PRONOUNS), "REL")
        used = 1 + self._adverb(budget - 2)
        used += self._verb_group(head, budget - used)
        if budget - used >= self.min_np and self.rand() < P["object"]:
            self.object_position = True
            used += self._np(budget - used, depth, fixed_ok=not self.exact)[1]
        return used

    def _object_relative(self, budget: int, depth: int) -> int:
        """[REL] NP [ADV] VERB: "that the dogs chase" (the verb agrees with the NP)."""
        used = 0
        if self.rand() < P["relative_pronoun"]:
            self._add(self._pick(("that", "which", "who")), "REL")
            used = 1
        self.object_position = False
        subject, np_words = self._np(budget - used - 1, depth, fixed_ok=not self.exact)
        used += np_words
        used += self._adverb(budget - used - 1)
        rand = self.rand
        verb = self.verbs.draw(rand)
        if budget - used >= 2 and rand() < 0.4:
            kind = self._pick(("be_present", "have", "do"))
            plain, negated = AGREEING_AUXILIARIES[kind]
            self._agreeing(negated if rand() < P["negated"] else plain, subject)
            self._add(
                verb[3] if kind == "have" else verb[1], "V_PTCP" if kind == "have" else "V_BASE"
            )
            if kind == "be_present":
                self.toks[-1], self.tags[-1] = verb[4], "V_ING"
            return used + 2
        if rand() < 0.6:
            self._agreeing((verb[0], verb[1]), subject)
        else:
            self._add(verb[2], "V_PST")
        return used + 1

    # ---- one sentence -------------------------------------------------------------------

    def _subject(self, label: int) -> tuple[int, int]:
        """The subject phrase; returns (first token, slot of the head)."""
        rand, start = self.rand, len(self.toks)
        self.object_position = False
        if label == 0 and rand() < P["name_subject"]:
            slot = self._slot(0)
            self._add(self.names.draw(rand), "PROPN")
            return start, slot
        if rand() < P["pronoun_subject"]:
            slot = self._slot(label)
            pronouns = PLURAL_PRONOUNS if label else SINGULAR_PRONOUNS
            self._add(self._pick(pronouns), PRONOUN_TAGS[label])
            return start, slot
        if label == 1 and rand() < P["coordinated_subject"]:
            self._np(3, self.max_depth, fixed_ok=True)
            self._add("and", "CONJ")
            second, _ = self._np(3, self.max_depth, fixed_ok=True)
            self.coordinated = second
            return start, second
        if label == 1 and rand() < P["quantifier_subject"]:
            for word in self._pick(PLURAL_QUANTIFIERS).split():
                self._add(word, "DET_PL")
            slot, _ = self._np(2, self.max_depth, fixed_ok=False, bare_ok=True)
            if self.slots[slot][3] >= 0:  # "a lot of men", never "a lot of the men" here
                del self.toks[self.slots[slot][3]], self.tags[self.slots[slot][3]]
                self.slots[slot][0] -= 1
                self.slots[slot][3] = -1
        else:
            slot, _ = self._np(3, self.max_depth, fixed_ok=False, bare_ok=label == 1)
        self.slots[slot][2] = label
        return start, slot

    def _prefix(self) -> None:
        rand = self.rand
        x = rand()
        if x < 0.4:
            for word in self._pick(_ADVERBIALS):
                self._add(word, "ADV")
        elif x < 0.7:
            for word in self._pick(_PREPOSITIONS):
                self._add(word, "PREP")
            self.object_position = True
            self._np(3, self.max_depth, fixed_ok=True)
        else:
            self._add(self._pick(SUBORDINATORS), "CONJ")
            self.object_position = False
            slot, _ = self._np(3, self.max_depth, fixed_ok=True)
            self._verb_group(slot, 2)
        self._add(",", "PUNCT")

    def sentence(
        self, rand, length: int, attractors: int | None, label: int, p_attractor: float = 0.5
    ) -> dict:
        """One example with exactly `length` span words and, unless `attractors` is None,
        exactly that many attractors (else each free span noun is one with `p_attractor`)."""
        for _ in range(50):
            example = self._try(rand, length, attractors, label, p_attractor)
            if example is not None:
                return example
        raise RuntimeError(  # a budget of 3 words per attractor always fits (PPs)
            f"could not place {attractors} attractors in a span of {length} words"
        )

    def _try(self, rand, length, attractors, label, p_attractor) -> dict | None:
        self.rand = rand
        self.toks, self.tags, self.slots, self.patches = [], [], [], []
        self.exact = attractors is not None
        self.coordinated = None
        self.object_position = False
        if rand() < P["prefix"]:
            self._prefix()
        subject_start, subject = self._subject(label)
        subject_index = self.slots[subject][0]
        first_span_slot = len(self.slots)
        left = length
        kinds = []
        while left > 0:
            need = 0
            if self.exact:
                free = sum(1 for slot in self.slots[first_span_slot:] if slot[2] is None)
                need = attractors - free
            if need > 0 and left < 3:
                return None  # the attractors no longer fit: draw the sentence again
            if need > 0 and left <= 3 * need:  # only "of the keys" still fits them all
                self._add("of", "PREP")
                det = self._add("", "")
                self._slot(None, self.nouns.draw(rand), det)
                self._add("", "")
                left -= 3
                kinds.append("pp")
                continue
            if left == 1 or (left == 2 and (self.exact or rand() < 0.5)):
                self._add(self._pick(ADVERBS), "ADV")
                left -= 1
                kinds.append("adverb")
                continue
            before = len(self.toks)
            self.object_position = True
            self._segment(subject, left, 1)
            left -= len(self.toks) - before
            kinds.append("relative" if "REL" in self.tags[before:] else "pp")
        span_slots = range(first_span_slot, len(self.slots))
        free = [s for s in span_slots if self.slots[s][2] is None]
        if self.exact and len(free) < attractors:
            return None
        # Numbers: span nouns of the other number are attractors; free nouns elsewhere are
        # drawn evenly.
        other = 1 - label
        slots = self.slots
        if self.exact:
            chosen = set()
            order = list(free)
            for i in range(attractors):
                j = i + int(rand() * (len(order) - i))
                order[i], order[j] = order[j], order[i]
                chosen.add(order[i])
            for s in free:
                slots[s][2] = other if s in chosen else label
        else:
            for s in free:
                slots[s][2] = other if rand() < p_attractor else label
        for slot in slots:
            if slot[2] is None:
                slot[2] = int(rand() < 0.5)
        n_attractors = sum(1 for s in span_slots if slots[s][2] == other)
        self._realise_slots(self.slots)
        for pos, forms, controller in self.patches:
            number = slots[controller][2]
            if controller == subject and self.coordinated is not None:
                number = 1
            self.toks[pos], self.tags[pos] = forms[number], NUMBER_TAGS["verb"][number]
        agreements = [(slots[c][0], pos) for pos, _, c in self.patches]

        verb_index = len(self.toks)
        verb_kind = self.verb_kinds[int(rand() * len(self.verb_kinds))]
        verb = self.verbs.draw(rand)
        if verb_kind == "lexical":
            forms = (verb[0], verb[1])
        else:
            plain, negated = AGREEING_AUXILIARIES[verb_kind]
            forms = negated if rand() < P["negated"] else plain
        self._add(forms[label], NUMBER_TAGS["verb"][label])
        agreements.append((subject_index, verb_index))
        self._continuation(verb_kind, verb)
        self._add(".", "PUNCT")

        text = detokenise(self.toks, self.name_set)
        tokens = normalise(text)
        if tokens != self.toks:  # the written sentence must read back as generated
            raise AssertionError(f"text {text!r} does not normalise to its tokens {self.toks}")
        return {
            "tokens": tokens,
            "tags": self.tags,
            "text": text,
            "subject_start": subject_start,
            "subject_index": subject_index,
            "verb_index": verb_index,
            "label": label,
            "dependency_length": length,
            "n_attractors": n_attractors,
            "n_intervening_nouns": len(span_slots),
            "construction": "+".join(dict.fromkeys(kinds)) or "none",
            "depth": 1 if kinds else 0,
            "verb_kind": verb_kind,
            "correct_verb": forms[label],
            "wrong_verb": forms[1 - label],
            "agreements": agreements,
        }

    def _realise_slots(self, slots) -> None:
        """Writes each common noun's form and its determiner, now that numbers are known."""
        toks, tags = self.toks, self.tags
        for pos, lemma, number, det, draw in slots:
            if lemma is None:
                continue  # a name or pronoun, written already
            singular, plurals = lemma
            toks[pos] = plurals[0 if draw < 0.8 or len(plurals) == 1 else 1] if number else singular
            tags[pos] = NUMBER_TAGS["noun"][number]
            if det < 0:
                continue
            if draw < P["marked_det"]:
                options = PLURAL_DETERMINERS if number else SINGULAR_DETERMINERS
                word = options[int(draw / P["marked_det"] * len(options))]
                toks[det], tags[det] = word, NUMBER_TAGS["det"][number]
            else:
                share = (draw - P["marked_det"]) / (1 - P["marked_det"])
                toks[det] = NEUTRAL_DETERMINERS[int(share * len(NEUTRAL_DETERMINERS))]
                tags[det] = "DET"
            if toks[det] == "a" and toks[det + 1][:1] in _VOWELS:
                toks[det] = "an"

    def _continuation(self, verb_kind: str, verb) -> None:
        rand = self.rand
        self.object_position = True
        if verb_kind in ("be_present", "be_past"):
            if rand() < 0.5:
                self._add(self.adjectives.draw(rand), "ADJ")
                return
            self._add(verb[4], "V_ING")
        elif verb_kind == "have":
            self._add(verb[3], "V_PTCP")
        elif verb_kind == "do":
            self._add(verb[1], "V_BASE")
        if rand() < P["object"]:
            slot, _ = self._np(3, self.max_depth, fixed_ok=True)
            if self.slots[slot][2] is None:
                self.slots[slot][2] = int(rand() < 0.5)
            self._realise_slots([self.slots[slot]])  # after the main pass: on its own
