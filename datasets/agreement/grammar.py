"""The agreement grammar: sentences whose main verb agrees with a distant subject.

    sentence  -> [prefix] subject span verb continuation "."
    prefix    -> "yesterday ," | "in the morning ," | PP ","          (moves the subject)
    subject   -> DET [ADJ] NOUN
    span      -> segment* ADV*                  (exactly `dependency_length` words)
    segment   -> PP | SUBJECT_RELATIVE | OBJECT_RELATIVE
    PP        -> PREP NP                                   "to the cabinets"
    SUBJECT_RELATIVE -> [","] REL ADV* VERB NP ("and" VERB NP)* [","]
                                                           ", which already ate the fish ,"
    OBJECT_RELATIVE  -> [","] REL NP ADV* VERB [","]       "that the dogs chase"
    NP        -> DET [ADJ] NOUN [segment]        (nested segment while depth < max_depth)
    verb      -> is/are | was/were | has/have | eats/eat

A clause verb is either past (number-neutral: "chased") or present, and then it agrees with
its own subject: the noun the subject relative attaches to, or the object relative's NP
("the cat that the dogs chase is"). Commas only on relatives attached to the subject.

Generation is length-exact: the span is built against a word budget, so every sentence has
exactly the dependency length drawn for it. Noun numbers inside the span are decided after
its structure, so an exact number of attractors can be placed anywhere in it.

Speed: the lexicon is tuples, random draws use one bound `random()` method, and tokens and
tags are appended in place; `benchmark.py` measures sentences per second.
"""

from __future__ import annotations

from datasets.agreement.config import CONSTRUCTIONS, MIN_WORDS_PER_NOUN, ControlledConfig
from datasets.agreement.lexicon import (
    AGREEING,
    DETERMINERS,
    PREPOSITIONS,
    SUBORDINATORS,
    build_lexicon,
)
from datasets.agreement.tags import NOUN_TAGS, VERB_TAGS

PREFIXES = (
    (("yesterday", ","), ("ADV", "PUNCT")),
    (("today", ","), ("ADV", "PUNCT")),
    (("sometimes", ","), ("ADV", "PUNCT")),
    (("meanwhile", ","), ("ADV", "PUNCT")),
    (("once", ","), ("ADV", "PUNCT")),
    (("in", "the", "morning", ","), ("PREP", "DET", "N_SG", "PUNCT")),
    (("in", "the", "evening", ","), ("PREP", "DET", "N_SG", "PUNCT")),
    (("at", "night", ","), ("PREP", "N_SG", "PUNCT")),
)
_MAX_ADVERBS = 3  # per adverb sequence


class SentenceGenerator:
    """Draws sentences for one configuration. `sentence()` is the hot path."""

    def __init__(self, config: ControlledConfig):
        self.config = config
        lexicon = build_lexicon(config.lexicon_size)
        self.nouns = lexicon.nouns
        # Agreement pairs (singular, plural) and the rest of each verb's forms.
        self.present = tuple((v[0], v[1]) for v in lexicon.verbs)
        self.past = tuple(v[2] for v in lexicon.verbs)
        self.participles = tuple(v[3] for v in lexicon.verbs)
        self.adjectives = lexicon.adjectives
        self.adverbs = lexicon.adverbs
        self.per_noun = config.words_per_noun
        weights = config.constructions
        self.kinds = tuple(k for k in CONSTRUCTIONS if weights[k] > 0)
        total = sum(weights[k] for k in self.kinds)
        self.cumulative = tuple(
            sum(weights[k] for k in self.kinds[: i + 1]) / total for i in range(len(self.kinds))
        )
        self.short_kinds = tuple(k for k in self.kinds if MIN_WORDS_PER_NOUN[k] == 3)
        self.builders = {
            "pp": self._pp,
            "subject_relative": self._subject_relative,
            "object_relative": self._object_relative,
        }
        self.verb_kinds = config.verb_kinds
        c = config
        self.p_adj, self.p_adv, self.p_nest = (
            c.adjective_probability,
            c.adverb_probability,
            c.nesting_probability,
        )
        self.p_coord, self.p_comma, self.p_present = (
            c.coordination_probability,
            c.comma_probability,
            c.present_tense_probability,
        )
        self.max_depth = c.max_depth
        self.p_clause, self.clause_length = c.fronted_clause_probability, c.fronted_clause_length

    # ---- word budget ------------------------------------------------------------------
    # `left` counts span words not yet promised; `need` counts nouns still owed to reach
    # the sentence's attractor count. A construction reserves its mandatory words (and
    # pays one owed noun) when it starts; an optional part of x words adding y nouns is
    # allowed only if the owed nouns still fit afterwards (`per_noun` words each).

    def _can(self, words: int, nouns: int) -> bool:
        owed = self.need - nouns
        return self.left - words >= (self.per_noun * owed if owed > 0 else 0)

    def _pick_kind(self, nested: bool) -> str | None:
        """A construction that fits the budget (weighted), or None."""
        owed = self.need - 1
        room = self.left - (self.per_noun * owed if owed > 0 else 0)
        if room < 3 or (nested and self.rand() >= self.p_nest):
            return None
        if room == 3:
            return "pp" if self.short_kinds else None
        kinds, cumulative = self.kinds, self.cumulative
        x = self.rand()
        for kind, edge in zip(kinds, cumulative, strict=True):
            if x < edge:
                return kind
        return kinds[-1]

    def _start(self, kind: str) -> None:
        self.left -= MIN_WORDS_PER_NOUN[kind]
        self.need -= 1

    # ---- constructions ----------------------------------------------------------------

    def _np_head(self) -> int:
        """DET [ADJ] NOUN outside the span's word budget; returns the noun's slot."""
        rand, toks, tags = self.rand, self.toks, self.tags
        toks.append(DETERMINERS[int(rand() * 11)])
        tags.append("DET")
        if rand() < self.p_adj:
            toks.append(self.adjectives[int(rand() * len(self.adjectives))])
            tags.append("ADJ")
        self.slot_pos.append(len(toks))
        self.slot_noun.append(self.nouns[int(rand() * len(self.nouns))])
        toks.append(None)  # the form is chosen once every noun's number is known
        tags.append(None)
        return len(self.slot_pos) - 1

    def _fronted_clause(self, length: int) -> None:
        """SUB NP span' VERB [NP] ",": a clause with its own subject and a verb that agrees
        with it, `length` words between the two at most (what the budget cannot fill with a
        construction is left out)."""
        rand, toks, tags = self.rand, self.toks, self.tags
        toks.append(SUBORDINATORS[int(rand() * len(SUBORDINATORS))])
        tags.append("CONJ")
        subject = self._np_head()
        self.left, self.need = length, 0
        while (kind := self._pick_kind(nested=False)) is not None:
            self._start(kind)
            self.builders[kind](subject, 1, False)
        verb = int(rand() * len(self.present))
        self.verb_patches.append((len(toks), self.present[verb], subject))
        toks.append(None)
        tags.append(None)
        if rand() < 0.5:  # a transitive verb puts its object right before the comma
            self._np_head()
        toks.append(",")
        tags.append("PUNCT")
        self.depth = 0  # depth describes the main span only

    def _np(self, depth: int) -> int:
        """DET [ADJ] NOUN [nested segment]; returns the noun's slot (its words reserved)."""
        rand, toks, tags = self.rand, self.toks, self.tags
        toks.append(DETERMINERS[int(rand() * 11)])
        tags.append("DET")
        if rand() < self.p_adj and self._can(1, 0):
            self.left -= 1
            toks.append(self.adjectives[int(rand() * len(self.adjectives))])
            tags.append("ADJ")
        slot = len(self.slot_pos)
        self.slot_pos.append(len(toks))
        self.slot_noun.append(self.nouns[int(rand() * len(self.nouns))])
        toks.append(None)  # the form is chosen once every noun's number is known
        tags.append(None)
        if depth < self.max_depth:
            kind = self._pick_kind(nested=True)
            if kind is not None:
                self._start(kind)
                self.depth = max(self.depth, depth + 1)
                self.builders[kind](slot, depth + 1, False)
        return slot

    def _pp(self, head: int, depth: int, top: bool) -> None:
        self.toks.append(PREPOSITIONS[int(self.rand() * len(PREPOSITIONS))])
        self.tags.append("PREP")
        self._np(depth)

    def _open_clause(self, top: bool) -> bool:
        if top and self.rand() < self.p_comma:
            # ", which ... ," costs two words more than "that ..."; right after another
            # comma-clause the opening comma is shared (", which A , which B ,").
            extra = 1 if self.toks[-1] == "," else 2
            if self._can(extra, 0):
                self.left -= extra
                if extra == 2:
                    self.toks.append(",")
                    self.tags.append("PUNCT")
                self.toks.append("which")
                self.tags.append("REL")
                return True
        self.toks.append("that")
        self.tags.append("REL")
        return False

    def _adverbs(self) -> None:
        rand, n = self.rand, 0
        while n < _MAX_ADVERBS and rand() < self.p_adv and self._can(1, 0):
            self.left -= 1
            self.toks.append(self.adverbs[int(rand() * len(self.adverbs))])
            self.tags.append("ADV")
            n += 1

    def _clause_verb(self, controller: int) -> None:
        """A clause verb: present, agreeing with `controller`'s slot, or number-neutral past."""
        rand = self.rand
        verb = int(rand() * len(self.present))
        if rand() < self.p_present:
            self.verb_patches.append((len(self.toks), self.present[verb], controller))
            self.toks.append(None)
            self.tags.append(None)
        else:
            self.toks.append(self.past[verb])
            self.tags.append("V_PST")

    def _subject_relative(self, head: int, depth: int, top: bool) -> None:
        commas = self._open_clause(top)
        self._adverbs()
        self._clause_verb(head)
        self._np(depth)
        while self.rand() < self.p_coord and self._can(4, 1):
            self.left -= 4
            self.need -= 1
            self.toks.append("and")
            self.tags.append("CONJ")
            self._clause_verb(head)
            self._np(depth)
        if commas:
            self.toks.append(",")
            self.tags.append("PUNCT")

    def _object_relative(self, head: int, depth: int, top: bool) -> None:
        commas = self._open_clause(top)
        subject = self._np(depth)
        self._adverbs()
        self._clause_verb(subject)
        if commas:
            self.toks.append(",")
            self.tags.append("PUNCT")

    # ---- one sentence -----------------------------------------------------------------

    def sentence(
        self, rand, length: int, attractors: int | None, label: int, p_attractor: float = 0.5
    ) -> dict:
        """One example with exactly `length` span words and, unless `attractors` is None,
        exactly that many attractors (else each span noun is one with `p_attractor`)."""
        self.rand = rand
        toks: list = []
        tags: list = []
        self.toks, self.tags = toks, tags
        nouns = self.nouns
        n_nouns = len(nouns)

        self.slot_pos, self.slot_noun, self.verb_patches = [], [], []
        self.depth = 0
        if rand() < self.config.prefix_probability:
            if rand() < self.p_clause:
                low, high = self.clause_length
                self._fronted_clause(low + int(rand() * (high - low + 1)))
            elif rand() < 0.5:
                words, word_tags = PREFIXES[int(rand() * len(PREFIXES))]
                toks += words
                tags += word_tags
            else:  # a fronted PP puts a noun before the subject
                toks.append(PREPOSITIONS[int(rand() * len(PREPOSITIONS))])
                tags.append("PREP")
                self._np_head()
                toks.append(",")
                tags.append("PUNCT")
        subject = self._np_head()  # slots before it are the prefix's nouns
        subject_index = self.slot_pos[subject]
        first_span_slot = subject + 1

        # The span: constructions against the word budget, then adverbs for what is left.
        self.left, self.need, self.depth = length, attractors or 0, 0
        preverbal = 0
        while preverbal < 1 and rand() < self.p_adv and self._can(1, 0):
            preverbal += 1
            self.left -= 1
        top_kinds = []
        while True:
            kind = self._pick_kind(nested=False)
            if kind is None:
                break
            self._start(kind)
            self.depth = max(self.depth, 1)
            top_kinds.append(kind)
            self.builders[kind](subject, 1, True)
        preverbal += self.left
        if preverbal:
            adverbs, n_adverbs = self.adverbs, len(self.adverbs)
            toks += [adverbs[int(rand() * n_adverbs)] for _ in range(preverbal)]
            tags += ("ADV",) * preverbal
            top_kinds.append("adverbs")

        # Numbers: prefix nouns are drawn freely, the subject's is the label, and span nouns
        # that differ from it are attractors.
        slot_pos, slot_noun = self.slot_pos, self.slot_noun
        n_slots = len(slot_pos)
        n_span = n_slots - first_span_slot
        other = 1 - label
        numbers = [1 if rand() < 0.5 else 0 for _ in range(subject)]
        numbers += [label] * (n_span + 1)
        if attractors is None:
            n_attractors = 0
            for slot in range(first_span_slot, n_slots):
                if rand() < p_attractor:
                    numbers[slot] = other
                    n_attractors += 1
        else:
            n_attractors = attractors
            slots = list(range(first_span_slot, n_slots))
            for i in range(attractors):  # partial Fisher-Yates: `attractors` distinct slots
                j = i + int(rand() * (n_span - i))
                slots[i], slots[j] = slots[j], slots[i]
                numbers[slots[i]] = other
        for slot in range(n_slots):
            number = numbers[slot]
            pos = slot_pos[slot]
            toks[pos] = slot_noun[slot][number]
            tags[pos] = NOUN_TAGS[number]
        agreements = []
        for pos, forms, slot in self.verb_patches:
            number = numbers[slot]
            toks[pos] = forms[number]
            tags[pos] = VERB_TAGS[number]
            agreements.append((slot_pos[slot], pos))

        # The agreeing verb and the rest of the sentence.
        verb_index = len(toks)
        verb_kind = self.verb_kinds[int(rand() * len(self.verb_kinds))]
        verb = int(rand() * len(self.present))
        forms = AGREEING.get(verb_kind) or self.present[verb]
        toks.append(forms[label])
        tags.append(VERB_TAGS[label])
        agreements.append((subject_index, verb_index))
        if verb_kind == "have":
            toks.append(self.participles[verb])
            tags.append("V_PTCP")
        if verb_kind in ("have", "lexical"):
            number = 1 if rand() < 0.5 else 0
            toks += (DETERMINERS[int(rand() * 11)], nouns[int(rand() * n_nouns)][number], ".")
            tags += ("DET", NOUN_TAGS[number], "PUNCT")
        else:
            toks += (self.adjectives[int(rand() * len(self.adjectives))], ".")
            tags += ("ADJ", "PUNCT")

        return {
            "tokens": toks,
            "tags": tags,
            "subject_index": subject_index,
            "verb_index": verb_index,
            "label": label,
            "dependency_length": length,
            "n_attractors": n_attractors,
            "n_intervening_nouns": n_span,
            "construction": "+".join(top_kinds) or "none",
            "depth": self.depth,
            "verb_kind": verb_kind,
            "correct_verb": forms[label],
            "wrong_verb": forms[1 - label],
            "agreements": agreements,
        }
