"""Who controls each agreeing verb, read from the sentence's structure, not the generator's.

`check_example` verifies every verb against the controller the generator recorded in
`agreements`, so a generator that records the wrong controller is self-consistent. Here an
independent reader parses the tags with the grammar documented in grammar.py and derives
each verb's controller from the structure:

    sentence  -> [prefix] subject span VERB continuation
    prefix    -> ADV "," | PREP [DET] NOUN "," | SUB NP segment* VERB [NP] ","
    span      -> segment* ADV*
    segment   -> PREP NP                                  (a PP)
               | [","] REL ADV* VERB NP ("and" VERB NP)* [","]  (subject relative)
               | [","] REL NP ADV* VERB [","]                   (object relative)
    NP        -> DET [ADJ] NOUN [segment]                 (nested while depth < max_depth)

A subject relative's verbs are controlled by the noun the relative attaches to; an object
relative's verb by the head noun of the NP right after "that"/"which"; a fronted clause's
verb by its own subject; the main verb by the sentence's subject. Attachment can be
ambiguous ("the cat near the dog that ..."), so the reader yields every parse and the
generator's controllers must be one of them.
"""

import pytest

from datasets.agreement import CONFIGS, ControlledConfig, generate

NOUN = ("N_SG", "N_PL")
AGREEING = ("V_SG", "V_PL")
CLAUSE_VERB = ("V_SG", "V_PL", "V_PST")


class StructureReader:
    """Every parse of one sentence's tags, as {verb index: controller index} maps.

    Each method takes a position and yields (next position, controllers) for every way the
    constituent can span the tokens from there.
    """

    def __init__(self, tokens: list[str], tags: list[str], max_depth: int):
        self.tokens, self.tags, self.max_depth = tokens, tags, max_depth

    def tag(self, i: int) -> str | None:
        return self.tags[i] if i < len(self.tags) else None

    def token(self, i: int) -> str | None:
        return self.tokens[i] if i < len(self.tokens) else None

    def noun_phrase_head(self, i):
        """DET [ADJ] NOUN: yields (noun index, next position)."""
        if self.tag(i) != "DET":
            return
        i += 1
        if self.tag(i) == "ADJ":
            i += 1
        if self.tag(i) in NOUN:
            yield i, i + 1

    def noun_phrase(self, i, depth):
        """DET [ADJ] NOUN [segment]: yields (noun index, next position, controllers)."""
        for noun, j in self.noun_phrase_head(i):
            yield noun, j, {}
            if depth < self.max_depth:
                for k, controllers in self.segment(j, noun, depth + 1, top=False):
                    yield noun, k, controllers

    def adverbs(self, i):
        while self.tag(i) == "ADV":
            i += 1
        return i

    def segment(self, i, head, depth, top):
        """A PP or a relative clause attached to the noun at `head`."""
        if self.tag(i) == "PREP":
            for _noun, j, controllers in self.noun_phrase(i + 1, depth):
                yield j, controllers
            return
        # Only relatives on the sentence's subject take commas: ", which ... ,", where the
        # opening comma is shared with a comma-clause right before it.
        if top and self.token(i) == "," and self.token(i + 1) == "which":
            opening, commas = i + 1, True
        elif top and self.token(i) == "which" and self.token(i - 1) == ",":
            opening, commas = i, True
        elif self.token(i) == "that":
            opening, commas = i, False
        else:
            return
        for j, controllers in self.relative_body(opening + 1, head, depth):
            if not commas:
                yield j, controllers
            elif self.token(j) == ",":
                yield j + 1, controllers

    def relative_body(self, i, head, depth):
        # Object relative: the clause's own subject NP comes right after the relative word.
        for subject, j, inner in self.noun_phrase(i, depth):
            j = self.adverbs(j)
            if self.tag(j) in CLAUSE_VERB:
                yield j + 1, {**inner, **self.agreeing(j, subject)}
        # Subject relative: the verb comes first and agrees with the noun it attaches to.
        j = self.adverbs(i)
        if self.tag(j) in CLAUSE_VERB:
            yield from self.verb_and_object(j, head, depth, self.agreeing(j, head))

    def verb_and_object(self, verb, head, depth, controllers):
        for _object, j, inner in self.noun_phrase(verb + 1, depth):
            so_far = {**controllers, **inner}
            yield j, so_far
            if self.token(j) == "and" and self.tag(j + 1) in CLAUSE_VERB:
                more = {**so_far, **self.agreeing(j + 1, head)}
                yield from self.verb_and_object(j + 1, head, depth, more)

    def agreeing(self, verb, controller):
        return {verb: controller} if self.tag(verb) in AGREEING else {}

    def segments(self, i, head, top):
        """segment*, each attached to `head` at depth 1."""
        yield i, {}
        for j, controllers in self.segment(i, head, 1, top):
            if j > i:
                for k, more in self.segments(j, head, top):
                    yield k, {**controllers, **more}

    def prefix(self, i):
        yield i, {}
        if self.tag(i) == "ADV" and self.token(i + 1) == ",":
            yield i + 2, {}
        if self.tag(i) == "PREP":
            j = i + 1 + (self.tag(i + 1) == "DET")
            if self.tag(j) == "ADJ":
                j += 1
            if self.tag(j) in NOUN and self.token(j + 1) == ",":
                yield j + 2, {}
        if i == 0 and self.tag(0) == "CONJ":  # a fronted clause with its own subject
            for subject, j in self.noun_phrase_head(1):
                for k, controllers in self.segments(j, subject, top=False):
                    if self.tag(k) not in AGREEING:
                        continue
                    controllers = {**controllers, k: subject}
                    if self.token(k + 1) == ",":
                        yield k + 2, controllers
                    for _object, m in self.noun_phrase_head(k + 1):
                        if self.token(m) == ",":
                            yield m + 1, controllers

    def parses(self):
        """Every {verb: controller} map of a whole-sentence parse, with the main verb."""
        found = []
        for i, before in self.prefix(0):
            for subject, j in self.noun_phrase_head(i):
                for k, span in self.segments(j, subject, top=True):
                    verb = self.adverbs(k)
                    if self.tag(verb) in AGREEING and self.continuation(verb + 1):
                        found.append((verb, {**before, **span, verb: subject}))
        return found

    def continuation(self, i):
        """What follows the main verb: [PTCP] DET NOUN "." | ADJ "."."""
        rest = self.tags[i:]
        if rest[:1] == ["V_PTCP"]:
            rest = rest[1:]
        return rest in (["ADJ", "PUNCT"],) or (
            len(rest) == 3 and rest[0] == "DET" and rest[1] in NOUN and rest[2] == "PUNCT"
        )


def reader_parses(example, max_depth):
    return StructureReader(example["tokens"], example["tags"], max_depth).parses()


CONFIGS_READ = {
    "tiny": CONFIGS["tiny"],
    # Every span construction nests, with commas, coordination and fronted clauses often.
    "nested": ControlledConfig(
        dependency_length=(4, 16),
        long_dependency_length=(17, 20),
        max_depth=3,
        nesting_probability=0.7,
        coordination_probability=0.5,
        present_tense_probability=1.0,
        fronted_clause_probability=1.0,
        lexicon_size=16,
    ),
}


@pytest.mark.parametrize("name", sorted(CONFIGS_READ))
def test_every_verb_controller_is_the_one_the_structure_gives(name):
    config = CONFIGS_READ[name]
    examples = generate(600, seed=21, config=config)
    for example in examples:
        recorded = {target: controller for controller, target in example["agreements"]}
        parses = reader_parses(example, config.max_depth)
        assert parses, example["tokens"]
        assert (example["verb_index"], recorded) in parses, (
            " ".join(example["tokens"]),
            recorded,
            parses,
        )


def test_the_reader_sees_object_relatives_with_their_own_subject():
    """The reader itself, on a hand-written sentence: 'chase' agrees with 'dogs', not 'cat'."""
    tokens = "the cat that the dogs chase is happy .".split()
    tags = ["DET", "N_SG", "REL", "DET", "N_PL", "V_PL", "V_SG", "ADJ", "PUNCT"]
    assert StructureReader(tokens, tags, max_depth=2).parses() == [(6, {5: 4, 6: 1})]
    tokens = "the cat that chases the dogs is happy .".split()
    tags = ["DET", "N_SG", "REL", "V_SG", "DET", "N_PL", "V_SG", "ADJ", "PUNCT"]
    assert StructureReader(tokens, tags, max_depth=2).parses() == [(6, {3: 1, 6: 1})]


def test_the_samples_hold_the_constructions_whose_controllers_differ():
    """The check above is only as good as its sample: it must hold many object relatives whose
    own subject differs in number from the noun just before them (a controller swapped
    between the two would then change the verb's form)."""
    examples = generate(600, seed=21, config=CONFIGS_READ["nested"])
    differing = 0
    for example in examples:
        tokens, tags = example["tokens"], example["tags"]
        for i, token in enumerate(tokens[:-3]):
            if token in ("that", "which") and tags[i + 1] == "DET":
                previous_noun = max(j for j in range(i) if tags[j] in NOUN)
                own_subject = i + 2 + (tags[i + 2] == "ADJ")
                differing += tags[previous_noun] != tags[own_subject]
    assert differing > 100
