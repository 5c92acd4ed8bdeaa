"""The `english` grammar checked against English, not against the generator's own tags.

The reader (english_reader.py) was written from the grammar in english.py's docstring and
from English: irregular plurals and determiners are hand-written tables, a verb's number is
read from its form by `evaluate.verb_number` (as `evaluate pairs` reads it), a subject's
number from its words, and each verb's controller from an independent parse of the
sentence. The reader is itself tested on hand-written sentences first.
"""

from __future__ import annotations

from collections import Counter

import lemminflect
import pytest

from datasets import agreement
from datasets.agreement import english_lexicon
from evaluate.verb_number import noun_number, verb_number

# The reader --------------------------------------------------------------------------------
SINGULAR, PLURAL = 0, 1

# Irregular plurals, written by hand from English (not from the lexicon).
IRREGULAR_PLURALS = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "mouse": "mice",
    "louse": "lice",
    "foot": "feet",
    "tooth": "teeth",
    "goose": "geese",
    "ox": "oxen",
    "datum": "data",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "radius": "radii",
    "cactus": "cacti",
    "fungus": "fungi",
    "nucleus": "nuclei",
    "stimulus": "stimuli",
    "alumnus": "alumni",
    "analysis": "analyses",
    "thesis": "theses",
    "crisis": "crises",
    "hypothesis": "hypotheses",
    "diagnosis": "diagnoses",
    "basis": "bases",
    "axis": "axes",
    "oasis": "oases",
    "paralysis": "paralyses",
    "synopsis": "synopses",
    "medium": "media",
    "curriculum": "curricula",
    "memorandum": "memoranda",
    "bacterium": "bacteria",
    "stratum": "strata",
    "ovum": "ova",
    "larva": "larvae",
    "alumna": "alumnae",
    "vertebra": "vertebrae",
    "formula": "formulae",
    "index": "indices",
    "appendix": "appendices",
    "matrix": "matrices",
    "vertex": "vertices",
    "phylum": "phyla",
    "genus": "genera",
    "corpus": "corpora",
    "tableau": "tableaux",
    "bureau": "bureaux",
    "policeman": "policemen",
    "fireman": "firemen",
    "chairman": "chairmen",
    "gentleman": "gentlemen",
    "businesswoman": "businesswomen",
    "spokesman": "spokesmen",
    "grandchild": "grandchildren",
}
IRREGULAR_SINGULARS = {plural: singular for singular, plural in IRREGULAR_PLURALS.items()}
# Forms that are both singular and plural: English does not mark their number.
NUMBERLESS_NOUNS = frozenset(
    "sheep deer fish series species aircraft spacecraft means offspring salmon moose bison "
    "swine headquarters corps craft trout cod insignia pars".split()
)
# Nouns with no singular form, plural whatever their determiner ("the police are").
PLURAL_ONLY_NOUNS = frozenset("police cattle people".split())
# Singular nouns that end in "s": fields of study, games, a few diseases, "news".
SINGULAR_NOUNS_IN_S = frozenset(
    "news physics mathematics economics linguistics genetics electronics gymnastics "
    "athletics acoustics optics measles mumps billiards".split()
)
# Adjectives that name a group of people after "the", plural: "the poor are", "the dead
# were", "the elderly live".
GROUP_ADJECTIVES = frozenset(
    "poor rich dead wounded injured elderly young old sick homeless unemployed disabled "
    "wealthy living blind deaf needy hungry famous".split()
)

# A fixed table of determiners (words, not tags). "that" and "one" are determiners only
# where they stand before a noun ("that boy", "one boy"), not as "that"-clauses or "one of".
SINGULAR_DETERMINERS = frozenset("a an this that every each another one either neither".split())
PLURAL_DETERMINERS = frozenset(
    "these those many several few both two three four five six seven eight nine ten "
    "eleven twelve twenty thirty forty fifty hundred".split()
)
NUMBER_NEUTRAL_DETERMINERS = frozenset(
    "the my your his her its our their some any no all most whose which what".split()
)

SINGULAR_PRONOUNS = frozenset(
    "he she it someone somebody something everyone everybody everything nobody no-one "
    "anyone anybody anything one this that him her me".split()
)
PLURAL_PRONOUNS = frozenset("they we you them us these those".split())
I_PRONOUN = frozenset(["i"])  # "I" takes the plural form ("I am" aside)

# Nouns that take a whole clause of their content after "that" ("the fact that the workers
# are tired is"), written from English: "that" after them opens no relative, and the clause
# has no gap.
CONTENT_NOUN_WORDS = frozenset(
    """
    fact facts idea ideas belief beliefs claim claims hope hopes fear fears rumor rumors
    rumour rumours report reports possibility possibilities suggestion suggestions argument
    arguments complaint complaints view views theory theories assumption assumptions sign
    signs risk risks doubt doubts feeling feelings impression impressions warning warnings
    promise promises proof proofs notion notions news evidence statement statements
    conclusion conclusions thought thoughts hypothesis hypotheses message messages
    """.split()
)
# Quantity heads before "of": their own number, or None where the of-phrase decides.
SINGULAR_QUANTITY = frozenset("one each either neither".split())
PLURAL_QUANTITY = frozenset("both many several few two three four five".split())
FOLLOWING_QUANTITY = frozenset(
    "some all most half none any rest lot lots plenty majority remainder total handful "
    "thirds quarters".split()
)
# "a third of", "a quarter of": fractions, whose of-phrase decides; "the third of the
# bridges" is an ordinal, which picks one.
FRACTIONS = frozenset("third quarter fifth".split())
ORDINALS = frozenset("first second third fourth fifth last next".split())


def picks_one(word: str) -> bool:
    """An ordinal or a superlative before "of" picks one member: "the first of the boys",
    "the oldest of the churches", "the best of them". (A noun ending in -est, "the west of",
    is a singular head all the same.)"""
    return word in ORDINALS or word.endswith("est")


COORDINATORS = frozenset("and but so or yet".split())
TIME_DETERMINERS = frozenset("every each this last next one all".split())
TIME_NOUNS = frozenset(
    "morning afternoon evening night day week weekend month year time spring summer autumn "
    "winter".split()
)
NOUN_TAGS = ("N_SG", "N_PL")
HEAD_TAGS = ("N_SG", "N_PL", "PROPN", "PRON_SG", "PRON_PL")
AGREEING_TAGS = ("V_SG", "V_PL")


def is_numeral(word: str) -> bool:
    return word.replace(",", "").isdigit()  # "2,000" as well as "12"


def numeral_value(word: str) -> int:
    return int(word.replace(",", ""))


def numeral_number(word: str) -> int | None:
    if is_numeral(word):
        return SINGULAR if numeral_value(word) == 1 else PLURAL
    if word == "one":
        return SINGULAR
    if word in PLURAL_DETERMINERS:
        return PLURAL
    return None


def determiner_number(word: str) -> int | None:
    """The number a determiner word marks, from the table; None if it marks none."""
    if word in SINGULAR_DETERMINERS:
        return SINGULAR
    if word in PLURAL_DETERMINERS or (is_numeral(word) and numeral_value(word) != 1):
        return PLURAL
    return None


def noun_form_number(word: str) -> int | None:
    """A noun's number from its form alone: the irregular table, then lemminflect."""
    if word in NUMBERLESS_NOUNS:
        return None
    if word in PLURAL_ONLY_NOUNS:
        return PLURAL
    if word in SINGULAR_NOUNS_IN_S:
        return SINGULAR
    if word in IRREGULAR_SINGULARS:
        return PLURAL
    if word in IRREGULAR_PLURALS:
        return SINGULAR
    number = noun_number(word)
    if number is not None:
        return number
    # lemminflect lists many singulars among their own plurals too (mass uses: "rock",
    # "example"): a word that is its own noun lemma and has a distinct plural is singular.
    lemmas = lemminflect.getAllLemmas(word, upos="NOUN").get("NOUN", ())
    for lemma in lemmas:
        plurals = lemminflect.getAllInflections(lemma, upos="NOUN").get("NNS", ())
        if lemma == word and any(plural != word for plural in plurals):
            return SINGULAR  # "rock" (lemminflect also lists it as a mass plural)
        if lemma != word and word in plurals:
            return PLURAL
    # A noun with no plural but itself is a mass noun ("music", "furniture", "dust"), and a
    # mass noun is singular: "the music is loud". (Forms that are plurals too, "sheep",
    # are in NUMBERLESS_NOUNS above.)
    if word in lemmas:
        return SINGULAR
    # Words lemminflect does not know ("county"): a final -s (not -ss, -us, -is) marks a
    # plural, and a noun without it is singular (irregular plurals are in the tables above).
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return PLURAL
    return SINGULAR


def head_number(tokens, tags, start, head) -> int | None:
    """The number of one noun phrase `tokens[start..head]` (no coordination, no quantity)."""
    word, tag = tokens[head], tags[head]
    if tag == "REL" and word == "which":
        return SINGULAR  # ", which means": "which" stands for the clause before it
    if tag in ("PRON_SG", "PRON_PL"):
        if word in PLURAL_PRONOUNS:
            return PLURAL
        if word in SINGULAR_PRONOUNS:
            return SINGULAR
        return None
    if tag == "PROPN":
        return SINGULAR  # names are singular
    if tag == "V_ING":
        return SINGULAR  # a gerund phrase: "playing video games is"
    if word in GROUP_ADJECTIVES and head > start and tokens[head - 1] == "the":
        return PLURAL  # "the poor are"
    form = noun_form_number(word)
    # The determiner counts only when no possessor stands between it and the noun: in
    # "the boys' teacher" and "every boy's dogs" the determiner belongs to the possessor.
    before = tokens[start:head]
    if any(t == "POSS" for t in tags[start:head]):
        return form
    # A numeral before a hyphen is part of a modifier ("a twelve - kilometre county"), not
    # the phrase's determiner.
    marked = [determiner_number(w) for k, w in enumerate(before) if tokens[start + k + 1] != "-"]
    marked = [m for m in marked if m is not None]
    if form is None and marked:
        return marked[-1]
    return form


def joins_modifiers(tags, i) -> bool:
    """Whether the coordinator at i joins adjectives or adverbs ("big and old", "politely
    but firmly"), not noun phrases."""
    return tags[i - 1] in ("ADJ", "ADV") and tags[i + 1 : i + 2] in (["ADJ"], ["ADV"])


def phrase_number(tokens, tags, start, head) -> int | None:
    """The number English gives the subject `tokens[start..head]`, read from its words."""
    words = tokens[start : head + 1]
    # Noun phrases joined by "or" ("the bus or the train", "either the boys or the girl"):
    # the nearer one's number, as usage guides prescribe.
    for k in range(len(words) - 1, 0, -1):
        if words[k] == "or" and not joins_modifiers(tags, start + k):
            return phrase_number(tokens, tags, start + k + 1, head)
    # Coordination of two noun phrases ("X and Y", also "the girl who sings and Paula"):
    # plural; but after "each" or "every", which takes the nouns one at a time, singular
    # ("every man and woman is", "each boy and each girl has"), as usage guides prescribe.
    for k in range(1, len(words)):
        if words[k] == "and" and not joins_modifiers(tags, start + k):
            return SINGULAR if words[0] in ("each", "every") else PLURAL
    # Quantity heads: "one of the boys", "the number of images", "some of the cake".
    if "of" in words:
        k = words.index("of")
        quantity = [w for w in words[:k] if w not in ("the", "a", "an")]
        rest = start + k + 1
        if words[:k] in (["the", "number"], ["the", "total", "number"]):
            return SINGULAR
        if words[:k] == ["a", "number"]:
            return PLURAL
        if words[:k] == ["number"]:
            return None  # a fragment cut before "a" or "the": English cannot tell
        fraction = k >= 2 and words[k - 2] == "a" and words[k - 1] in FRACTIONS
        if quantity and (quantity[-1] in FOLLOWING_QUANTITY or fraction):
            return phrase_number(tokens, tags, rest, head)
        if quantity and (quantity[-1] in SINGULAR_QUANTITY or picks_one(quantity[-1])):
            return SINGULAR
        if quantity and (quantity[-1] in PLURAL_QUANTITY or determiner_number(quantity[-1]) == 1):
            return PLURAL
        if quantity and quantity[-1] in ("couple",):
            return PLURAL
    return head_number(tokens, tags, start, head)


# What joins two adjectives or two adverbs ("clean or poor", "politely but firmly").
MODIFIER_JOINERS = ("and", "but", "or")


def noun_after_determiner(tokens, tags, i):
    """The index of the noun (or possessor) a determiner at i stands before, else None.

    Skips adjectives (also coordinated, "big and old"), hyphenated modifier parts ("40 -
    page", "well - known"), numerals and nouns used as modifiers."""
    j = i + 1
    while j < len(tokens):
        if tags[j] in ("ADJ", "N_MOD", "HYPH", "NUM") or is_numeral(tokens[j]):
            j += 1
        elif tokens[j] in MODIFIER_JOINERS and j > i + 1 and tags[j - 1] == "ADJ":
            j += 1
        elif tokens[j] in PLURAL_DETERMINERS and j == i + 1:  # "the 24 lights" / "the two"
            j += 1
        else:
            break
    if j < len(tokens) and tags[j] in ("N_SG", "N_PL", "POSS"):
        return j
    return None


def possessor_word(token: str) -> str:
    return token[:-2] if token.endswith("'s") else token


class StructureReader:
    """Every parse of one sentence's tags as {verb: (controller, subject start, role)} maps.

    The grammar (english.py's docstring), read permissively:

        sentence -> [lead [","]] clause tail* "." [QUOTE]
        clause   -> subject span verb_group continuation        (the verb's controller:
                                                                   the subject's head)
        continuation -> [object | ADJ ("and" ADJ)*] ("and"|","and" ADV* VP)*
                        [[","] ["that"] [","] [QUOTE] clause]  (a complement)
        tail     -> [","] CONJ clause                            (coordinated/subordinate)
        span     -> (segment | ADV | "and")*
        segment  -> PREP+ NP | [","] REL ADV* VP [","] | [REL] NP ADV* verb_group
                  | "whose" [ADJ] NOUN ADV* VP | "where" NP ADV* VP
                  | "," NP "," | "(" PREP+ NP ")"

    Each method takes a position and returns a list of (next position, facts) pairs, where
    facts is a tuple of (verb, controller, subject start, role).
    """

    def __init__(self, tokens, tags, max_depth=4, loose=False):
        """`loose` also lets a relative attach to a noun English does not let it reach (the
        subject of an object relative already closed by its verb, a noun inside a closed
        parenthesis): used only to name the generator's sentences that do so."""
        self.tokens, self.tags, self.max_depth = list(tokens), list(tags), max_depth
        self.loose = loose
        self.memo = {}

    def tag(self, i):
        return self.tags[i] if 0 <= i < len(self.tags) else None

    def token(self, i):
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def cached(self, key, compute):
        if key not in self.memo:
            self.memo[key] = list(dict.fromkeys(compute()))
        return self.memo[key]

    # Noun phrases ---------------------------------------------------------------------
    def np_core(self, i):
        """[quantity "of"] [DET|NUM] [POSS] [modifier] [N_MOD] NOUN, or a name/pronoun.

        Returns [(head, next)]."""
        j = i
        while self.tag(j) in ("Q", "Q_SG", "Q_PL") or (
            self.tag(j) == "DET_PL"
            and self.token(j)
            in ("a", "number", "lot", "of", "plenty", "lots", "couple", "handful", "total")
        ):
            j += 1
        quantity = j - 1 if j > i else None
        if j > i and self.token(j) == "of":
            j += 1
        elif j > i and self.token(j - 1) != "of":
            return []
        if quantity is not None and self.token(quantity) == "of":
            quantity -= 1
        heads = []
        if self.token(j) == "the" and self.tag(j + 1) == "PROPN":  # "the United States"
            run = j + 1
            while self.tag(run + 1) == "PROPN":
                run += 1
            return [(run, run + 1)]
        if self.tag(j) in ("PROPN", "PRON_SG", "PRON_PL"):
            heads = [(j, j + 1)]
            if self.tag(j) == "PROPN" and self.tag(j + 1) == "PROPN":  # "Winston Churchill"
                heads.append((j + 1, j + 2))
        approximate = j
        while self.tag(approximate) == "ADV":  # "over 300 species", "more than 2,000 people"
            approximate += 1
        if approximate > j and is_numeral(self.token(approximate)):
            j = approximate
        while self.tag(j) in ("DET", "DET_SG", "DET_PL", "NUM", "HYPH", "POSS", "ADJ", "N_MOD") or (
            self.token(j) in MODIFIER_JOINERS
            and self.tag(j - 1) == "ADJ"
            and self.tag(j + 1) == "ADJ"
        ):
            j += 1
        if self.tag(j) in NOUN_TAGS:
            heads = [(j, j + 1)]
        if quantity is not None and heads:
            # "one of the boys": the head is the quantity word or the of-phrase's noun
            heads.append((quantity, heads[0][1]))
        return heads

    def noun_phrase(self, i, depth):
        """np_core followed by nested segments attached to its head: [(head, next, facts)]."""

        def compute():
            for head, j in self.np_core(i):
                firsts = [(j, ())]
                if depth < self.max_depth:
                    firsts += [(k, f) for k, f in self.segments(j, head, depth + 1) if k > j]
                for k, facts in firsts:
                    yield head, k, facts
                    if self.token(k) != "and":
                        continue
                    # "between the school and the church", "two men who sing and the roads"
                    for second, m in self.np_core(k + 1):
                        yield second, m, facts
                        if depth < self.max_depth:
                            for e, more in self.segments(m, second, depth + 1):
                                if e > m:
                                    yield second, e, facts + more

        return self.cached(("np", i, depth), compute)

    def object_ends(self, i, depth):
        """Where what follows a verb may end, with the facts inside it: an object NP (maybe
        after an indirect object, "sold him the car"), then maybe a PP or a time, maybe
        after adverbs ("bread every morning", "radios in his garage", "the chapters twice
        before the exam"); or the PP or time alone ("checks on every patient", "condemn in
        the evening"). An infinitive may come first ("wants to see the senator"): its
        object is the infinitive's, and it agrees with nothing."""
        if self.tag(i) == "TO" and self.tag(i + 1) == "V_BASE":
            return [(i + 2, ())] + [e for e in self.object_ends(i + 2, depth) if e[0] > i + 2]
        bases = [(i, ())] + [(k, inner) for _obj, k, inner in self.noun_phrase(i, depth)]
        # an indirect object, then the object: "sold him the car", "shows the visitors the castle"
        for _io, j in self.np_core(i):
            bases += [(k, inner) for _obj, k, inner in self.noun_phrase(j, depth)]
        ends = []
        for k, inner in bases:
            if k > i:
                ends.append((k, inner))
                k = self.adverbs(k)  # "read the chapters twice before the exam"
            if self.tag(k) == "PREP":
                for e, facts in self.segment(k, None, depth):
                    ends.append((e, inner + facts))
            if k > i:  # a time after the object: "… each summer", "… one day"
                ends += [(e, inner) for _head, e in self.np_core(k)]
        return ends

    def subject(self, i):
        """np_core | NP ("and" | "or") np_core | "either" NP "or" np_core: [(head, next,
        facts)]; the controller is the last head (the first conjunct may carry a PP or
        relative: "the girl who lives here and Paula")."""
        if self.tag(i) == "V_ING":  # a gerund, maybe with an object: "playing video games"
            return [(i, i + 1, ())] + [(i, k, facts) for k, facts in self.object_ends(i + 1, 1)]
        either = self.token(i) == "either" and self.tag(i) == "CONJ"
        i += either
        out = [] if either else [(head, j, ()) for head, j in self.np_core(i)]
        for _first, j, facts in self.noun_phrase(i, 1):
            if self.token(j) == "or" or (self.token(j) == "and" and not either):
                out += [(head, k, facts) for head, k in self.np_core(j + 1)]
        return out

    # Verbs ----------------------------------------------------------------------------
    def verb_group(self, i):
        """A finite verb with its participle or base form: [(finite index, next)]."""
        out = []
        if self.tag(i) in ("V_SG", "V_PL", "V_PST", "AUX"):
            j = i + 1
            out.append((i, j))
            while self.tag(j) == "ADV":
                j += 1
            while self.tag(j) in ("V_BASE", "V_PTCP", "V_ING"):
                j += 1
                out.append((i, j))
        if self.tag(i) in ("V_SG", "V_PL", "V_PST"):
            return out
        return [o for o in out if o[1] > i + 1]  # an auxiliary needs its verb

    def adverbs(self, i):
        while self.tag(i) == "ADV" or (
            self.token(i) in MODIFIER_JOINERS
            and self.tag(i - 1) == "ADV"
            and self.tag(i + 1) == "ADV"
        ):
            i += 1
        return i

    def adverb_stops(self, i):
        """Every place a run of adverbs from i may end: "upstairs and regularly hadn't cut"
        is one adverb group or a place, then "and", then a second verb's adverb."""
        stops = [i]
        while self.tag(i) == "ADV" or (
            self.token(i) in MODIFIER_JOINERS
            and self.tag(i - 1) == "ADV"
            and self.tag(i + 1) == "ADV"
        ):
            i += 1
            if self.tag(i - 1) == "ADV":
                stops.append(i)
        return stops

    def fact(self, verb, controller, start, role):
        return ((verb, controller, start, role),) if self.tag(verb) in AGREEING_TAGS else ()

    def vp(self, i, controller, start, depth, role):
        """verb_group [NP | ADJ] [ADV*] ("and" ADV* VP)*, all agreeing with `controller`."""

        def compute():
            for verb, j in self.verb_group(i):
                facts = self.fact(verb, controller, start, role)
                ends = [(j, facts)]
                for k, inner in self.object_ends(j, depth):
                    ends.append((k, facts + inner))
                for k0, f in list(ends):
                    yield k0, f
                    for m in self.adverb_stops(k0):
                        if m > k0:  # a place after the verb: "who lives downstairs ,"
                            yield m, f
                        m += self.token(m) == ","
                        if self.token(m) in ("and", "but", "or"):
                            n = self.adverbs(m + 1)
                            for k, more in self.vp(n, controller, start, depth, "coordinated_verb"):
                                yield k, f + more

        return self.cached(("vp", i, controller, start, depth, role), compute)

    # Segments and spans ---------------------------------------------------------------
    def segment(self, i, head, depth):
        def compute():
            if self.tag(i) == "PREP":
                j = i
                while self.tag(j) == "PREP":
                    j += 1
                for _n, k, facts in self.noun_phrase(j, depth):
                    yield k, facts
            if self.tag(i) == "PAREN":  # "( near the door )", "( built in 1920 )", "( 1939 )"
                for k, facts in self.segment(i + 1, None, depth):
                    if self.tag(k) == "PAREN":
                        yield k + 1, facts
                if self.tag(i + 1) == "NUM" and self.tag(i + 2) == "PAREN":
                    yield i + 3, ()
            if self.tag(i) == "QUOTE":  # a title: 'the song " green apples "'
                close = [k for k in range(i + 1, len(self.tags)) if self.tag(k) == "QUOTE"]
                if close:
                    yield close[0] + 1, ()
            if self.token(i) in (",", "–"):
                # appositive ", NP ," (or between dashes) or a relative between commas
                for noun, k, facts in self.noun_phrase(i + 1, depth):
                    if self.token(k) == self.token(i):
                        yield k + 1, facts
                        # ", Christmas, that ages ,": a relative on the appositive's noun
                        if self.tag(k + 1) == "REL":
                            for m, more in self.relative(k + 1, noun, depth):
                                yield m + (self.token(m) == ","), facts + more
                if self.tag(i + 1) == "PREP":  # nouns listed beside it: ", along with X ,"
                    for k, facts in self.segment(i + 1, None, depth):
                        if self.token(k) == self.token(i):
                            yield k + 1, facts
                if self.tag(i + 1) == "REL" and self.token(i) == ",":
                    for k, facts in self.relative(i + 1, head, depth):
                        if self.token(k) == ",":
                            yield k + 1, facts
                if self.token(i) == "," and head is not None:
                    for k, facts in self.quantified_relative(i + 1, head, depth):
                        if self.token(k) == ",":
                            yield k + 1, facts
                        # on a clause's last noun it may end with the clause: "she wrote six
                        # novels, two of which won prizes(, and …| because …|.)"
                        if self.token(k) in (",", ".", '"') or self.tag(k) == "CONJ":
                            yield k, facts
            if self.tag(i) == "REL":
                yield from self.relative(i, head, depth)
            # a noun's content: "the fact that the workers are tired", a whole clause
            if (
                self.tag(i) == "COMP"
                and head is not None
                and self.token(head) in CONTENT_NOUN_WORDS
            ):
                yield from self.clause(i + 1, "complement")
            # a reduced relative: "his street helped by January", "presidents completing ..."
            if self.tag(i) in ("V_PTCP", "V_ING"):
                yield i + 1, ()
                for k, facts in self.segment(i + 1, head, depth):
                    if self.tag(i + 1) == "PREP":
                        yield k, facts
                for _n, k, facts in self.noun_phrase(i + 1, depth):
                    yield k, facts
            # an object relative without a relative pronoun: "the boys Paula likes"
            yield from self.object_relative_body(i, depth)

        return self.cached(("seg", i, head, depth), compute)

    def relative(self, i, head, depth):
        """REL ADV* VP (subject relative) | REL NP ADV* verb_group (object relative) |
        "whose" [ADJ] NOUN ADV* VP (the VP agrees with that noun: "whose dogs bark") |
        "where" NP ADV* VP (the VP agrees with the NP: "where the brothers sell fish")."""
        out = []
        if self.token(i) == "whose":
            j = i + 1 + (self.tag(i + 1) == "ADJ")
            if self.tag(j) in ("N_SG", "N_PL"):
                return self.vp(self.adverbs(j + 1), j, None, depth, "whose_relative")
        if self.token(i) == "where":  # no gap: the clause's verb may take an object
            for subject, k, inner in self.noun_phrase(i + 1, depth):
                for m, facts in self.vp(self.adverbs(k), subject, i + 1, depth, "where_relative"):
                    out.append((m, inner + facts))
            return out
        j = self.adverbs(i + 1)
        out += self.vp(j, head, None, depth, "subject_relative")
        if self.loose:
            # Not English: a relative on a noun inside a closed constituent (`loose`).
            for noun in self.closed_nouns(i):
                if noun != head:
                    out += self.vp(j, noun, None, depth, "subject_relative")
        out += self.object_relative_body(i + 1, depth)
        return out

    def quantified_relative(self, i, head, depth):
        """QUANTITY "of" ("whom"|"which") ADV* VP: "many of whom live abroad". The verb's
        controller is the quantity ("many" plural, "one" singular), or after some/all/most/
        half/none the noun the relative is on ("the land, most of which is")."""
        if self.token(i + 1) != "of" or self.token(i + 2) not in ("whom", "which"):
            return []
        word = self.token(i)
        if word in FOLLOWING_QUANTITY:
            controller, start = head, None
        elif word in SINGULAR_QUANTITY or word in PLURAL_QUANTITY:
            # It counts members of the head, which English makes plural: "three hotels, one
            # of which", never "the hotel, one of which".
            extents = phrase_extents(self.tokens, self.tags, head, None)
            if {phrase_number(self.tokens, self.tags, f, last) for f, last in extents} == {
                SINGULAR
            }:
                return []
            controller, start = i, i
        else:
            return []
        return self.vp(self.adverbs(i + 3), controller, start, depth, "quantified_relative")

    def is_time(self, i):
        """Whether a time with a noun starts at i: "every morning", "last week"."""
        return self.token(i) in TIME_DETERMINERS and self.token(i + 1) in TIME_NOUNS

    def closed_nouns(self, rel):
        """The noun nearest before a relative, wherever it stands: also inside a closed
        constituent English does not let the relative reach (the subject or object of a
        relative already closed, a noun inside a closed parenthesis); none where a
        fragment starts at the relative."""
        return [n for n in range(rel) if self.tag(n) in HEAD_TAGS][-1:]

    def object_relative_body(self, i, depth):
        """NP ADV* verb_group [indirect object] [time]: the gap is the verb's object, and an
        indirect object may stay ("the keys the landlord gave us", "the gift that my aunts
        bought their sons"), or a time with a noun may follow ("the rooms she cleans every
        week")."""

        def compute():
            for subject, k, inner in self.noun_phrase(i, depth):
                start = i
                m = self.adverbs(k)
                for verb, n in self.verb_group(m):
                    facts = inner + self.fact(verb, subject, start, "object_relative")
                    ends = [(n, facts)]
                    ends += [(j, facts + more) for _io, j, more in self.noun_phrase(n, depth)]
                    for end, end_facts in ends:
                        yield end, end_facts
                        if self.is_time(end):
                            yield end + 2, end_facts

        return self.cached(("orel", i, depth), compute)

    def segments(self, i, head, depth):
        """(segment | ADV)* attached to `head`."""

        def compute():
            yield i, ()
            j = self.adverbs(i)
            if j > i:
                for k, facts in self.segments(j, head, depth):
                    yield k, facts
            for j, facts in self.segment(i, head, depth):
                if j > i:
                    for k, more in self.segments(j, head, depth):
                        yield k, facts + more

        return self.cached(("segs", i, head, depth), compute)

    # Clauses --------------------------------------------------------------------------
    def clause(self, i0, role):
        """[ADV] subject span verb_group continuation: [(next, facts)]."""

        def compute():
            i = self.adverbs(i0)  # "while perhaps any cavalryman", "so that only some"
            subjects = self.subject(i)
            # "two of these sections which control ...": the relative may attach to the
            # of-phrase's noun while the quantity word controls the verb.
            pairs = [(h, a, j, f) for h, j, f in subjects for a, j2, _ in subjects if j2 == j]
            for head, attach, j, inner in pairs:
                for k, span in self.segments(j, attach, 1):
                    m = self.adverbs(k)
                    m += self.token(m) == "either" and self.tag(m) == "CONJ"  # "either V or V"
                    for verb, n in self.verb_group(m):
                        facts = inner + span + self.fact(verb, head, i, role)
                        for end, more in self.continuation(n, verb, head, i):
                            yield end, facts + more

        return self.cached(("clause", i0, role), compute)

    def continuation(self, i, verb, head, start):
        def compute():
            ends = [(i, ())]
            ends += self.object_ends(i, 1)
            j = self.adverbs(i)  # a particle or a degree word: "sat down", "is very tired"
            if j > i:
                ends.append((j, ()))
                ends += self.object_ends(j, 1)  # "carried out the tests"
            if self.tag(j) == "ADJ":
                j += 1
                while self.token(j) == "and" and self.tag(j + 1) == "ADJ":
                    j += 2
                ends.append((j, ()))
                ends += self.object_ends(j, 1)  # "is dark next to its palate"
            for k, facts in list(ends):
                for m in self.adverb_stops(k):
                    m += self.token(m) == ","
                    if self.token(m) not in ("and", "but", "or"):
                        continue
                    n = self.adverbs(m + 1)
                    for verb2, _ in self.verb_group(n):
                        for e, more in self.vp(n, head, start, 1, "coordinated_verb"):
                            for e2, rest in self.continuation(e, verb2, head, start):
                                ends.append((e2, facts + more + rest))
            for k, facts in ends:
                yield k, facts
                # a complement: [","] ["that"] [QUOTE] clause
                m = k
                m = self.adverbs(m)
                if self.token(m) == ",":
                    m += 1
                if self.tag(m) == "V_ING" and m > k:  # ", thinking that ...": a report too
                    m += 1
                    m += self.token(m) == ","
                if self.tag(m) == "COMP":
                    m += 1
                if self.tag(m) == "QUOTE":
                    m += 1
                m = self.adverbs(m)
                if True:
                    for e, more in self.clause(m, "complement"):
                        yield e, facts + more

        return self.cached(("cont", i, verb, head, start), compute)

    def which_clause(self, i):
        """[","] "which" verb_group ["that"] clause: a relative on the clause before it
        ("…, which means (that) the buses are late"), its verb agreeing with "which"."""
        j = i + (self.token(i) == ",")
        if self.token(j) != "which":
            return []
        out = []
        for verb, k in self.verb_group(j + 1):
            k += self.tag(k) == "COMP"
            for e, facts in self.clause(k, "complement"):
                out.append((e, self.fact(verb, j, j, "subject_relative") + facts))
        return out

    def tails(self, i):
        def compute():
            yield i, ()
            # times and places that end a verb phrase ("… every morning"); "next door but
            # then" is a place, "but", then the next clause's adverb
            for j in self.adverb_stops(i):
                if j > i:
                    yield j, ()
                for k, facts in self.which_clause(j):
                    for e, more in self.tails(k):
                        yield e, facts + more
                j += self.token(j) == ","
                if self.tag(j) != "CONJ":
                    continue
                k = j + 1
                word = self.token(j)
                roles = ["subordinate_clause"]
                if word in COORDINATORS:
                    roles = ["coordinated_clause"]
                if word == "while":  # contrast ("X sleeps, while Y works") or time
                    roles = ["coordinated_clause", "subordinate_clause"]
                if word == "so" and self.token(k) == "that" and self.tag(k) == "CONJ":
                    k, roles = k + 1, ["subordinate_clause"]
                for role in roles:
                    for e, facts in self.clause(k, role):
                        for e2, more in self.tails(e):
                            yield e2, facts + more

        return self.cached(("tails", i), compute)

    def leads(self):
        """[lead [","]]; a fragment may start inside its lead: [(next, facts)]."""
        out = [(0, ())]
        i = self.adverbs(0)
        if i > 0:
            out.append((i + (self.token(i) == ","), ()))
        if self.token(0) == "," or self.tag(0) == "CONJ":  # a fragment: ", and his name is"
            out.append((1, ()))
        # a fragment that starts inside a report: 'said that ...', ', "...'
        # (or inside a fronted clause: "aged him, Thomas ...").
        if self.tag(0) == "NUM" and self.token(1) == ",":  # "[in] 2002, ..."
            out.append((2, ()))
        starts = [0]
        for _verb, j in self.verb_group(self.adverbs(0)):
            starts.append(j)
            starts += [k for _n, k, _f in self.noun_phrase(j, 1)]
        for j in starts:
            j += self.token(j) == ","
            j += self.tag(j) == "COMP"
            j += self.tag(j) == "QUOTE"
            if j > 0:
                out.append((j, ()))
        if self.tag(0) == "PREP":
            if self.tag(1) == "NUM":  # "in 1995 ,", or without the comma
                out.append((2 + (self.token(2) == ","), ()))
            for k, facts in self.segment(0, None, 1):
                out.append((k + (self.token(k) == ","), facts))
        for _n, k, facts in self.noun_phrase(0, 1):  # a lead whose preposition is dropped
            if self.token(k) == ",":
                out.append((k + 1, facts))
        j = 1 if self.tag(0) == "CONJ" else 0
        for e, facts in self.clause(j, "fronted_clause"):
            if self.token(e) == ",":
                out.append((e + 1, facts))
        return out

    def parses(self, fragment=False):
        """Every whole-sentence parse: a list of {verb: (controller, start, role)} maps.

        A `fragment` (text cut from a longer sentence) may start anywhere before its first
        agreeing verb: what was cut is not read."""
        found = []
        starts = self.leads()
        if fragment:
            first = min(
                [i for i, t in enumerate(self.tags) if t in AGREEING_TAGS] + [len(self.tags)]
            )
            starts += [(i, ()) for i in range(first)]
            # cut inside a fronted clause, after its subject: span verb [object] ","
            # (its verb phrase may go on: "behind the women who cause hadn't heard and
            # had loved ,"; a verb that agreed with the dropped subject would be cut too)
            for k, span in self.segments(0, None, 1):
                for e, more in self.vp(self.adverbs(k), None, None, 1, "fronted_clause"):
                    if self.token(e) == "," and all(f[1] is not None for f in more):
                        starts.append((e + 1, span + more))
        for i, lead in starts:
            # The first clause's verb is "main"; a fragment may have dropped a report before
            # it, and then the verb is a complement's; or it starts at ", which means".
            clauses = self.clause(i, "main") + self.clause(i, "complement")
            if fragment:
                clauses += self.which_clause(i)
            for e, facts in clauses:
                for e2, more in self.tails(e):
                    rest = self.tokens[e2:]
                    if rest in (["."], ['"', "."], [".", '"']):
                        found.append({v: (c, s, r) for v, c, s, r in lead + facts + more})
        unique = []
        for parse in found:
            if parse not in unique:
                unique.append(parse)
        return unique


PRENOMINAL_TAGS = (
    "DET",
    "DET_SG",
    "DET_PL",
    "NUM",
    "HYPH",
    "POSS",
    "ADJ",
    "N_MOD",
    "Q",
    "Q_SG",
    "Q_PL",
)


# Nouns of quantity that a determiner or numeral stands before ("a lot of", "two thirds of").
QUANTITY_NOUNS = frozenset(
    "lot number few couple total handful majority third thirds quarter quarters".split()
)
QUANTITY_WORDS = SINGULAR_QUANTITY | PLURAL_QUANTITY | FOLLOWING_QUANTITY | {"number", "couple"}


def phrase_extents(tokens, tags, controller, start):
    """Every (first, last) the phrase whose number the controller's verb takes may span.

    `start` is the subject's first word; None for the noun a relative attaches to, whose
    phrase is the noun phrase ending at the controller or (a relative on a coordination,
    "the boys and the girl who are") the coordination ending there. The phrase runs to
    the controller or, for a quantity head ("one of the boys"), to the of-phrase's noun, or
    its pronoun ("many of whom")."""
    last = controller
    word = tokens[controller]
    if tokens[controller + 1 : controller + 2] == ["of"] and (
        word in QUANTITY_WORDS or is_numeral(word)
    ):
        if tokens[controller + 2 : controller + 3] in (["whom"], ["which"]):
            last = controller + 2
        else:
            last = next(i for i in range(controller + 2, len(tags)) if tags[i] in HEAD_TAGS)
    if start is not None:
        return [(start, last)]

    def left_edge(i):
        while i > 0 and (
            tags[i - 1] in PRENOMINAL_TAGS
            or tokens[i - 1] in MODIFIER_JOINERS
            and tags[i - 2] == "ADJ"
            and tags[i] == "ADJ"
        ):
            i -= 1
        return i

    first = left_edge(controller)
    out = [(first, last)]
    if first >= 2 and tokens[first - 1] == "and" and tags[first - 2] in HEAD_TAGS:
        out.append((left_edge(first - 2), last))
    return out


def verb_numbers_read(tokens, tags, fragment=False):
    """{verb: set of numbers its controller has, over every parse}, read from the words."""
    out = {}
    for parse in StructureReader(tokens, tags).parses(fragment):
        for verb, (controller, start, _role) in parse.items():
            for first, last in phrase_extents(tokens, tags, controller, start):
                out.setdefault(verb, set()).add(phrase_number(tokens, tags, first, last))
    return out


# The tests --------------------------------------------------------------------------------
ENGLISH = agreement.CONFIGS["english"].replace(lexicon_size=300)
TINY = agreement.CONFIGS["english_tiny"]
ROLES = (
    "main",
    "complement",
    "subject_relative",
    "object_relative",
    "whose_relative",
    "where_relative",
    "quantified_relative",
    "coordinated_verb",
    "coordinated_clause",
    "fronted_clause",
    "subordinate_clause",
)


@pytest.fixture(scope="module")
def examples():
    return agreement.generate(500, seed=23, config=ENGLISH) + agreement.generate(
        300, seed=24, config=TINY
    )


def text(example):
    return " ".join(example["tokens"])


# The reader on hand-written English -------------------------------------------------------
# (sentence, its tags written by hand, {verb: the number English gives it})
PINNED = [
    (
        "the mechanics said the author laughs .",
        "DET N_PL V_PST DET N_SG V_SG PUNCT",
        {"laughs": SINGULAR},
    ),
    (
        "the author says that the mechanics laugh .",
        "DET N_SG V_SG COMP DET N_PL V_PL PUNCT",
        {"says": SINGULAR, "laugh": PLURAL},
    ),
    (
        "the author that the guards like is tall .",
        "DET N_SG REL DET N_PL V_PL V_SG ADJ PUNCT",
        {"like": PLURAL, "is": SINGULAR},
    ),
    (
        "the authors the guard likes are tall .",
        "DET N_PL DET N_SG V_SG V_PL ADJ PUNCT",
        {"likes": SINGULAR, "are": PLURAL},
    ),
    (
        "the guards who like the author are tall .",
        "DET N_PL REL V_PL DET N_SG V_PL ADJ PUNCT",
        {"like": PLURAL, "are": PLURAL},
    ),
    (
        "the author laughs and swims .",
        "DET N_SG V_SG CONJ V_SG PUNCT",
        {"laughs": SINGULAR, "swims": SINGULAR},
    ),
    (
        "the athlete gently and carefully admires the boys .",
        "DET N_SG ADV CONJ ADV V_SG DET N_PL PUNCT",
        {"admires": SINGULAR},
    ),
    ("the boy and the girl swim .", "DET N_SG CONJ DET N_SG V_PL PUNCT", {"swim": PLURAL}),
    ("one of the boys is tall .", "Q_SG PREP DET N_PL V_SG ADJ PUNCT", {"is": SINGULAR}),
    ("both of the boys are tall .", "Q_PL PREP DET N_PL V_PL ADJ PUNCT", {"are": PLURAL}),
    ("some of the cake is old .", "Q Q DET N_SG V_SG ADJ PUNCT", {"is": SINGULAR}),
    (
        "the first of the bridges is old .",
        "Q_SG Q_SG PREP DET N_PL V_SG ADJ PUNCT",
        {"is": SINGULAR},
    ),
    (
        "the last two of the bridges are old .",
        "Q_PL Q_PL Q_PL PREP DET N_PL V_PL ADJ PUNCT",
        {"are": PLURAL},
    ),
    (
        "a town of 2,000 people is quiet .",
        "DET_SG N_SG PREP DET_PL N_PL V_SG ADJ PUNCT",
        {"is": SINGULAR},
    ),
    ("the boys ' teacher is tall .", "DET POSS POSS N_SG V_SG ADJ PUNCT", {"is": SINGULAR}),
    ("a number of images are old .", "DET_PL DET_PL DET_PL N_PL V_PL ADJ PUNCT", {"are": PLURAL}),
    ("the number of images is old .", "DET N_SG PREP N_PL V_SG ADJ PUNCT", {"is": SINGULAR}),
    (
        "dupré's catalog of songs also includes the song .",
        "POSS N_SG PREP N_PL ADV V_SG DET N_SG PUNCT",
        {"includes": SINGULAR},
    ),
    (
        "the people near the child are tall .",
        "DET N_PL PREP DET N_SG V_PL ADJ PUNCT",
        {"are": PLURAL},
    ),
    (
        "every man has left , and the women sleep .",
        "DET_SG N_SG V_SG V_PTCP PUNCT CONJ DET N_PL V_PL PUNCT",
        {"has": SINGULAR, "sleep": PLURAL},
    ),
    (
        "while the geese sleep , paula eats .",
        "CONJ DET N_PL V_PL PUNCT PROPN V_SG PUNCT",
        {"sleep": PLURAL, "eats": SINGULAR},
    ),
    (
        "my uncle and the man who sold him the car are tall .",
        "DET N_SG CONJ DET N_SG REL V_PST PRON_SG DET N_SG V_PL ADJ PUNCT",
        {"are": PLURAL},
    ),
    (
        "the farmer most probably greets the guests .",
        "DET N_SG ADV ADV V_SG DET N_PL PUNCT",
        {"greets": SINGULAR},
    ),
    (
        "the man whose dogs bark is tall .",
        "DET N_SG REL N_PL V_PL V_SG ADJ PUNCT",
        {"bark": PLURAL, "is": SINGULAR},
    ),
    (
        "the writers , whose book sells well , are rich .",
        "DET N_PL PUNCT REL N_SG V_SG ADV PUNCT V_PL ADJ PUNCT",
        {"sells": SINGULAR, "are": PLURAL},
    ),
    (
        "the town where the brothers sell fish is small .",
        "DET N_SG REL DET N_PL V_PL N_PL V_SG ADJ PUNCT",
        {"sell": PLURAL, "is": SINGULAR},
    ),
    (
        "the farms where my uncle works are near the river .",
        "DET N_PL REL DET N_SG V_SG V_PL PREP DET N_SG PUNCT",
        {"works": SINGULAR, "are": PLURAL},
    ),
    (
        "the towns that the army occupied after the war are old .",
        "DET N_PL REL DET N_SG V_PST PREP DET N_SG V_PL ADJ PUNCT",
        {"are": PLURAL},
    ),
    (
        "the man who owned the farms until his death was rich .",
        "DET N_SG REL V_PST DET N_PL PREP DET N_SG V_SG ADJ PUNCT",
        {"was": SINGULAR},
    ),
    (
        "the town that the armies occupied during the wars is old .",
        "DET N_SG REL DET N_PL V_PST PREP DET N_PL V_SG ADJ PUNCT",
        {"is": SINGULAR},
    ),
    (
        "after the guests leave , the dog sleeps .",
        "CONJ DET N_PL V_PL PUNCT DET N_SG V_SG PUNCT",
        {"leave": PLURAL, "sleeps": SINGULAR},
    ),
    (
        "the gift that my aunts bought their sons is small .",
        "DET N_SG REL DET N_PL V_PST DET N_PL V_SG ADJ PUNCT",
        {"is": SINGULAR},
    ),
    (
        "the guide shows the visitors the old castle and tells stories .",
        "DET N_SG V_SG DET N_PL DET ADJ N_SG CONJ V_SG N_PL PUNCT",
        {"shows": SINGULAR, "tells": SINGULAR},
    ),
    (
        "the students who sent the professor a letter are tired .",
        "DET N_PL REL V_PST DET N_SG DET N_SG V_PL ADJ PUNCT",
        {"are": PLURAL},
    ),
    (
        "the woman who gives them a key knows the house .",
        "DET N_SG REL V_SG PRON_PL DET N_SG V_SG DET N_SG PUNCT",
        {"gives": SINGULAR, "knows": SINGULAR},
    ),
    (
        "the fact that the workers are tired is strange .",
        "DET N_SG COMP DET N_PL V_PL ADJ V_SG ADJ PUNCT",
        {"are": PLURAL, "is": SINGULAR},
    ),
    (
        "the claims that the mayor took bribes are false .",
        "DET N_PL COMP DET N_SG V_PST N_PL V_PL ADJ PUNCT",
        {"are": PLURAL},
    ),
    (
        "the claims that the mayor makes are false .",
        "DET N_PL REL DET N_SG V_SG V_PL ADJ PUNCT",
        {"makes": SINGULAR, "are": PLURAL},
    ),
    (
        "the news that the mills would close was sad .",
        "DET N_SG COMP DET N_PL AUX V_BASE V_SG ADJ PUNCT",
        {"was": SINGULAR},
    ),
    (
        "the film they directed is long .",
        "DET N_SG PRON_PL V_PST V_SG ADJ PUNCT",
        {"is": SINGULAR},
    ),
    (
        "the songs he sings are old .",
        "DET N_PL PRON_SG V_SG V_PL ADJ PUNCT",
        {"sings": SINGULAR, "are": PLURAL},
    ),
    (
        "the president , along with his aides , is here .",
        "DET N_SG PUNCT PREP PREP DET N_PL PUNCT V_SG ADV PUNCT",
        {"is": SINGULAR},
    ),
    (
        "cities , such as paris and rome , are old .",
        "N_PL PUNCT PREP PREP PROPN CONJ PROPN PUNCT V_PL ADJ PUNCT",
        {"are": PLURAL},
    ),
    (
        "a city such as the ports attracts tourists .",
        "DET N_SG PREP PREP DET N_PL V_SG N_PL PUNCT",
        {"attracts": SINGULAR},
    ),
    (
        "the men who want to see the senator are tall .",
        "DET N_PL REL V_PL TO V_BASE DET N_SG V_PL ADJ PUNCT",
        {"want": PLURAL, "are": PLURAL},
    ),
    (
        "the author tries to help the senators and swims .",
        "DET N_SG V_SG TO V_BASE DET N_PL CONJ V_SG PUNCT",
        {"tries": SINGULAR, "swims": SINGULAR},
    ),
    (
        "the keys the landlord gave us don't fit the lock .",
        "DET N_PL DET N_SG V_PST PRON_PL V_PL V_BASE DET N_SG PUNCT",
        {"don't": PLURAL},
    ),
    (
        "the book that she lends him is old .",
        "DET N_SG REL PRON_SG V_SG PRON_SG V_SG ADJ PUNCT",
        {"lends": SINGULAR, "is": SINGULAR},
    ),
    (
        "my uncle repairs old radios and sells them .",
        "DET N_SG V_SG ADJ N_PL CONJ V_SG PRON_PL PUNCT",
        {"repairs": SINGULAR, "sells": SINGULAR},
    ),
    (
        "the car repairs are slow .",
        "DET N_MOD N_PL V_PL ADJ PUNCT",
        {"are": PLURAL},
    ),
    (
        "the girl who lives next door and her friend walk .",
        "DET N_SG REL V_SG ADV ADV CONJ DET N_SG V_PL PUNCT",
        {"lives": SINGULAR, "walk": PLURAL},
    ),
    (
        "they know she swims because the mice run .",
        "PRON_PL V_PL PRON_SG V_SG CONJ DET N_PL V_PL PUNCT",
        {"know": PLURAL, "swims": SINGULAR, "run": PLURAL},
    ),
    (
        "the roads are closed , which means that the buses are late .",
        "DET N_PL V_PL ADJ PUNCT REL V_SG COMP DET N_PL V_PL ADJ PUNCT",
        {"are": PLURAL, "means": SINGULAR},
    ),
    (
        "the guards – men with lanterns – patrol , and the captain – a man of few words – sleeps .",
        "DET N_PL PUNCT N_PL PREP N_PL PUNCT V_PL PUNCT CONJ DET N_SG PUNCT DET N_SG PREP ADJ "
        "N_PL PUNCT V_SG PUNCT",
        {"patrol": PLURAL, "sleeps": SINGULAR},
    ),
    (
        "the cousins whom my sister invited are here .",
        "DET N_PL REL DET N_SG V_PST V_PL ADV PUNCT",
        {"are": PLURAL},
    ),
    (
        "the shows about winston churchill do well , and a father of guys was here .",
        "DET N_PL PREP PROPN PROPN V_PL ADV PUNCT CONJ DET_SG N_SG PREP N_PL V_SG ADV PUNCT",
        {"do": PLURAL, "was": SINGULAR},
    ),
    (
        "water boils and the furniture is old .",
        "N_SG V_SG CONJ DET N_SG V_SG ADJ PUNCT",
        {"boils": SINGULAR, "is": SINGULAR},
    ),
    (
        "the baker bakes bread every morning and sells it .",
        "DET N_SG V_SG N_SG DET_SG N_SG CONJ V_SG PRON_SG PUNCT",
        {"bakes": SINGULAR, "sells": SINGULAR},
    ),
    ("bread and butter are cheap .", "N_SG CONJ N_SG V_PL ADJ PUNCT", {"are": PLURAL}),
    (
        "the people upstairs are tall , and the woman next door sleeps .",
        "DET N_PL ADV V_PL ADJ PUNCT CONJ DET N_SG ADV ADV V_SG PUNCT",
        {"are": PLURAL, "sleeps": SINGULAR},
    ),
    (
        "the dog barks all morning and sleeps .",
        "DET N_SG V_SG DET_SG N_SG CONJ V_SG PUNCT",
        {"barks": SINGULAR, "sleeps": SINGULAR},
    ),
    ("the bus or the train goes .", "DET N_SG CONJ DET N_SG V_SG PUNCT", {"goes": SINGULAR}),
    (
        "either the boys or the girl is here , and the girl or the boys are there .",
        "CONJ DET N_PL CONJ DET N_SG V_SG ADV PUNCT CONJ DET N_SG CONJ DET N_PL V_PL ADV PUNCT",
        {"is": SINGULAR, "are": PLURAL},
    ),
    (
        "the boy was tall upstairs and regularly eats .",
        "DET N_SG V_SG ADJ ADV CONJ ADV V_SG PUNCT",
        {"was": SINGULAR, "eats": SINGULAR},
    ),
    (
        "the settlers , many of whom live abroad , are tall .",
        "DET N_PL PUNCT Q_PL PREP REL V_PL ADV PUNCT V_PL ADJ PUNCT",
        {"live": PLURAL, "are": PLURAL},
    ),
    (
        "the hotels , one of which stands here , are closed .",
        "DET N_PL PUNCT Q_SG PREP REL V_SG ADV PUNCT V_PL ADJ PUNCT",
        {"stands": SINGULAR, "are": PLURAL},
    ),
    (
        "the land , most of which lies here , belongs to the king .",
        "DET N_SG PUNCT Q PREP REL V_SG ADV PUNCT V_SG PREP DET N_SG PUNCT",
        {"lies": SINGULAR, "belongs": SINGULAR},
    ),
    (
        "the letters , most of which were lost , tell the story .",
        "DET N_PL PUNCT Q PREP REL V_PL V_PTCP PUNCT V_PL DET N_SG PUNCT",
        {"were": PLURAL, "tell": PLURAL},
    ),
    ("over 300 species live here .", "ADV DET_PL N_PL V_PL ADV PUNCT", {"live": PLURAL}),
    (
        "more than 2,000 people are old .",
        "ADV ADV DET_PL N_PL V_PL ADJ PUNCT",
        {"are": PLURAL},
    ),
    ("every man and woman is here .", "DET_SG N_SG CONJ N_SG V_SG ADV PUNCT", {"is": SINGULAR}),
    (
        "each boy and each girl who lives here has a key .",
        "DET_SG N_SG CONJ DET_SG N_SG REL V_SG ADV V_SG DET_SG N_SG PUNCT",
        {"lives": SINGULAR, "has": SINGULAR},
    ),
    (
        "a man and a woman are here .",
        "DET_SG N_SG CONJ DET_SG N_SG V_PL ADV PUNCT",
        {"are": PLURAL},
    ),
]


@pytest.mark.parametrize("sentence,tags,expected", PINNED, ids=[p[0] for p in PINNED])
def test_the_reader_gives_english_numbers_on_hand_written_sentences(sentence, tags, expected):
    tokens, tags = sentence.split(), tags.split()
    assert len(tokens) == len(tags)
    read = verb_numbers_read(tokens, tags)
    got = {tokens[verb]: numbers for verb, numbers in read.items()}
    assert got == {verb: {number} for verb, number in expected.items()}
    for verb, number in expected.items():  # the verb forms too, as `evaluate pairs` reads them
        assert verb_number(verb) == number


def test_the_reader_finds_the_controller_of_each_construction():
    tokens = "the author that the guards like says the boys know and swim .".split()
    tags = "DET N_SG REL DET N_PL V_PL V_SG DET N_PL V_PL CONJ V_PL PUNCT".split()
    parses = StructureReader(tokens, tags).parses()
    controllers = [{v: (c, role) for v, (c, _s, role) in p.items()} for p in parses]
    assert {5: (4, "object_relative"), 6: (1, "main"), 9: (8, "complement"),
            11: (8, "coordinated_verb")} in controllers  # fmt: skip
    # A relative after a closed object relative does not reach that relative's subject.
    tokens = "the author the guards like who swims is tall .".split()
    tags = "DET N_SG DET N_PL V_PL REL V_SG V_SG ADJ PUNCT".split()
    read = verb_numbers_read(tokens, tags)
    assert read[6] == {SINGULAR} and read[7] == {SINGULAR}


def test_the_reader_reads_a_fragment_that_starts_at_a_relative_on_a_clause():
    tokens = "which means the prices go up .".split()
    tags = "REL V_SG DET N_PL V_PL ADV PUNCT".split()
    assert verb_numbers_read(tokens, tags) == {}  # not a whole sentence
    assert verb_numbers_read(tokens, tags, fragment=True) == {1: {SINGULAR}, 4: {PLURAL}}


def test_the_word_tables_read_english():
    assert noun_form_number("people") == PLURAL and noun_form_number("person") == SINGULAR
    assert noun_form_number("example") == SINGULAR and noun_form_number("examples") == PLURAL
    assert noun_form_number("sheep") is None and noun_form_number("series") is None
    assert noun_form_number("police") == PLURAL and noun_form_number("physics") == SINGULAR
    assert noun_form_number("furniture") == SINGULAR and noun_form_number("data") == PLURAL
    assert determiner_number("every") == SINGULAR and determiner_number("12") == PLURAL
    assert determiner_number("the") is None
    tokens, tags = "the boys and the girl".split(), "DET N_PL CONJ DET N_SG".split()
    assert phrase_number(tokens, tags, 0, 4) == PLURAL
    tokens, tags = "the big and old girl".split(), "DET ADJ CONJ ADJ N_SG".split()
    assert phrase_number(tokens, tags, 0, 4) == SINGULAR


# Irregular plurals ------------------------------------------------------------------------
def test_irregular_plurals_are_plural_and_their_singulars_singular(examples):
    seen = Counter()
    for example in examples:
        for word, tag in zip(example["tokens"], example["tags"], strict=True):
            if tag not in ("N_SG", "N_PL", "N_MOD"):
                continue
            if word in IRREGULAR_SINGULARS:
                seen["plural"] += 1
                assert tag in ("N_PL", "N_MOD"), (word, tag, text(example))
            elif word in IRREGULAR_PLURALS:
                seen["singular"] += 1
                assert tag in ("N_SG", "N_MOD"), (word, tag, text(example))
    assert seen["plural"] >= 20 and seen["singular"] >= 20, seen


def test_a_subject_headed_by_an_irregular_plural_takes_a_plural_verb(examples):
    checked = 0
    for example in examples:
        tokens = example["tokens"]
        for controller, verb in example["agreements"]:
            if tokens[controller] in IRREGULAR_SINGULARS:
                checked += 1
                assert verb_number(tokens[verb]) == PLURAL, (tokens[verb], text(example))
                assert example["tags"][verb] == "V_PL"
    assert checked >= 5


def test_the_lexicons_irregular_plurals_are_the_english_ones():
    nouns = dict(english_lexicon.build_english_lexicon(8000).nouns)
    found = 0
    for singular, plural in IRREGULAR_PLURALS.items():
        if singular in nouns:
            found += 1
            assert plural in nouns[singular], (singular, nouns[singular])
    assert found >= 20
    assert english_lexicon.PLURAL_OVERRIDES["person"][0] == "people"


def test_the_lexicon_holds_person_with_its_plural_people():
    nouns = dict(english_lexicon.build_english_lexicon(300).nouns)
    assert nouns["person"][0] == "people" and nouns["man"][0] == "men"


# Determiners ------------------------------------------------------------------------------
def determiner_positions(example):
    """(index, number) of every number-marked determiner, found from the words."""
    tokens, tags = example["tokens"], example["tags"]
    for i, word in enumerate(tokens):
        number = determiner_number(word)
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if number is None or following in ("of", "-"):
            continue  # no determiner, a quantity head ("one of"), a unit ("40-page")
        if following in QUANTITY_NOUNS:
            continue  # "a lot of", "a third of", "two thirds of": a quantity head
        if word in ("most", "more") and tags[i + 1 : i + 2] == ["ADV"]:
            continue  # a degree word before an adverb ("most probably"), not "most boys"
        if word in ("that", "either") and tags[i] in ("REL", "COMP", "CONJ"):
            continue  # a relative pronoun or complementizer ("that"), "either X or Y"
        if following in (",", ")") or tags[i] == "NUM":
            continue  # a year ("in 1925, ...", "( 1939 )", "in 1925 every …") or a modifier's
        yield i, number


def test_determiners_mark_the_number_of_their_noun(examples):
    seen = Counter()
    for example in examples:
        tokens, tags = example["tokens"], example["tags"]
        for i, number in determiner_positions(example):
            noun = noun_after_determiner(tokens, tags, i)
            assert noun is not None, (tokens[i], text(example))
            word = tokens[noun]
            if tags[noun] == "POSS":  # "this boy's dogs": the determiner is the possessor's
                word = possessor_word(word)
            seen[tokens[i]] += 1
            form = noun_form_number(word)
            assert form in (number, None), (tokens[i], word, text(example))
            if tags[noun] != "POSS":
                assert tags[noun] == ("N_SG", "N_PL")[number], (tokens[i], word, text(example))
            assert tags[i] in ("DET_SG", "DET_PL") and tags[i] == ("DET_SG", "DET_PL")[number], (
                tokens[i], tags[i], text(example))  # fmt: skip
    for word in ("a", "this", "every", "each", "another", "these", "many", "several", "both"):
        assert seen[word] >= 3, (word, seen)


# Every verb against its controller --------------------------------------------------------
def record(example):
    return {verb: (controller, role) for (controller, verb), role in zip(
        example["agreements"], example["verb_roles"], strict=True)}  # fmt: skip


def read_example(example):
    """(problems, defect): what English says about each recorded agreement."""
    tokens, tags = example["tokens"], example["tags"]
    recorded = record(example)
    fragment = "fragment" in example["phenomena"]
    defect = None
    matching = []
    for loose in (False, True):
        parses = StructureReader(tokens, tags, loose=loose).parses(fragment)
        matching = [p for p in parses if {v: (c, r) for v, (c, _s, r) in p.items()} == recorded]
        if matching:
            break
        defect = "relative attached past a closed constituent"
    if not matching:
        return [f"no parse gives the recorded controllers {recorded}"], None
    problems = []
    for verb, (controller, role) in recorded.items():
        form = verb_number(tokens[verb])
        if form is None or tags[verb] != ("V_SG", "V_PL")[form]:
            problems.append(f"verb {tokens[verb]!r} tagged {tags[verb]}")
            continue
        numbers = {
            phrase_number(tokens, tags, first, last)
            for parse in matching
            for first, last in phrase_extents(tokens, tags, controller, parse[verb][1])
        }
        if None in numbers or form in numbers:
            # English decides nothing on some reading of the controller's phrase ("number
            # of", bare; "my kind and my corps which deals": "my corps" has either
            # number), or the verb agrees with one.
            continue
        if fragment and form == PLURAL and cut_subject(tokens, tags, controller):
            defect = "fragment cut inside a coordinated subject"
        else:
            problems.append(f"{role} verb {tokens[verb]!r} vs controller {tokens[controller]!r}")
    return problems, defect


def cut_subject(tokens, tags, controller):
    """Whether the controller heads the fragment's first noun phrase: where a fragment's
    cut may have dropped "X and" from a coordinated subject."""
    first_head = min(i for i, tag in enumerate(tags) if tag in HEAD_TAGS)
    extents = phrase_extents(tokens, tags, controller, None)
    return any(first <= first_head <= last for first, last in extents)


def test_every_finite_present_verb_is_a_target(examples):
    for example in examples:
        targets = sorted(verb for _c, verb in example["agreements"])
        agreeing = [i for i, tag in enumerate(example["tags"]) if tag in ("V_SG", "V_PL")]
        assert targets == agreeing, text(example)
        assert len(example["verb_roles"]) == len(example["agreements"])


def test_every_verb_agrees_in_english_with_the_controller_an_independent_parse_gives(examples):
    for example in examples:
        problems, _defect = read_example(example)
        assert not problems, (text(example), problems)


def test_every_construction_role_occurs_and_is_read_alike(examples):
    roles = Counter(role for example in examples for role in example["verb_roles"])
    # The rarest roles (a quantified relative, a verb after "where") come about 10 and 14
    # times in these 800 sentences: 3 is far enough below that a redraw does not move it,
    # and a role the grammar stopped writing still fails.
    for role in ROLES:
        assert roles[role] >= 3, (role, roles)
    assert set(roles) <= set(ROLES)


def test_the_main_label_is_the_verb_index_agreement(examples):
    for example in examples:
        recorded = record(example)
        assert example["verb_index"] in recorded, text(example)
        assert recorded[example["verb_index"]][0] == example["subject_index"]
        assert verb_number(example["tokens"][example["verb_index"]]) == example["label"]


def test_no_sentence_shows_a_known_generator_defect(examples):
    defects = {}
    for example in examples:
        _problems, defect = read_example(example)
        if defect:
            defects.setdefault(defect, []).append(text(example))
    assert not defects, {k: (len(v), v[:2]) for k, v in defects.items()}


def test_a_whose_relatives_verb_closes_the_noun_after_whose():
    """ "a bush whose themes lead, who …": once the relative's verb has come, a relative
    after it takes the head (or the verb's object), never the noun after "whose"; grammar
    2.15.0 attached one there in 51 of 20,000 sentences, 6 of this sample's 3,000."""
    sample = agreement.generate(3000, seed=31, config=ENGLISH)
    with_whose = [e for e in sample if "whose_relative" in e["phenomena"]]
    assert len(with_whose) >= 60  # about 100 (91-118 by seed): enough to meet such a defect
    for example in with_whose:
        assert read_example(example) == ([], None), text(example)


def test_nouns_whose_form_hides_their_number_take_the_verbs_english_gives_them():
    """ "Physics is", "the news was", "the police are", "these species are", "a series
    is"; and where English leaves the number open ("the series"), every verb of that
    subject takes the same one."""
    checked = Counter()
    for example in agreement.generate(3000, seed=37, config=ENGLISH):
        tokens, tags = example["tokens"], example["tags"]
        forms_by_controller = {}
        for controller, verb in example["agreements"]:
            word, form = tokens[controller], verb_number(tokens[verb])
            if "and" in tokens[max(controller - 3, 0) : controller]:
                continue  # "the software and this linguistics": a coordination, plural
            if word in SINGULAR_NOUNS_IN_S:
                checked["singular in s"] += 1
                assert form == SINGULAR, text(example)
            elif word in PLURAL_ONLY_NOUNS:
                checked["plural only"] += 1
                assert form == PLURAL, text(example)
            elif word in NUMBERLESS_NOUNS:
                checked["numberless"] += 1
                forms_by_controller.setdefault(controller, []).append(form)
                marked = None  # "that" before it may open a clause: "said that deer eat"
                if tags[controller - 1] not in ("REL", "COMP", "CONJ"):
                    marked = determiner_number(tokens[controller - 1])
                assert marked in (None, form), text(example)
                checked["marked"] += marked is not None
        for forms in forms_by_controller.values():
            assert len(set(forms)) == 1, text(example)
            checked["numberless, two verbs"] += len(forms) > 1
        if forms_by_controller:
            assert read_example(example) == ([], None), text(example)
    assert min(checked.values()) >= 5 and checked["numberless"] >= 40, checked


def test_a_name_in_a_plurals_form_takes_a_singular_verb():
    """ "The United States is", "the New York Times has", "Wales is": a name is singular
    whatever its last word, and "states" or "times" there is no plural noun."""
    checked = Counter()
    for example in agreement.generate(5000, seed=41, config=ENGLISH):
        tokens, tags = example["tokens"], example["tags"]
        names = [
            controller
            for controller, _verb in example["agreements"]
            if tags[controller] == "PROPN" and noun_form_number(tokens[controller]) == PLURAL
            and "and" not in tokens[max(controller - 4, 0) : controller]
        ]  # fmt: skip
        for controller, verb in example["agreements"]:
            if controller in names:
                checked[tokens[controller]] += 1
                assert verb_number(tokens[verb]) == SINGULAR, text(example)
        # The reader agrees on the names' verbs (other verbs of the sentence are the
        # general test's: this one draws 5,000 sentences for rare names).
        name_endings = tuple(f"vs controller {tokens[c]!r}" for c in names)
        problems, _defect = read_example(example)
        assert not [p for p in problems if p.endswith(name_endings)], text(example)
    plural_nouns_elsewhere = ("states", "nations", "times", "emirates")
    assert sum(checked[word] for word in plural_nouns_elsewhere) >= 8, checked
    assert sum(checked.values()) >= 40, checked  # with "James", "Texas", "Wales" …


def test_a_gerund_subject_is_singular_whatever_its_objects_number():
    """ "Playing video games is", "building the bridges took": the gerund heads its phrase,
    and the object's plural is a noun between the subject and its verb."""
    objects = Counter()
    for example in agreement.generate(3000, seed=43, config=ENGLISH):
        tokens, tags = example["tokens"], example["tags"]
        gerunds = {c for c, _verb in example["agreements"] if tags[c] == "V_ING"}
        for controller, verb in example["agreements"]:
            if controller in gerunds:
                assert verb_number(tokens[verb]) == SINGULAR, text(example)
                nouns = [t for t in tags[controller + 1 : controller + 4] if t in HEAD_TAGS]
                objects[nouns[0] if nouns else None] += 1
        endings = tuple(f"vs controller {tokens[c]!r}" for c in gerunds)
        problems, _defect = read_example(example)
        assert not [p for p in problems if p.endswith(endings)], text(example)
    assert objects["N_PL"] >= 10 and sum(objects.values()) >= 60, objects


def test_the_poor_and_the_wounded_are_plural():
    """An adjective after "the" that names a group of people is a plural noun phrase."""
    verbs = Counter()
    for example in agreement.generate(3000, seed=44, config=ENGLISH):
        tokens = example["tokens"]
        for controller, verb in example["agreements"]:
            if tokens[controller] in GROUP_ADJECTIVES and tokens[controller - 1] == "the":
                if "and" in tokens[max(controller - 4, 0) : controller]:
                    continue  # "the boy and the poor": a coordination, plural anyway
                verbs[verb_number(tokens[verb])] += 1
    assert verbs[PLURAL] >= 20 and verbs[SINGULAR] == 0, verbs


def test_before_a_noun_the_same_adjectives_leave_the_number_to_the_noun():
    """ "the homeless man is", "the young sons are": before a noun, an adjective that names
    a group of people after "the" is a modifier, and the noun gives the number. Most of
    these adjectives come before a noun too, so that a reader learns "the homeless" as a
    plural only where no noun follows."""
    examples = agreement.generate(3000, seed=46, config=ENGLISH)
    modifiers = set()
    for example in examples:
        tokens, tags = example["tokens"], example["tags"]
        for i, word in enumerate(tokens[:-1]):
            if word in GROUP_ADJECTIVES and tags[i + 1] in ("N_SG", "N_PL", "N_MOD"):
                modifiers.add(word)
    assert len(modifiers) >= 15, sorted(modifiers)
    assert_the_noun_gives_the_number(
        examples, lambda tokens, noun: tokens[noun - 1] in GROUP_ADJECTIVES
    )


def assert_the_noun_gives_the_number(examples, modified) -> None:
    """Every verb whose controller is a noun that `modified(tokens, noun)` accepts, out of
    a coordination, takes the number of the noun's form; at least 15 verbs of each number.
    """
    verbs = Counter()
    for example in examples:
        tokens, tags = example["tokens"], example["tags"]
        for controller, verb in example["agreements"]:
            if tags[controller] not in NOUN_TAGS or not modified(tokens, controller):
                continue
            if "and" in tokens[max(controller - 5, 0) : controller]:
                continue  # "the boy and the homeless man": a coordination, plural anyway
            number = noun_form_number(tokens[controller])
            verbs[number, verb_number(tokens[verb])] += 1
    assert verbs[SINGULAR, SINGULAR] >= 15 and verbs[PLURAL, PLURAL] >= 15, verbs
    assert verbs[SINGULAR, PLURAL] == 0 and verbs[PLURAL, SINGULAR] == 0, verbs


def is_participle(word: str) -> bool:
    """Whether lemminflect gives the word as some verb's past participle or gerund
    ("ruined", "broken", "sleeping")."""
    for lemma in lemminflect.getAllLemmas(word, upos="VERB").get("VERB", ()):
        forms = lemminflect.getAllInflections(lemma, upos="VERB")
        # lemminflect leaves out a participle that is also the past ("ruined")
        participles = forms.get("VBN") or forms.get("VBD", ())
        if word in participles + forms.get("VBG", ()):
            return True
    return False


def is_determiner(word: str) -> bool:
    return determiner_number(word) is not None or word in NUMBER_NEUTRAL_DETERMINERS


def test_a_participle_before_a_noun_leaves_the_number_to_the_noun():
    """ "the ruined castle is", "the sleeping dogs are": between a determiner and a noun, a
    verb's participle is a modifier, and the noun gives the number. A word in "-ed" after a
    determiner is also a plural head ("the disabled are"); modifiers outnumber such heads
    three to one or more, so that a reader takes an "-ed" word after "the" for a modifier
    unless no noun follows it."""
    examples = agreement.generate(3000, seed=48, config=agreement.CONFIGS["english"])
    modifiers, heads = Counter(), Counter()
    for example in examples:
        tokens, tags = example["tokens"], example["tags"]
        for i, word in enumerate(tokens[1:-1], start=1):
            if not (word.endswith("ed") and is_determiner(tokens[i - 1])):
                continue
            if tags[i + 1] in ("N_SG", "N_PL", "N_MOD") and is_participle(word):
                modifiers[word] += 1
            elif word in GROUP_ADJECTIVES:  # "the disabled", "the wounded": no noun after
                heads[word] += 1
    assert len(modifiers) >= 100, len(modifiers)
    assert sum(modifiers.values()) >= 3 * sum(heads.values()), (modifiers.total(), heads)
    assert_the_noun_gives_the_number(
        examples,
        lambda tokens, noun: (
            is_determiner(tokens[noun - 2])
            and is_participle(tokens[noun - 1])
            and tokens[noun - 1] not in GROUP_ADJECTIVES
        ),
    )


def test_well_is_a_noun_too_and_no_adjective_before_a_noun():
    """ "the well is dry", "the wells are": "well" is a common noun as well as an adverb,
    weighed by its noun use, not by the word's frequency, which is mostly the adverb's
    (the word is about as frequent as "day"). The adjective ("she is well") never stands
    before a noun."""
    lexicon = english_lexicon.build_english_lexicon(agreement.CONFIGS["english"].lexicon_size)
    nouns = zip(lexicon.nouns, lexicon.noun_weights, strict=True)
    weights = {noun: weight for (noun, _plurals), weight in nouns}
    assert dict(lexicon.nouns)["well"] == ("wells",)
    assert weights["well"] < weights["day"] / 4
    assert "well" not in lexicon.adjectives


def test_a_quantified_relatives_verb_takes_the_number_of_its_quantity_or_its_head():
    """ "the settlers, many of whom live", "three hotels, one of which is": a quantity that
    counts members (of a plural head) gives the verb its own number; after some/all/most/
    half/none the verb takes the head's ("the land, most of which is")."""
    counted_number = dict.fromkeys(SINGULAR_QUANTITY, SINGULAR) | dict.fromkeys(
        PLURAL_QUANTITY, PLURAL
    )
    counted, following = Counter(), Counter()
    for example in agreement.generate(3000, seed=45, config=ENGLISH):
        tokens = example["tokens"]
        # The reader parses the relative only on a plural head where the quantity counts
        # (StructureReader.quantified_relative), and gives each verb its English number.
        problems, _defect = read_example(example)
        roles = zip(example["agreements"], example["verb_roles"], strict=True)
        for (controller, verb), role in roles:
            if role != "quantified_relative":
                continue
            assert not problems, (text(example), problems)
            number = verb_number(tokens[verb])
            if tokens[controller + 1 : controller + 3] in (["of", "whom"], ["of", "which"]):
                word = tokens[controller]
                assert number == counted_number[word], word
                counted[number] += 1
            else:  # "most of which": the head's number
                following[number] += 1
    assert min(*counted.values(), *following.values()) >= 5, (counted, following)
    assert len(counted) == len(following) == 2, (counted, following)


# The last words of English's approximators: "over", "about", "more than", "up to" …
APPROXIMATOR_ENDS = frozenset("over about nearly almost around roughly some least than to".split())


def test_a_numeral_with_over_or_about_before_it_is_still_plural():
    """ "over 300 species are", "more than 2,000 people were": words that say how near the
    count is leave the numeral to mark the noun, as it marks "300 species" or "12 sheep",
    whose form shows no number."""
    approximate, numberless = Counter(), Counter()
    for example in agreement.generate(6000, seed=46, config=ENGLISH):
        tokens, tags = example["tokens"], example["tags"]
        for controller, verb in example["agreements"]:
            numeral = controller - 1
            while tags[numeral] in ("ADJ", "N_MOD") and numeral > 0:
                numeral -= 1
            if not is_numeral(tokens[numeral]) or tags[controller] not in NOUN_TAGS:
                continue
            if tokens[numeral - 1] in APPROXIMATOR_ENDS:
                approximate[verb_number(tokens[verb])] += 1
            if tokens[controller] in NUMBERLESS_NOUNS:
                numberless[verb_number(tokens[verb])] += 1
    assert approximate[PLURAL] >= 10 and approximate[SINGULAR] == 0, approximate
    assert numberless[PLURAL] >= 5 and numberless[SINGULAR] == 0, numberless


@pytest.fixture(scope="module")
def coordination_sample():
    """Enough sentences for the coordinations of singular nouns, 2% of sentences each."""
    return agreement.generate(3000, seed=47, config=ENGLISH)


def test_nouns_joined_by_and_after_each_or_every_take_a_singular_verb(coordination_sample):
    """ "every man and woman is", "each boy and each girl has": "each" or "every" before
    singular nouns joined by "and" takes them one at a time, and the verb is singular, as
    usage guides prescribe; "a man and a woman are", "the boy and his sister are"."""
    verbs = {"distributive": Counter(), "joined": Counter()}
    for example in coordination_sample:
        tokens, tags = example["tokens"], example["tags"]
        roles = zip(example["agreements"], example["verb_roles"], strict=True)
        for (controller, verb), role in roles:
            # the second of two singular nouns, "man and woman", "boy and each girl", as a
            # subject (a relative on it takes the second noun: "a man and a woman who is";
            # a clause after "and" has a subject of its own: "… to his uncle and the
            # number of guests is")
            between = tokens[controller - 2 : controller]
            if tags[controller] != "N_SG" or "and" not in between:
                continue
            if role.endswith("relative") or role == "coordinated_clause":
                continue
            first = controller - 3 if between[0] == "and" else controller - 2
            if tags[first] != "N_SG" or first == 0:
                continue
            kind = "distributive" if tokens[first - 1] in ("each", "every") else "joined"
            verbs[kind][verb_number(tokens[verb])] += 1
    assert verbs["distributive"][SINGULAR] >= 20 and not verbs["distributive"][PLURAL], verbs
    assert verbs["joined"][PLURAL] >= 20 and not verbs["joined"][SINGULAR], verbs


def test_nouns_joined_by_and_under_one_determiner_take_a_plural_verb(coordination_sample):
    """ "the house and garden are", "my mother and father were": one determiner before two
    singular nouns joined by "and" names two things; only "each" or "every" there takes
    them one at a time ("every man and woman is"). A run that saw a bare noun after "and"
    only after "every" reads "the house and garden" as singular."""
    verbs = {"distributive": Counter(), "shared": Counter()}
    for example in coordination_sample:
        tokens, tags = example["tokens"], example["tags"]
        roles = zip(example["agreements"], example["verb_roles"], strict=True)
        for (controller, verb), role in roles:
            determiner = controller - 3  # "the" of "the house and garden"
            if role.endswith("relative") or determiner < 0:
                continue
            shape = tags[controller - 2], tokens[controller - 1], tags[controller]
            if shape != ("N_SG", "and", "N_SG") or tags[determiner] not in ("DET", "DET_SG"):
                continue
            kind = "distributive" if tokens[determiner] in ("each", "every") else "shared"
            verbs[kind][verb_number(tokens[verb])] += 1
    assert verbs["shared"][PLURAL] >= 20 and not verbs["shared"][SINGULAR], verbs
    assert verbs["distributive"][SINGULAR] >= 10 and not verbs["distributive"][PLURAL], verbs
