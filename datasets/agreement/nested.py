"""The nested grammar: agreements held open while others open and close inside them.

    sentence -> S_0 ("that" S_i)* filler V_{k-1} … V_1 V_0 continuation "."
    S_i      -> DET [ADJ] NOUN                                      the i-th subject
    filler   -> PP* ADV*           (exactly `dependency_length` words; PP -> PREP DET NOUN)

"the keys that the man near the cabinets holds are red ." has k = 2 agreements open at
once: keys … are (main) and man … holds (embedded, an object relative whose object is the
keys). With k = 3, "the keys that the man that the dogs near the cabinets chase holds are
red .": the innermost verb closes first, so a model must keep a stack of numbers, as in
Lakretz et al. (2019)'s nested number-agreement tasks. Every verb agrees with its own
subject; an embedded verb is a present lexical verb, the main verb any of verb_kinds.

Each example tests one verb, chosen uniformly among the sentence's k (its `verb_role`:
"main", or "embedded_1" for the first relative's verb, "embedded_2" inside it, …):
`subject_index`, `verb_index`, `label`, `dependency_length` and `n_attractors` describe
that verb's agreement, so every task and scorer reads a nested example as any other.
Numbers: the tested subject's is the label; the nouns between it and its verb (inner
subjects and the filler's nouns) each differ from it with `attractor_probability`, or
exactly `attractors` of them do; the nouns outside are drawn 50/50.
"""

from __future__ import annotations

from datasets.agreement.config import NestedConfig
from datasets.agreement.lexicon import AGREEING, DETERMINERS, PREPOSITIONS, build_lexicon
from datasets.agreement.tags import NOUN_TAGS, VERB_TAGS

PP_WORDS = 3  # PREP DET NOUN


def verb_role(depth: int) -> str:
    return "main" if depth == 0 else f"embedded_{depth}"


class NestedSentenceGenerator:
    """Draws nested sentences for one configuration (the interface of SentenceGenerator)."""

    def __init__(self, config: NestedConfig):
        self.config = config
        lexicon = build_lexicon(config.lexicon_size)
        self.nouns = lexicon.nouns
        self.present = tuple((v[0], v[1]) for v in lexicon.verbs)
        self.participles = tuple(v[3] for v in lexicon.verbs)
        self.adjectives = lexicon.adjectives
        self.adverbs = lexicon.adverbs
        self.verb_kinds = config.verb_kinds

    def _pick(self, rand, options):
        return options[int(rand() * len(options))]

    def _noun_slot(self, rand, toks, tags, slots, adjective: bool) -> None:
        """DET [ADJ] NOUN with the noun left open until its number is known."""
        toks.append(self._pick(rand, DETERMINERS))
        tags.append("DET")
        if adjective and rand() < self.config.adjective_probability:
            toks.append(self._pick(rand, self.adjectives))
            tags.append("ADJ")
        slots.append((len(toks), self._pick(rand, self.nouns)))
        toks.append(None)
        tags.append(None)

    def sentence(
        self, rand, length: int, attractors: int | None, label: int, p_attractor: float = 0.5
    ) -> dict:
        low, high = self.config.nested_dependencies
        k = low + int(rand() * (high - low + 1))
        tested = int(rand() * k)  # which agreement this example tests (0 = main)
        toks: list = []
        tags: list = []
        slots: list = []  # (position, (singular, plural)) of every noun, in order

        for depth in range(k):
            if depth:
                toks.append("that")
                tags.append("REL")
            self._noun_slot(rand, toks, tags, slots, adjective=True)
        subject_slots = list(range(k))

        # The filler: PPs, at least as many as owed attractors need, then adverbs.
        owed = attractors or 0
        most_pps = length // PP_WORDS
        # At least half the filler is PPs (nouns that can attract), the rest adverbs.
        fewest_pps = min(most_pps, max(owed, -(-most_pps // 2)))
        n_pps = fewest_pps + int(rand() * (most_pps - fewest_pps + 1))
        for _ in range(n_pps):
            toks.append(self._pick(rand, PREPOSITIONS))
            tags.append("PREP")
            self._noun_slot(rand, toks, tags, slots, adjective=False)
        n_adverbs = length - PP_WORDS * n_pps
        toks += [self._pick(rand, self.adverbs) for _ in range(n_adverbs)]
        tags += ["ADV"] * n_adverbs

        # Numbers: the tested subject's is the label; the nouns its agreement crosses are
        # the inner subjects and the filler's; the outer subjects are free.
        numbers = [None] * len(slots)
        numbers[tested] = label
        crossed = list(range(tested + 1, len(slots)))
        for slot in range(tested):
            numbers[slot] = 1 if rand() < 0.5 else 0
        if attractors is None:
            for slot in crossed:
                numbers[slot] = 1 - label if rand() < p_attractor else label
        else:
            if attractors > len(crossed):
                raise ValueError(
                    f"attractors: {attractors} do not fit the {len(crossed)} nouns of a "
                    f"{length}-word filler; use a longer dependency_length"
                )
            for slot in crossed:
                numbers[slot] = label
            for i in range(attractors):  # partial Fisher-Yates: distinct crossed nouns
                j = i + int(rand() * (len(crossed) - i))
                crossed[i], crossed[j] = crossed[j], crossed[i]
                numbers[crossed[i]] = 1 - label
        for (position, forms), number in zip(slots, numbers, strict=True):
            toks[position] = forms[number]
            tags[position] = NOUN_TAGS[number]

        # The verbs close the agreements innermost first; the main verb comes last.
        agreements, verb_positions = [], {}
        for depth in reversed(subject_slots):
            number = numbers[depth]
            if depth:
                kind, verb = "lexical", int(rand() * len(self.present))
                forms = self.present[verb]
            else:
                kind = self._pick(rand, self.verb_kinds)
                verb = int(rand() * len(self.present))
                forms = AGREEING.get(kind) or self.present[verb]
            verb_positions[depth] = (len(toks), kind, forms)
            agreements.append((slots[depth][0], len(toks)))
            toks.append(forms[number])
            tags.append(VERB_TAGS[number])
        if kind == "have":
            toks.append(self.participles[verb])
            tags.append("V_PTCP")
        if kind in ("have", "lexical"):
            number = 1 if rand() < 0.5 else 0
            toks += (self._pick(rand, DETERMINERS), self._pick(rand, self.nouns)[number], ".")
            tags += ("DET", NOUN_TAGS[number], "PUNCT")
        else:
            toks += (self._pick(rand, self.adjectives), ".")
            tags += ("ADJ", "PUNCT")

        subject_index = slots[tested][0]
        verb_index, verb_kind, forms = verb_positions[tested]
        between = [numbers[slot] for slot in range(tested + 1, len(slots))]
        return {
            "tokens": toks,
            "tags": tags,
            "subject_index": subject_index,
            "verb_index": verb_index,
            "label": label,
            "dependency_length": verb_index - subject_index - 1,
            "n_attractors": sum(number != label for number in between),
            "n_intervening_nouns": len(between),
            "construction": "nested",
            "depth": k - 1,  # relative clauses inside the main subject's
            "verb_kind": verb_kind,
            "correct_verb": forms[label],
            "wrong_verb": forms[1 - label],
            "agreements": agreements,
            "nested_dependencies": k,
            "verb_role": verb_role(tested),
            "filler_length": length,
        }
