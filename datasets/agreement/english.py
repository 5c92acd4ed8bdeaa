"""The `english` grammar: agreement in sentences written as ordinary English is.

Every finite present-tense verb agrees with its own subject, and every one is a target
(`agreements`, `verb_roles`): a model must answer, wherever a verb may come next, the
number of *that* verb's subject, not the sentence's first subject's.

    sentence   -> [lead ","] report* clause tail* "."       (a fragment may drop its start)
    lead       -> ADVERBIAL | PREP NP | "in" YEAR | SUBORDINATOR side_clause  "While Paula sleeps"
    report     -> subject REPORT_VERB ["that"]                 "the mechanics said (that)"
                | subject REPORT_VERB "," QUOTE                'Paula says, "'
                | subject V_PST "," REPORT_GERUND ["that"]     "the mayor spoke, saying (that)"
                | side_clause which_clause                     "the roads are closed, which means"
    which_clause -> "," "which" VERB_SG ["that"]               a relative on the clause before
    clause     -> subject span VERB continuation [qrel]       the controlled clause
    qrel       -> "," QUANTITY "of" ("whom"|"which") [ADV] VP   "six novels, two of which won"
    subject    -> NP | NAME | PRONOUN | NP "and" NP             "the boy and the girl"
                | ("each"|"every") N "and" ["each"|"every"] N  "every man and woman" (singular)
                | ["either"] NP "or" NP                         "either the boys or the girl"
                | NP PP "and" NP PP                             "a man with a hat and a woman with a bag"
                | QUANTIFIER NP | FOLLOWING_PARTITIVE NP        "a lot of men", "some of the cake"
                | "a total of" NUMERAL NP_PL                   "a total of 25 people"
                | (Q_SG | Q_PL | "the" ["total"] "number") "of" NP_PL   "one of the boys", "the number of images"
                | SELECTOR ["two" | "few" …] "of" NP_PL        "the first of the bridges", "the last two of"
    NP         -> [DET | [APPROX] NUMERAL] [POSSESSOR] [modifier] [NOUN] NOUN [segment]   "over 300 species"
    POSSESSOR  -> NAME's | NOUN's | NOUNS "'"                  "Dupré's", "the boys'" teacher
    modifier   -> ADJ | ADJ "and" ADJ | ADJ "-" ADJ | NUM "-" UNIT   "a well-known", "a 40-page"
    span       -> (segment | ADV | ADV "and" ADV)*            (exactly `dependency_length` words)
    segment    -> PREP NP                                       "of most senators", "near Alan"
                | REL [ADV] VP                                  "who hasn't visited the children"
                | qrel ","                                      ", many of whom were farmers ,"
                | [REL] NP [ADV] VERB                           "that the dogs chase", "whom Paula likes"
                | (V_PTCP | V_ING) (PP | NP)                    "written by the senators"
                | "," NP ","  | "(" PREP NP ")"                 appositive, parenthesis
                | "–" NP "–"  | "–" PREP NP "–"                 the same between dashes
    VP         -> VERB [NP] | AUX VERB [NP]                     "eats the fish", "didn't question all guests"
                                              (VERB may be a reporting verb: "shows the castle")
    continuation -> [object | ADJ ("and" ADJ)] [("and"|"but"|"or") [ADV] VP]   VP coordination
                | ["that"] side_clause                          after a reporting verb or "is sure"
    tail       -> ("," | "") CONJ side_clause | SUBORDINATOR side_clause   ", and his real name is"
                | which_clause side_clause                     ", which means the buses are late"
    side_clause-> subject [short span] VP | subject [short span] "either" VP "or" VP

A verb takes the number of its controller: the subject, the noun a subject relative attaches
to (the nearest noun before it: "the keys near the cabinet that is", as English prefers when
the number does not tell), an object relative's own subject, a complement's or side clause's
own subject. Number is read from the words as English marks it: the noun's form, number-
marked determiners and numerals (a/this/every vs these/many/12), names and mass nouns
singular ("bread", "the music", "physics"; "the United States" too), a noun whose form
shows no number by its determiner ("this series", "these species") or, after "the", by
how English mostly uses it ("the series is", "the sheep are", "the police are"),
"you"/"they"/"we" plural forms, a coordinated subject plural (singular after "each" or
"every": "every man and woman is"), subjects joined by "or" the
nearer one's number ("the boys or the girl is"), a possessor never (the noun after it
decides), the head of a quantity phrase (one/each singular, both/many plural, "the (total)
number of" singular, "a number of" and "a total of" plural), except after some/all/most/
half/none/the rest/the majority of and fractions ("a third of"), where the of-phrase's
noun decides.

The roles of the verbs (`verb_roles`, aligned with `agreements`): "main" (the verb of the
sentence's first clause), "complement" (of a sentential complement), "subject_relative",
"object_relative" (the verb inside the relative), "whose_relative" and "where_relative"
(a verb agreeing with the noun after "whose" or the subject after "where"),
"quantified_relative" (after "many of whom": the quantity's number, or the head's after
some/all/most/half/none of), "coordinated_verb" (a second verb of VP coordination),
"coordinated_clause" (a clause after and/but/so), "fronted_clause" (a subordinate clause
before the subject) and "subordinate_clause" (one after the verb).

"which" after a clause stands for that clause, so its verb is singular ("…, which means");
after a noun, ", which" takes the noun ("the dogs, which bark"), so a clause that ends in a
noun gets a place or time before this "which". A fragment (text that starts mid-sentence)
may start at any word before the controlled clause's subject head that separates no verb
it keeps from that verb's controller and cuts into no coordinated subject: inside a lead
or a report, after dropping their verbs ("said the author laughs", "which means the
prices go"); half of them start where a clause or phrase does.

The controlled clause is the one whose span has exactly the drawn dependency length and,
with an exact attractor count, exactly that many attractors; its verb is the example's
`verb_index` and `label` (role "main", or "complement" after a report). Numbers are
decided after the structure, so exact attractors can be placed; span nouns are then
common nouns only (a name's or pronoun's number is fixed).

The tokens are what `datasets.agreement.text.normalise` makes of the written sentence
(`text`: capitalised or, as much real text is, all lower case; commas attached;
apostrophes kept), the same reading that external sentences get in `evaluate pairs`.
"""

from __future__ import annotations

import bisect
import itertools

from datasets.agreement.config import EnglishConfig
from datasets.agreement.english_lexicon import (
    ADJECTIVE_NOUNS,
    ADVERB_DEGREES,
    ADVERBS,
    AGREEING_AUXILIARIES,
    BEEN,
    CLAUSE_COORDINATORS,
    COMPLEMENT_ADJECTIVES,
    CONTENT_NOUNS,
    COUNTED_QUANTIFIER,
    DEGREE_ADVERBS,
    EVENT_NOUNS,
    FOCUS_WORDS,
    FOLLOWING_PARTITIVES,
    HYPHENATED_ADJECTIVES,
    LEADING_ADJECTIVES,
    MASS_NOUNS,
    MODALS,
    NEUTRAL_DETERMINERS,
    NOUN_LINKS,
    NOUN_PLACES,
    NP_ADVERBIALS,
    NUMBERLESS_NOUNS,
    NUMERAL_APPROXIMATORS,
    NUMERALS,
    OBJECT_ADVERBS,
    OBJECT_PRONOUNS,
    OBJECT_RELATIVE_PRONOUNS,
    PARTICLES,
    PLACE_RELATIVE_PRONOUN,
    PLURAL_DETERMINERS,
    PLURAL_FORM_NAMES,
    PLURAL_PARTITIVES,
    PLURAL_PRONOUNS,
    PLURAL_QUANTIFIERS,
    PLURAL_SELECTORS,
    POSSESSIVE_RELATIVE_PRONOUN,
    PREPOSITIONS,
    QUANTIFIED_RELATIVE_PRONOUNS,
    RELATIVE_PARTITIVES,
    RELATIVE_PRONOUNS,
    SENTENCE_ADVERBIALS,
    SINGULAR_DETERMINERS,
    SINGULAR_NOUNS_IN_S,
    SINGULAR_PARTITIVES,
    SINGULAR_PRONOUNS,
    SINGULAR_SELECTORS,
    SPELLED_NUMBERS,
    SUBORDINATORS,
    TIME_PREPOSITIONS,
    TRAILING_SUBORDINATORS,
    UNITS,
    VP_ADVERBIALS,
    YEARS,
    build_english_lexicon,
    reporting_verbs,
)
from datasets.agreement.text import detokenise, normalise

NUMBER_TAGS = {"noun": ("N_SG", "N_PL"), "verb": ("V_SG", "V_PL"), "det": ("DET_SG", "DET_PL")}
PRONOUN_TAGS = ("PRON_SG", "PRON_PL")
_HEAD_TAGS = frozenset((*NUMBER_TAGS["noun"], "PROPN", *PRONOUN_TAGS))
VERB_ROLES = (
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
_PREPOSITIONS = tuple(tuple(p.split()) for p in PREPOSITIONS)
_ADVERBIALS = tuple(tuple(a.split()) for a in SENTENCE_ADVERBIALS)
_NOUN_LINKS = tuple(tuple(link.split()) for link in NOUN_LINKS)
# Links real text also writes without commas: "cities such as Paris are".
_BARE_NOUN_LINKS = ("such as", "including", "along with", "together with")
_VOWELS = frozenset("aeiou")
# "each" and "every" before nouns joined by "and" make the coordination singular.
DISTRIBUTIVE_DETERMINERS = ("every", "each")
_UNDISTRIBUTED_DETERMINERS = tuple(
    d for d in SINGULAR_DETERMINERS if d not in DISTRIBUTIVE_DETERMINERS
)
# One determiner before two nouns that are two things ("the house and garden are", "a man
# and woman were"): not "no", "any" or "some", which speak of either noun alone.
_ONE_AT_A_TIME = ("no", "any", "some")
_SHARED_DETERMINERS = tuple(d for d in NEUTRAL_DETERMINERS if d not in _ONE_AT_A_TIME) + ("a",) * 2
# What joins two adjectives or adverbs ("politely but firmly"): never a plural subject.
_MODIFIER_COORDINATORS = ("and", "and", "and", "and", "but", "or")
# What joins a second verb to the first one's subject ("laughs but swims", "sings or
# dances"): "and" mostly, as in text. "but" also opens coordinated clauses (", but his
# friends are"); a verb right after it is the VP's, so it must answer the subject's number.
_VP_COORDINATORS = ("and",) * 7 + ("but", "but", "or")
_SUBORDINATOR_WORDS = frozenset(
    word for phrase in SUBORDINATORS + TRAILING_SUBORDINATORS for word in phrase.split()
)
_SINGLE_PREPOSITIONS = frozenset(p for p in PREPOSITIONS if " " not in p) | {"after", "before"}
# Tags of the words a clause or phrase may open with, where a fragment often starts.
_OPENERS = frozenset(("REL", "COMP", "CONJ", "PREP", "QUOTE"))
# Verbs whose subject may be a whole clause: "…, which means (that) the buses are late".
_CLAUSE_SUBJECT_VERBS = ("mean", "show", "suggest", "explain", "confirm", "reveal")
# Reporting verbs that also take a noun as their object ("knows many languages", "shows the
# visitors the castle", "found the old key").
_OBJECT_REPORTING_VERBS = (
    "know", "show", "find", "hear", "remember", "understand", "learn", "discover", "reveal",
    "write", "mention", "explain", "announce", "predict", "promise", "deny", "confirm",
    "notice", "expect", "fear", "admit", "recall", "report", "suggest", "imagine", "mean",
)  # fmt: skip


def _tagged_adverbial(phrase: str) -> tuple[tuple[str, str], ...]:
    """ "after lunch" as tokens and tags: PREP N_SG; "again" ADV; "on sundays" PREP N_PL;
    "next door" ADV ADV (a place, not a noun an "and" could join)."""
    words = phrase.split()
    if len(words) == 1 or words[0] not in _SINGLE_PREPOSITIONS:  # "outside" alone: ADV
        return tuple((word, "ADV") for word in words)
    tags = ["PREP" if w in _SINGLE_PREPOSITIONS else "DET" if w == "the" else "" for w in words]
    tags[-1] = "N_PL" if words[-1].endswith("s") else "N_SG"
    return tuple(zip(words, tags, strict=True))


# Times with a noun of their own: "every morning", "last week".
_TIMES = tuple(
    ((det, "DET_SG"), (noun, "N_SG")) for det, noun in (a.split() for a in NP_ADVERBIALS)
)
_VP_ADVERBIALS = tuple(_tagged_adverbial(a) for a in VP_ADVERBIALS) + _TIMES
_MASS_NOUNS = MASS_NOUNS + SINGULAR_NOUNS_IN_S
_SUBJECT_QUANTIFIERS = (*PLURAL_QUANTIFIERS, COUNTED_QUANTIFIER)
_PLURAL_FORM_NAMES = tuple(name.split() for name in PLURAL_FORM_NAMES)
_BARE_NUMBERLESS = tuple((noun, share) for noun, share in NUMBERLESS_NOUNS if share <= 0.5)
# Determiners of a mass noun: number-neutral ones and the singular "this" and "that"
# ("the bread", "this music"), never "a" or "every".
_MASS_DETERMINERS = ("the", "the", "the", "this", "that", "my", "his", "her", "our", "their", "no")
_PLACE_ADVERBS = tuple(a for a in _VP_ADVERBIALS if all(tag == "ADV" for _w, tag in a))
# Determiners of an event after a preposition of time, by number: "until his death", "after
# each game", "during the elections".
_EVENT_DETERMINERS = (
    ("the",) * 6 + ("his", "her", "their", "its", "each", "that", "this"),
    ("the",) * 6 + ("his", "her", "their", "its"),
)
_NOUN_PLACES = tuple(tuple((word, "ADV") for word in place.split()) for place in NOUN_PLACES)
# Probabilities of the grammar's choices. They shape the data, not the benchmark's controls,
# which are the EnglishConfig fields (lengths, attractors, plural share, nesting).
P = {
    "prefix": 0.25,
    "prefix_comma": 0.75,  # "In the morning, the bakers" (else no comma, as text often has)
    "report": 0.22,  # the controlled clause is a complement: "the mechanics said the author"
    "report_again": 0.25,  # a second report inside the first: "John says Mary thinks"
    "quote": 0.15,  # a report that opens a quotation: 'Paula said, "'
    "that": 0.5,  # a complement with "that" (else none: "said the author")
    "marked_det": 0.5,  # a number-marked determiner (else the/my/…)
    "bare_plural": 0.15,
    "adjective": 0.2,
    "coordinated_adjectives": 0.3,  # of adjectives: "tall and quiet"
    "hyphenated": 0.25,  # of adjectives: "well-known", "40-page"
    "relative_before_verb": 0.4,  # a span that ends in "who insulted the women"
    "np_quantifier": 0.04,  # "a lot of men" anywhere, not only as the subject
    "compound": 0.08,  # "newspaper article": a singular noun before the head
    # Of compound heads whose plural is a verb ("car repairs"): after a singular noun such a
    # word stays mostly the noun's verb ("my uncle repairs"), about 3.5 to 1, as a reader
    # takes it.
    "verb_like_compound_head": 0.18,
    "possessor": 0.1,  # "the boy's keys", "Dupré's catalog"
    "numeral": 0.05,  # of plural NPs with a determiner slot: "the 12 eggs", "25 students"
    "approximate_numeral": 0.4,  # of numerals without "the": "over 300 people", "about 25"
    "counted_numberless": 0.1,  # of nouns after a numeral: "300 species", "12 sheep"
    "name_subject": 0.2,  # of singular subjects
    "pronoun_subject": 0.1,
    "coordinated_subject": 0.2,  # of plural subjects
    # Of singular subjects: "every man and woman", "each boy and each girl" (singular).
    "distributive_coordination": 0.03,
    "repeated_distributive": 0.3,  # of those: "each boy and each girl"
    # Of coordinated subjects: singular nouns under one determiner, "the house and garden",
    # "my mother and father" (plural), as common as "every man and woman" (singular).
    "shared_determiner": 0.15,
    "or_subject": 0.03,  # of subjects: "the bus or the train goes"
    "either_verbs": 0.05,  # of clauses outside the controlled one: "either play or watch"
    "parallel_conjuncts": 0.3,  # of those with room: "a man with a hat and a woman with a bag"
    "quantifier_subject": 0.1,  # of plural subjects: "a lot of men", "some of the men"
    "partitive_subject": 0.1,  # "one of the boys", "both of the boys", "the number of images"
    "total_number": 0.3,  # of "the number of": "the total number of votes is"
    "selector": 0.25,  # of partitives: "the first of the bridges", "the last two of the songs"
    "focus": 0.04,  # "only the keys are"
    "name_np": 0.12,  # span and object NPs (only where numbers are free to be fixed)
    "mass_np": 0.06,  # of those: "bread", "the music", "her advice", singular
    "mass_determiner": 0.5,  # of mass NPs (else bare: "bakes bread and sells it")
    # Of those after mass NPs: a noun whose form shows no number ("the series", "these
    # species", "police"), singular or plural by its determiner or, where that marks no
    # number, by the noun's share in NUMBERLESS_NOUNS.
    "numberless_np": 0.03,
    "bare_numberless": 0.3,  # of those that may go bare: "sheep graze", "police say"
    "adjective_np": 0.015,  # of the NPs left after those: "the poor", "the wounded", plural
    # Of attributive adjectives: one of those words before a noun, whose number is then the
    # noun's ("the homeless man is", "the young sons are"). The adjective lexicon holds
    # some of them rarely and most of them never, so a run met "the homeless" only as a
    # plural head and read "the boy and the homeless man" as singular.
    "adjective_noun_modifier": 0.05,
    # Of singular subjects with no attractors to count: a gerund, maybe with its object
    # ("playing video games is", "swimming is"), singular whatever the object's number.
    "gerund_subject": 0.05,
    "gerund_object": 0.7,  # of gerund subjects
    "two_word_name": 0.25,  # of names with room: "Winston Churchill"
    "plural_form_name": 0.03,  # of names: "the United States is", "Wales is"
    "pronoun_object": 0.06,
    "indirect_object": 0.25,  # of objects: "sold him the car"
    # Of those with room, an NP: "shows the visitors the castle", and after an object
    # relative's verb right before the head's ("the gift that my aunts bought their sons
    # is"), where a model that saw only pronouns there reads the NP as that verb's subject.
    "noun_indirect_object": 0.5,
    # Of relatives with an object that end a span with room for two NPs: "who sent the
    # professor a letter [are]", a verb's two objects right before the head's verb.
    "relative_double_object": 0.3,
    # Of spans of 4 words or more after a common noun subject: its noun takes a clause of
    # its content ("the fact that the workers are tired is", "the news that the mills
    # would close was").
    "noun_complement": 0.12,
    # Of a verb's two objects, those with nothing after them, where a second verb often
    # comes ("shows the visitors the castle and tells"): a PP, a second conjunct or a time
    # after them would leave a second verb right after two objects rare.
    "double_object_end": 0.6,
    "infinitive": 0.15,  # after a verb: "want to see the senator", "works to pay the bills"
    "whose": 0.12,  # of subject relatives: "the man whose dogs bark is"
    # Of relatives between commas with room: "the settlers, many of whom were farmers,".
    "quantified_relative": 0.5,
    "object_quantified_relative": 0.05,  # of clauses that end in a noun: "six novels, two of which"
    "where": 0.15,  # of object relatives: "the town where the brothers sell fish is"
    # Of adjectives: "the returned books", "a sleeping dog". A word in "-ed" right after a
    # determiner is also a plural head ("the disabled", `_adjective_np`); with half this
    # share such heads were one in 3.5 of these words, and runs read an "-ed" word seldom
    # seen as an adjective ("the ruined castle" after "shows the visitors") as the start
    # of a plural NP.
    "participle_adjective": 0.3,
    # Of common-noun NPs with room for three words: "the oldest surviving letters", "its
    # largest cities", "the first settlers" (an ordinal or superlative before the noun,
    # not a selector).
    "leading_adjective": 0.04,
    "stacked_adjective": 0.5,  # of those: a second adjective after it
    "stacked_participle": 0.5,  # of second adjectives: "surviving", "known", "preserved"
    "relative_adverbial": 0.3,  # of subject relatives with no object: "who lives next door"
    "negated": 0.3,
    # Object relatives: "that the dogs chase" vs "the dogs chase". Runs read plural heads
    # after a past relative as singular more often without a pronoun ("the dresses the girl
    # chose were"): a past verb agrees with nothing, and only the words before it tell
    # whose verb comes next. Both come often, though more of them did not make such
    # misreadings rarer (docs/results/english-every-verb.md, grammar 2.18.0).
    "relative_pronoun": 0.7,
    "object_relative_pronoun_subject": 0.1,  # with "that"; three times that without it
    "object_relative_present": 0.45,  # of one-word verbs there (else past: "the girl chose")
    "object_relative_adverbial": 0.4,  # "that the thief stole from the museum", "baked twice"
    "object_relative_pp": 0.7,  # of those with 5-8 span words left: room kept for a PP
    "object_relative_noun_io": 0.35,  # of those rooms, after the verb: "bought their sons is"
    "relative_time": 0.8,  # of relatives that end a span 2 words early: "walked every morning"
    # A preposition of time and an event ("after the war") instead of another PP after a
    # verb, or after a relative's object ("who owned the house until his death").
    "time_pp": 0.3,
    "relative_time_pp": 0.1,
    "dashes": 0.25,  # of appositives and parentheses: "the guards – men with lanterns –"
    "adverb": 0.15,
    "coordinated_adverbs": 0.35,  # of adverbs: "gently and carefully"
    "degree_adverb": 0.3,  # of single adverbs in -ly: "most probably", "very quickly"
    "manner_adverb": 0.4,  # of adverbs: a sampled one ("softly"), else a listed one
    "commas": 0.3,  # a relative clause next to the subject set off by commas
    "aside": 0.12,  # an appositive or parenthesis next to the subject
    "noun_link": 0.25,  # of asides: ", along with his aides ,", ", such as Paris ,"
    "bare_noun_link": 0.4,  # of those that may go without commas: "cities such as Paris"
    "noun_place": 0.05,  # of a noun's segments: "the people upstairs", "the house next door"
    "noun_place_last": 0.2,  # of spans that end in a noun with 1-2 words left: "… upstairs is"
    # Of spans that end in a common noun with 3-4 words left: nouns listed without commas
    # right before the verb ("cities such as Paris are", "the mayor along with his aides
    # is"). Left to the asides, whose lists have commas or more words after them, none came
    # right before a verb in 20,000 sentences.
    "noun_link_last": 0.1,
    "object": 0.6,
    "vp_extension": 0.45,  # a PP or time after the object: "bakes bread every morning"
    "been": 0.3,  # of "have" verbs: "has been working", "has been tired"
    "degree": 0.25,  # of predicate adjectives: "is very tired"
    "particle": 0.1,  # after a verb: "sat down", "carried out the tests"
    "object_noun_pp": 0.25,  # a PP on an object's noun: "the roof of the shed and watches"
    "object_adverb": 0.3,  # of those, an adverb before it: "read the chapters twice before"
    "coordinated_np": 0.2,  # objects and PP nouns: "between the school and the church"
    "complement_verb": 0.25,  # the main verb takes a complement: "say (that) …", "are sure …"
    "vp_coordination": 0.4,  # "laughs and swims", "knows many languages and likes …"
    "tail": 0.3,  # ", and his real name is", "because the keys are"
    "which_tail": 0.15,  # of tails: ", which means (that) the buses are late"
    # Of the verbs of clauses that take no complement: a reporting verb, with an object or
    # none ("the guide shows the ruined castle and tells", "knows many languages and
    # likes"). Drawn from the whole lexicon, a reporting verb followed by a noun and "and"
    # went on with a second verb in 1 case of 13 (a second object or a new clause's subject
    # in the rest: "says the man and the woman are"), and runs read "the guide shows the
    # ruined castle and" as plural.
    "reporting_verb_object": 0.15,
    "which_report": 0.25,  # of reports: "the roads are closed, which means (that)"
    "fragment": 0.08,  # the text starts mid-sentence (its first words dropped)
    "lower_case": 0.2,  # the text is written all in lower case
}
MAX_CLAUSE_DEPTH = 2  # complements and side clauses inside one another


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

    def __init__(self, config: EnglishConfig):
        self.config = config
        lexicon = build_english_lexicon(config.lexicon_size)
        self.nouns = _Weighted(lexicon.nouns, lexicon.noun_weights)
        self.verbs = _Weighted(lexicon.verbs, lexicon.verb_weights)
        self.adjectives = _Weighted(lexicon.adjectives, lexicon.adjective_weights)
        self.manner_adverbs = _Weighted(lexicon.adverbs, lexicon.adverb_weights)
        self.names = _Weighted(lexicon.names, lexicon.name_weights)
        verb_forms = frozenset(verb[0] for verb in lexicon.verbs)
        # Nouns whose plural is also a verb's -s form ("repairs", "reports"): after a
        # singular noun such a word is the noun's verb ("my uncle repairs") or a compound's
        # head ("the car repairs"), and only the words after it tell which.
        self.verb_like_nouns = frozenset(
            noun for noun in lexicon.nouns if not verb_forms.isdisjoint(noun[1])
        )
        # Written capitalised: the names, and the words of the names in a plural's form that
        # are nothing else ("Wales", "the Netherlands"; "the united states" keeps "states"
        # lower case, a plural noun elsewhere).
        forms = frozenset(lexicon.word_forms())
        self.name_set = frozenset(lexicon.names) | {
            word
            for name in PLURAL_FORM_NAMES
            for word in name.split()
            if word != "the" and word not in forms
        }
        self.reporting = reporting_verbs()
        self.clause_subject_verbs = tuple(
            v for v in self.reporting if v[1] in _CLAUSE_SUBJECT_VERBS
        )
        self.object_reporting = tuple(v for v in self.reporting if v[1] in _OBJECT_REPORTING_VERBS)
        self.verb_kinds = config.verb_kinds
        self.max_depth = config.max_depth
        self.p_nest = config.nesting_probability

    # ---- tokens ------------------------------------------------------------------------

    def _add(self, word: str, tag: str) -> int:
        self.toks.append(word)
        self.tags.append(tag)
        return len(self.toks) - 1

    def _add_words(self, words: str, tag: str) -> None:
        for word in words.split():
            self._add(word, tag)

    def _pick(self, options):
        return options[int(self.rand() * len(options))]

    def _mark(self, phenomenon: str) -> None:
        self.phenomena[phenomenon] = None

    # ---- controllers --------------------------------------------------------------------
    # A noun slot is [noun position, lemma (singular, plurals), number or None, determiner
    # position or -1, determiner draw]. Free numbers (None) are decided after the structure.
    # A controller is what a verb agrees with: ("slot", slot) takes the slot's number,
    # ("fixed", (number, position)) a number the words fix (coordination, "one of").

    def _ends_in_noun(self) -> bool:
        """Whether the last word is a noun, name or pronoun."""
        return self.tags[len(self.toks) - 1] in _HEAD_TAGS or self._ends_in_common_noun()

    def _ends_in_common_noun(self) -> bool:
        """Whether the last word is a common noun (not a name or pronoun): its tag is
        written only once its number is known, so its slot tells."""
        return bool(self.slots and self.slots[-1][0] == len(self.toks) - 1)

    def _slot(self, number, lemma=None, det=-1) -> int:
        self.slots.append([len(self.toks), lemma, number, det, self.rand()])
        self.open_noun = len(self.slots) - 1  # the newest noun, until a clause closes it
        return len(self.slots) - 1

    def _slot_controller(self, slot: int) -> int:
        self.controllers.append(("slot", slot))
        return len(self.controllers) - 1

    def _fixed_controller(self, number: int, position: int) -> int:
        self.controllers.append(("fixed", (number, position)))
        return len(self.controllers) - 1

    def _controller_number(self, controller: int) -> int:
        kind, value = self.controllers[controller]
        return self.slots[value][2] if kind == "slot" else value[0]

    def _controller_position(self, controller: int) -> int:
        kind, value = self.controllers[controller]
        return self.slots[value][0] if kind == "slot" else value[1]

    # ---- noun phrases -------------------------------------------------------------------

    def _np(self, budget: int, depth: int, fixed_ok: bool, bare_ok: bool | None = None):
        """An NP of at most `budget` words; returns (slot, words used).

        `fixed_ok` allows names, object pronouns, possessors and numerals (numbers fixed in
        advance) and bare plurals; a common NP needs 2 words ("the keys") unless it is a
        bare plural."""
        rand, start = self.rand, len(self.toks)
        bare_ok = fixed_ok if bare_ok is None else bare_ok
        if fixed_ok and (budget < 2 or rand() < P["name_np"]):
            return self._name(budget)
        if fixed_ok and rand() < P["mass_np"]:
            return self._mass_np(two_ok=budget >= 2)
        if fixed_ok and rand() < P["numberless_np"]:
            return self._numberless_np(two_ok=budget >= 2)
        if fixed_ok and budget >= 2 and rand() < P["adjective_np"]:
            return self._adjective_np()
        if fixed_ok and self.object_position and rand() < P["pronoun_object"]:
            number = 1 if rand() < 0.5 else 0
            slot = self._slot(number)
            self._add(self._pick(OBJECT_PRONOUNS[number]), PRONOUN_TAGS[number])
            return slot, 1
        number = None
        counted = 0  # after a numeral
        det = -1
        if fixed_ok and budget >= 4 and rand() < P["possessor"]:
            self._possessor()
        elif fixed_ok and budget >= 3 and rand() < P["numeral"]:
            if rand() < 0.5:
                self._add("the", "DET")
            elif rand() < P["approximate_numeral"]:
                approximator = self._pick(NUMERAL_APPROXIMATORS)
                if len(approximator.split()) + 2 <= budget:  # and the numeral and its noun
                    self._add_words(approximator, "ADV")
                    self._mark("approximate_numeral")
            self._add(self._pick(NUMERALS), "DET_PL")
            self._mark("numeral")
            number = counted = 1
        elif fixed_ok and budget >= 4 and rand() < P["np_quantifier"]:
            self._add_words(self._pick(PLURAL_QUANTIFIERS), "DET_PL")  # "of a lot of dancers"
            self._mark("quantity_head")
            number = 1
        elif budget >= 3 and rand() < P["leading_adjective"]:
            return self._leading_adjective_np(budget, depth)
        elif not (bare_ok and rand() < P["bare_plural"]):
            det = self._add("", "")  # filled once the noun's number is known
        else:
            number = 1
        left = budget - (len(self.toks) - start) - 1  # words left after the head noun
        if left > 0 and rand() < P["adjective"]:
            left -= self._modifier(left)
        compound = left > 0 and rand() < P["compound"]
        if compound:
            self._add(self.nouns.draw(rand)[0], "N_MOD")
            left -= 1
        noun = self.nouns.draw(rand)
        if compound and noun in self.verb_like_nouns and rand() >= P["verb_like_compound_head"]:
            # A reader takes "my uncle repairs" as a subject and its verb, and this grammar
            # makes that the likelier reading: drawn freely, the common nouns that are also
            # verbs (NOUNS_ALSO_VERBS) would follow a singular noun as a compound's head
            # about as often as as its verb (the dataset card's 2.13.0 note has the counts).
            # Most such compounds take another head instead.
            noun = self.nouns.draw(rand)
        if counted and rand() < P["counted_numberless"]:
            # "300 species", "12 sheep": the numeral alone says the noun is plural.
            self._mark("numberless_noun")
            numberless = self._pick(NUMBERLESS_NOUNS)[0]
            noun = (numberless, (numberless,))
        return self._head_noun(number, noun, det, left, depth, budget)

    def _head_noun(self, number, noun, det: int, left: int, depth: int, budget: int):
        """An NP's head noun (written once its number is known) and maybe a segment on it
        in the `left` words after it; returns (slot, words the NP used of `budget`)."""
        slot = self._slot(number, noun, det)
        self._add("", "")
        if left > 0 and depth < self.max_depth and self.rand() < self.p_nest:
            left -= self._segment(self._slot_controller(slot), left, depth + 1)
        return slot, budget - left

    def _leading_adjective_np(self, budget: int, depth: int) -> tuple[int, int]:
        """ "the oldest surviving letters", "its largest cities", "the first settlers": an
        ordinal or superlative between a neutral determiner and a noun of either number,
        maybe with a second adjective; returns (slot, words used). The same words before
        "of" pick one member ("the oldest of the letters is", `SINGULAR_SELECTORS`), so
        only the word after them tells which they are."""
        rand, start = self.rand, len(self.toks)
        self._mark("leading_adjective")
        self._add("the" if rand() < 0.7 else self._pick(("its", "their", "his", "her")), "DET")
        self._add_words(self._pick(LEADING_ADJECTIVES), "ADJ")
        left = budget - (len(self.toks) - start) - 1
        if left > 0 and rand() < P["stacked_adjective"]:
            if rand() < P["stacked_participle"]:
                verb = self.verbs.draw(rand)
                self._add(verb[3] if rand() < 0.5 else verb[4], "ADJ")
            else:
                self._add(self.adjectives.draw(rand), "ADJ")
            left -= 1
        return self._head_noun(None, self.nouns.draw(rand), -1, left, depth, budget)

    def _np_of_number(self, number: int, budget: int, fixed_ok: bool, bare_ok=None) -> int:
        """An NP (`_np`) that may take `number`: drawn again while it is a name, mass noun or
        numeral of the other number; returns its slot."""
        start, phenomena = len(self.toks), dict(self.phenomena)
        slot, _ = self._np(budget, self.max_depth, fixed_ok=fixed_ok, bare_ok=bare_ok)
        while self.slots[slot][2] not in (None, number):
            del self.toks[start:], self.tags[start:], self.slots[slot:]
            self.phenomena = dict(phenomena)
            slot, _ = self._np(budget, self.max_depth, fixed_ok=fixed_ok, bare_ok=bare_ok)
        return slot

    def _name(self, budget: int) -> tuple[int, int]:
        """A name of at most `budget` words, singular, sometimes of two words ("Winston
        Churchill", "Paula Evans") or in a plural's form ("the United States", "Wales"),
        the last its head; returns (slot, words used)."""
        if self.rand() < P["plural_form_name"]:
            words = self._pick(_PLURAL_FORM_NAMES)
            if len(words) <= budget:
                first = len(self.toks)
                for word in words[:-1]:
                    self._add(word, "DET" if word == "the" else "PROPN")
                slot = self._slot(0)
                self._add(words[-1], "PROPN")
                self.protected.append((first, len(self.toks) - 1))  # no text starts inside
                return slot, len(words)
        used = 1
        if budget >= 2 and self.rand() < P["two_word_name"]:
            self._add(self.names.draw(self.rand), "PROPN")
            used = 2
        slot = self._slot(0)
        self._add(self.names.draw(self.rand), "PROPN")
        return slot, used

    def _mass_np(self, two_ok: bool) -> tuple[int, int]:
        """A mass noun, singular whatever its determiner: bare ("bakes bread and sells it",
        "water boils") or after "the", "this", "their" …; returns (slot, words used)."""
        used = 1
        if two_ok and self.rand() < P["mass_determiner"]:
            determiner = self._pick(_MASS_DETERMINERS)
            self._add(determiner, "DET_SG" if determiner in SINGULAR_DETERMINERS else "DET")
            used = 2
        self._mark("mass_noun")
        slot = self._slot(0)
        self._add(self._pick(_MASS_NOUNS), NUMBER_TAGS["noun"][0])
        return slot, used

    def _numberless_np(self, two_ok: bool) -> tuple[int, int]:
        """A noun whose form shows no number ("series", "sheep", "police"); returns (slot,
        words used). Its number is fixed now: a number-marked determiner's ("a series",
        "these species"), else, after "the", "its" …, drawn by the noun's share of singular
        verbs (NUMBERLESS_NOUNS), so "the series" is mostly singular and "the sheep" mostly
        plural; bare, plural ("sheep graze"). A subject of a drawn number keeps such a noun
        as often as that share allows (`_np_of_number` draws again otherwise)."""
        rand = self.rand
        self._mark("numberless_noun")
        if not two_ok:
            noun, share = self._pick(_BARE_NUMBERLESS)
        else:
            noun, share = self._pick(NUMBERLESS_NOUNS)
        lemma = (noun, (noun,))
        if share <= 0.5 and (not two_ok or rand() < P["bare_numberless"]):
            slot = self._slot(1, lemma)
            self._add("", "")
            return slot, 1
        slot = self._slot(None, lemma, self._add("", ""))  # the determiner: written later
        if self.slots[slot][4] < P["marked_det"]:  # `_realise_slots` writes a marked one
            number = 1 if share == 0 else int(rand() < 0.5)
        else:
            number = int(rand() >= share)
        self.slots[slot][2] = number
        self._add("", "")
        return slot, 2

    def _adjective_np(self) -> tuple[int, int]:
        """ "the poor", "the wounded", "the elderly": an adjective for the people it
        describes, plural; returns (slot, words used)."""
        self._mark("adjective_noun")
        the = self._add("the", "DET")
        slot = self._slot(1)
        # No text starts at the adjective: without "the", "deaf whose rates …" is no noun.
        self.protected.append((the, self._add(self._pick(ADJECTIVE_NOUNS), NUMBER_TAGS["noun"][1])))
        return slot, 2

    def _possessor(self) -> None:
        """ "Paula's", "the boy's", "the boys'" (tokens "boys" "'"): never the head, so its
        number is fixed now and attracts like any noun's."""
        rand = self.rand
        self._mark("possessor")
        if rand() < 0.4:
            self._add(self.names.draw(rand) + "'s", "POSS")
            return
        self._add(self._pick(NEUTRAL_DETERMINERS[:3] + ("my", "our", "his", "her")), "DET")
        singular, plurals = self.nouns.draw(rand)
        if rand() < 0.5:
            self._add(singular + "'s", "POSS")
        elif plurals[0].endswith("s"):
            self._add(plurals[0], "POSS")
            self._add("'", "POSS")
        else:
            self._add(plurals[0] + "'s", "POSS")  # "children's"

    def _modifier(self, budget: int) -> int:
        """ADJ, ADJ "and" ADJ, or a hyphenated compound; returns the words used."""
        rand = self.rand
        if budget >= 3 and rand() < P["hyphenated"]:
            self._mark("hyphenated")
            if rand() < 0.5:
                compound = self._pick(HYPHENATED_ADJECTIVES)
            else:
                number = self._pick(NUMERALS if rand() < 0.5 else SPELLED_NUMBERS)
                compound = f"{number}-{self._pick(UNITS)}"
            words = compound.split("-")
            if len(words) * 2 - 1 > budget:  # "5-year-old" does not fit: a plain adjective
                words = [self.adjectives.draw(rand)]
            for i, word in enumerate(words):
                if i:
                    self._add("-", "HYPH")
                self._add(word, "NUM" if word[0].isdigit() or word in SPELLED_NUMBERS else "ADJ")
            return len(words) * 2 - 1
        if budget >= 3 and rand() < P["coordinated_adjectives"]:
            self._mark("coordinated_adjectives")
            self._add(self.adjectives.draw(rand), "ADJ")
            self._add(self._pick(_MODIFIER_COORDINATORS), "CONJ")
            self._add(self.adjectives.draw(rand), "ADJ")
            return 3
        self._add(self._attributive_adjective(), "ADJ")
        return 1

    def _attributive_adjective(self) -> str:
        """An adjective before a noun, sometimes a verb's participle ("the returned books",
        "a broken window", "the sleeping dogs"): the same word is a past verb elsewhere
        ("she returned the books"), and only its place says it is not one. Sometimes an
        adjective that is also a plural head after "the" ("the homeless man"; "the
        homeless are", `_adjective_np`): only the word after it says which it is."""
        rand = self.rand
        if rand() < P["adjective_noun_modifier"]:
            self._mark("adjective_noun_modifier")
            return self._pick(ADJECTIVE_NOUNS)
        if rand() < P["participle_adjective"]:
            self._mark("participle_adjective")
            verb = self.verbs.draw(rand)
            return verb[3] if rand() < 0.6 else verb[4]
        return self.adjectives.draw(rand)

    @property
    def min_np(self) -> int:
        """Fewest words of a span NP: 2 ("the keys") when numbers must stay free."""
        return 2 if self.exact else 1

    def _segment(self, head: int, budget: int, depth: int) -> int:
        """A PP, relative clause or aside attached to the controller `head`, at most
        `budget` words; returns the words used (0 if none fits)."""
        rand, min_np = self.rand, self.min_np
        x = rand()
        if len(self.toks) == self.conjunct_end:  # no PP on a PP's second conjunct
            if budget >= 3 + min_np and x < 0.3:
                return self._object_relative(budget, depth)
            return self._subject_relative(head, budget, depth)
        if depth == 1 and budget >= 3 + min_np and rand() < P["aside"]:
            return self._aside(budget)
        if rand() < P["noun_place"]:
            return self._noun_place(budget)
        if budget >= 3 + min_np and x < 0.22:
            return self._object_relative(budget, depth)
        if budget < 1 + min_np or x < 0.44:
            return self._subject_relative(head, budget, depth) if budget >= 2 else 0
        if budget >= 2 + min_np and x < 0.56:
            return self._reduced_relative(budget, depth)
        return self._prepositional_phrase(budget, depth)

    def _noun_place(self, budget: int) -> int:
        """A place right after a noun, "the people upstairs are", "the house next door is":
        words a verb phrase also ends in ("barks upstairs and sleeps"), here inside a
        subject, so that neither reads as the other; returns the words used."""
        self._mark("noun_place")  # one-word places fit any budget a segment gets (>= 1)
        place = self._pick([place for place in _NOUN_PLACES if len(place) <= budget])
        for word, tag in place:
            self._add(word, tag)
        return len(place)

    def _reduced_relative(self, budget: int, depth: int) -> int:
        """A participle phrase after a noun, with no verb of its own to agree: "written by
        the senators", "standing near the doors", "owning three cars"."""
        rand = self.rand
        self._mark("reduced_relative")
        verb = self.verbs.draw(rand)
        if rand() < 0.5:
            self._add(verb[3], "V_PTCP")
            return 1 + self._prepositional_phrase(budget - 1, depth)
        self._add(verb[4], "V_ING")
        if rand() < 0.5:
            return 1 + self._prepositional_phrase(budget - 1, depth)
        self.object_position = True
        return 1 + self._np(budget - 1, depth, fixed_ok=not self.exact)[1]

    def _prepositional_phrase(self, budget: int, depth: int) -> int:
        prep = self._pick(_PREPOSITIONS)
        if len(prep) + self.min_np > budget:
            prep = ("of",)
        for word in prep:
            self._add(word, "PREP")
        self.object_position = True
        _, used = self._np(budget - len(prep), depth, fixed_ok=not self.exact)
        used += self._second_conjunct(budget - len(prep) - used, depth, prep == ("between",))
        return len(prep) + used

    def _second_conjunct(self, budget: int, depth: int, between: bool = False) -> int:
        """Sometimes "and" and a second NP after an object or a PP's NP; returns the words
        used. Not in spans of exact attractor counts, and never where the NP is a subject
        (its verb would need the coordination's number).

        After a subject's PP, "and" joins the PP's nouns ("the owner of the cat and the dog
        is", "the box of pens and pencils is"), the reading English prefers when the second
        NP has no modifier of its own. A PP right after the second NP would make the
        conjuncts parallel ("the man with a hat and the woman with a bag are", the reading
        of `_subject`'s coordinations), so none follows it here: neither nested nor as the
        next segment (`conjunct_end`). The second NP is a full one or a bare plural sharing
        the first one's determiner."""
        if self.exact or budget < 2 or self.rand() >= P["coordinated_np"]:
            return 0
        self._mark("coordinated_np")
        self._add("and", "CONJ")
        if budget >= 3 and (between or self.rand() < 0.6):
            used = 1 + self._np(budget - 1, self.max_depth, fixed_ok=not between)[1]
        else:
            self._slot(1, self.nouns.draw(self.rand))
            self._add("", "")
            used = 2
        self.conjunct_end = len(self.toks)
        return used

    def _aside(self, budget: int) -> int:
        """An appositive between commas (", a famous singer ,"), a parenthesis ("( near the
        door )"), a quoted title or nouns listed beside the subject (", along with his aides
        ,"); its nouns are attractors like any other in the span, but out of reach of a
        later relative."""
        open_noun = self.open_noun
        used = self._aside_words(budget)
        self.open_noun = open_noun
        return used

    def _aside_words(self, budget: int) -> int:
        self.object_position = True
        x = self.rand() * (0.75 if self.exact else 1.0)  # titles' numbers are fixed
        dashes = self.rand() < P["dashes"]  # "the captain – a man of few words –"
        if not self.exact and budget >= 4 + self.min_np and self.rand() < P["noun_link"]:
            return self._linked_nouns(budget, dashes)
        if x < 0.4:
            self._mark("appositive")
            self._add("–" if dashes else ",", "PUNCT")
            depth = self.max_depth - 1
            _, used = self._np(min(budget - 2, 6), depth, fixed_ok=not self.exact)
            self._add("–" if dashes else ",", "PUNCT")
        elif x < 0.75:
            self._mark("parenthesis")
            self._add("–" if dashes else "(", "PAREN")
            if self.rand() < 0.2:
                self._add(self._pick(YEARS), "NUM")
                used = 1
            elif budget - 2 >= 2 + self.min_np and self.rand() < 0.4:
                used = self._reduced_relative(min(budget - 2, 6), self.max_depth)
            else:
                used = self._prepositional_phrase(min(budget - 2, 5), self.max_depth)
            self._add("–" if dashes else ")", "PAREN")
        else:
            used = self._quoted_title(budget - 2)
        return used + 2

    def _linked_nouns(self, budget: int, dashes: bool) -> int:
        """Nouns listed with the subject's that do not join it into a plural subject, most
        often between commas: ", along with his aides ,", ", such as Paris and Rome ,", "
        as well as the players ,", and some without ("cities such as Paris are"). The verb
        takes the subject's number, as edited English does (NOUN_LINKS); returns the words
        used."""
        self._mark("linked_nouns")
        # A link, its commas and a one-word NP must fit ("as well as" needs 6 words).
        link = self._pick([link for link in _NOUN_LINKS if len(link) + 3 <= budget])
        bare = " ".join(link) in _BARE_NOUN_LINKS and self.rand() < P["bare_noun_link"]
        mark = "" if bare else "–" if dashes else ","
        if mark:
            self._add(mark, "PUNCT")
            budget -= 2
        for word in link:
            self._add(word, "PREP")
        _, used = self._np(min(budget - len(link), 5), self.max_depth - 1, fixed_ok=True)
        used += self._second_conjunct(budget - len(link) - used, self.max_depth - 1)
        if mark:
            self._add(mark, "PUNCT")
        return len(link) + used + 2 * bool(mark)

    def _linked_nouns_last(self, words: int) -> None:
        """Nouns listed without commas in exactly the last `words` words (3 or 4) of a span,
        right before the verb: "cities such as Paris are", "writers including the poets
        were", "the mayor along with his aides is". The verb keeps the number of the noun
        before the link, as in `_linked_nouns`."""
        self._mark("linked_nouns")
        open_noun = self.open_noun
        link = self._pick(_BARE_NOUN_LINKS)
        self._add_words(link, "PREP")
        self._short_object(words - len(link.split()))  # a name or bare plural if one word
        self.open_noun = open_noun

    def _title_noun(self) -> None:
        """A noun of a title, its number drawn now (a slot of fixed number, counted as an
        intervening noun like any other)."""
        singular, plurals = self.nouns.draw(self.rand)
        number = int(self.rand() < 0.5)
        self._slot(number)
        self._add(plurals[0] if number else singular, NUMBER_TAGS["noun"][number])

    def _quoted_title(self, budget: int) -> int:
        """A title in quotes after its noun ('the song "Green Apples"'): its words name one
        thing, whatever their own number; returns the words inside the quotes."""
        rand = self.rand
        self._mark("quote")
        self._add('"', "QUOTE")
        used = 0
        if budget >= 2 and rand() < 0.4:
            self._add(self.adjectives.draw(rand), "ADJ")
            used += 1
        self._title_noun()
        used += 1
        if budget - used >= 3 and rand() < 0.4:
            self._add(self._pick(("of", "in", "by", "from")), "PREP")
            self._add("the", "DET")
            self._title_noun()
            used += 3
        self._add('"', "QUOTE")
        return used

    # ---- verbs ----------------------------------------------------------------------------

    def _agreeing(self, forms, controller: int, role: str) -> None:
        self.patches.append((len(self.toks), forms, controller, role))
        self._add("", "")

    def _lexical_verb(self) -> tuple[str, str, str, str, str]:
        """A verb for a clause that takes no complement: from the lexicon, or a reporting
        verb that also takes an object ("knows many languages", "shows the castle"), so
        that a noun after a reporting verb is not almost always a new clause's subject."""
        if self.rand() < P["reporting_verb_object"]:
            return self._pick(self.object_reporting)
        return self.verbs.draw(self.rand)

    def _verb_group(self, controller: int, budget: int, role: str, verb=None) -> int:
        """A finite verb group of at most `budget` words (1 or 2) whose first word agrees
        with `controller` or is number-neutral; returns the words used."""
        rand = self.rand
        verb = verb or self._lexical_verb()
        x = rand()
        if budget < 2 or x < 0.35:  # one word: present (agrees) or past (neutral)
            if rand() < 0.7:
                self._agreeing((verb[0], verb[1]), controller, role)
            else:
                self._add(verb[2], "V_PST")
            return 1
        if x < 0.75:  # an agreeing auxiliary
            kind = self._pick(("be_present", "be_past", "have", "do"))
            plain, negated = AGREEING_AUXILIARIES[kind]
            self._agreeing(negated if rand() < P["negated"] else plain, controller, role)
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
            return self._adverbs(budget)
        return 0

    def _adverbs(self, budget: int) -> int:
        """ADV, or ADV "and" ADV ("gently and carefully"); returns the words used."""
        if budget >= 3 and self.rand() < P["coordinated_adverbs"]:
            self._mark("coordinated_adverbs")
            self._add(self._adverb_word(), "ADV")
            self._add(self._pick(_MODIFIER_COORDINATORS), "CONJ")
            self._add(self._adverb_word(), "ADV")
            return 3
        word = self._adverb_word()
        if budget >= 2 and word.endswith("ly") and self.rand() < P["degree_adverb"]:
            # "most probably", "very quickly": "most" and "more" also begin plural NPs
            # ("most senators"), and only the adverb after them says they do not here.
            self._mark("degree_adverb")
            self._add(self._pick(ADVERB_DEGREES), "ADV")
            self._add(word, "ADV")
            return 2
        self._add(word, "ADV")
        return 1

    def _adverb_word(self) -> str:
        """A hand-listed adverb ("still", "never", "gently") or a sampled manner adverb
        ("softly", "steadily")."""
        if self.rand() < P["manner_adverb"]:
            return self.manner_adverbs.draw(self.rand)
        return self._pick(ADVERBS)

    def _subject_relative(self, head: int, budget: int, depth: int) -> int:
        """REL [ADV] VP: "who hasn't visited the children" (the verb agrees with `head`);
        next to the subject, sometimes between commas: ", who likes Paula ,"."""
        if depth == 1 and budget >= 4 and self.rand() < P["commas"]:
            open_noun = self.open_noun  # the closing comma puts its nouns out of reach
            self._add(",", "PUNCT")
            if (
                budget >= 6
                and self._counts_members(head)
                and self.rand() < P["quantified_relative"]
            ):
                used = self._quantified_relative(head, budget - 2, depth + 1)
            else:
                used = self._subject_relative(head, budget - 2, depth + 1)
            self._add(",", "PUNCT")
            self.open_noun = open_noun
            return used + 2
        rand = self.rand
        if not self.exact and budget >= 3 and rand() < P["whose"]:
            return self._whose_relative(head, budget, depth)
        self._add(self._pick(RELATIVE_PRONOUNS), "REL")
        used = 1 + self._adverb(budget - 2)
        used += self._verb_group(head, budget - used, "subject_relative")
        return used + self._relative_verb_phrase_rest(budget - used, depth)

    def _counts_members(self, head: int) -> bool:
        """Whether a quantified relative may go on `head`: a common noun or a coordination
        (not "Paula, most of whom"), with numbers free to be fixed."""
        kind, value = self.controllers[head]
        return not self.exact and (kind == "fixed" or bool(self.slots[value][1]))

    def _quantified_relative(self, head: int, budget: int, depth: int) -> int:
        """ "many of whom were farmers", "one of which is", "most of which": a quantity,
        "of" and "whom" or "which" opening a relative (between commas). Its verb agrees with
        the quantity where it counts members of the head, which is then plural: "one",
        "each" singular, "many", "both", "two" plural ("three hotels, one of which is");
        after some/all/most/half/none, with the head, of either number ("the land, most of
        which is", "the letters, most of which are"). Returns the words used (budget >= 4)."""
        rand = self.rand
        self._mark("quantified_relative")
        kind, value = self.controllers[head]
        number = self._controller_number(head)
        # A quantity that counts in 60% of those on a head that may be plural, "many",
        # "both" and "two" in 70% of those: "one of which" and "each of whom" come too.
        if number != 0 and rand() < 0.6:
            if kind == "slot":
                self.slots[value][2] = 1
            counted = int(rand() < 0.7)
            word = self._pick(PLURAL_PARTITIVES if counted else SINGULAR_PARTITIVES)
            quantity = self._add(word, ("Q_SG", "Q_PL")[counted])
            controller = self._fixed_controller(counted, quantity)
        else:
            self._add(self._pick(RELATIVE_PARTITIVES), "Q")
            controller = head
        self._add("of", "PREP")
        self._add(self._pick(QUANTIFIED_RELATIVE_PRONOUNS), "REL")
        used = 3 + self._adverb(budget - 4)
        used += self._verb_group(controller, budget - used, "quantified_relative")
        return used + self._relative_verb_phrase_rest(budget - used, depth)

    def _whose_relative(self, head: int, budget: int, depth: int) -> int:
        """ "whose" (the determiner of the relative's own subject), that noun and a VP
        agreeing with it: "the man whose dogs bark is", "the writers whose book sells well
        are". Its verb's subject is neither the head nor the first subject, and the verb
        after the relative agrees with the head again; returns the words used."""
        self._mark("whose_relative")
        self._add(POSSESSIVE_RELATIVE_PRONOUN, "REL")
        used = 1
        if budget >= 4 and self.rand() < P["adjective"]:
            self._add(self._attributive_adjective(), "ADJ")
            used += 1
        open_noun = self.open_noun
        owned = self._slot(None, self.nouns.draw(self.rand))
        # Text never starts inside it: "whose dogs bark …" without its head reads as no clause.
        self.protected.append((self._controller_position(head), self.slots[owned][0]))
        self._add("", "")
        used += 1 + self._adverb(budget - used - 2)
        used += self._verb_group(self._slot_controller(owned), budget - used, "whose_relative")
        # Its verb closes the noun after "whose": a later relative takes the head, or the
        # verb's object ("the man whose dog chases the cats that …"), as after an object
        # relative.
        self.open_noun = open_noun
        return used + self._relative_verb_phrase_rest(budget - used, depth)

    def _relative_verb_phrase_rest(self, budget: int, depth: int) -> int:
        """What may follow a relative's verb: an infinitive, then an object or a place
        ("who wants to see the senator", "who lives next door"); returns the words used."""
        used = self._infinitive(budget)
        rand = self.rand
        if budget - used >= self.min_np and rand() < P["object"]:
            self.object_position = True
            used += self._indirect_object(budget - used - self.min_np)
            bare_ok = not self.exact and not self._ends_in_common_noun()  # as in `_object`
            used += self._np(budget - used, depth, fixed_ok=not self.exact, bare_ok=bare_ok)[1]
            used += self._time_pp(budget - used, P["relative_time_pp"])
        elif time := self._relative_time(budget - used, depth):
            used += time
        elif time := self._time_pp(budget - used, P["relative_time_pp"]):
            used += time  # "who worked until the war"
        elif not self.exact and rand() < P["relative_adverbial"]:
            # "who lives next door", "that sleeps upstairs": no noun an "and" could join
            # ("the girl who lives next door and her friend are")
            phrase = self._pick(_PLACE_ADVERBS)
            if len(phrase) <= budget - used:
                for word, tag in phrase:
                    self._add(word, tag)
                used += len(phrase)
        return used

    def _infinitive(self, budget: int) -> int:
        """Sometimes "to" and a verb's base form after a verb ("want to see the senator",
        "works to pay the bills"): a noun after it is the infinitive's object, and the
        next finite verb is still the subject's; returns the words used."""
        if self.exact or budget < 2 or self.rand() >= P["infinitive"]:
            return 0
        self._mark("infinitive")
        self._add("to", "TO")
        self._add(self.verbs.draw(self.rand)[1], "V_BASE")
        return 2

    def _indirect_object(self, budget: int) -> int:
        """Sometimes an indirect object before a verb's object ("sold him the car", "shows
        the visitors the castle": the NP after it is the object, not a new subject), or
        after an object relative's verb whose gap is that object ("the keys the landlord
        gave us", "the gift that my aunts bought their sons is"); a pronoun, or a short NP
        where `budget` leaves 2 words or more; returns the words used."""
        if self.exact or budget < 1 or self.rand() >= P["indirect_object"]:
            return 0
        if budget >= 2 and self.rand() < P["noun_indirect_object"]:
            return self._noun_indirect_object(budget)
        return self._pronoun_indirect_object()

    def _pronoun_indirect_object(self) -> int:
        """A pronoun as an indirect object ("him", "us"); returns the words used (1)."""
        number = int(self.rand() < 0.5)
        self._slot(number)
        self._add(self._pick(OBJECT_PRONOUNS[number]), PRONOUN_TAGS[number])
        self._mark("indirect_object")
        return 1

    def _noun_indirect_object(self, budget: int) -> int:
        """An NP of at most 3 words as an indirect object ("the visitors", "their sons"),
        with no segment of its own; returns the words used."""
        self._mark("noun_indirect_object")
        # Not a pronoun (`_pronoun_indirect_object` writes those): a pronoun from `_np` is
        # a noun slot open to a relative ("tries her that needs is").
        self.object_position = False
        used = self._np(min(budget, 3), self.max_depth, fixed_ok=True)[1]
        self.object_position = True
        return used

    def _relative_with_object(self, head: int, length: int) -> None:
        """REL VERB NP of exactly `length` words (3 to 6): "who insulted the old women",
        "that doesn't annoy these adults", or a verb's two objects ("who sent the professor
        a letter")."""
        rand = self.rand
        self._add(self._pick(RELATIVE_PRONOUNS), "REL")
        verb = self.verbs.draw(rand)
        words = length - 2
        double = not self.exact and length >= 4 and rand() < P["relative_double_object"]
        # An auxiliary and its verb: always in 6 words but for two objects ("who sent the
        # professor a letter"), as no NP of 4 words is written here.
        if (length == 6 and not double) or (length >= 4 and rand() < 0.5):
            words -= 1
            if rand() < 0.6:
                kind = self._pick(("be_present", "be_past", "have", "do"))
                plain, negated = AGREEING_AUXILIARIES[kind]
                self._agreeing(negated if rand() < 0.5 else plain, head, "subject_relative")
            else:
                kind = "do" if rand() < 0.5 else "modal"
                self._add(self._pick(("did", "didn't") if kind == "do" else MODALS), "AUX")
            form = {"be_present": (4, "V_ING"), "be_past": (4, "V_ING"), "have": (3, "V_PTCP")}
            index, tag = form.get(kind, (1, "V_BASE"))
            self._add(verb[index], tag)
        elif rand() < 0.6:
            self._agreeing((verb[0], verb[1]), head, "subject_relative")
        else:
            self._add(verb[2], "V_PST")

        self.object_position = True
        if double and words >= 2:
            self._double_object(words)
            return
        self._short_object(words)

    def _short_object(self, words: int) -> None:
        """An object NP of exactly `words` words (1 to 3): a name or a bare plural, "the
        women", "the old women"."""
        if words == 1 and self.rand() < 0.5:
            self._slot(0)
            self._add(self.names.draw(self.rand), "PROPN")
            return
        det = -1 if words == 1 else self._add("", "")
        if words == 3:
            self._add(self.adjectives.draw(self.rand), "ADJ")
        self._slot(1 if det < 0 else None, self.nouns.draw(self.rand), det)
        self._add("", "")

    def _double_object(self, words: int) -> None:
        """An indirect and a direct object of exactly `words` words (2 to 4) ending a
        relative right before the head's verb: "who sent him letters", "who gave us a key",
        "who sent the professor a letter [are]". Two NPs after a verb there are its objects,
        not an object and the subject of a relative on it, whose verb would agree with the
        second NP; elsewhere a span seldom leaves room for both and nothing after them."""
        if words == 4 and self.rand() < 0.7:
            self._mark("noun_indirect_object")
            self._short_object(2)
            self._short_object(2)
            return
        self._pronoun_indirect_object()
        self._short_object(words - 1)

    def _object_relative(self, budget: int, depth: int) -> int:
        """[REL] NP [ADV] VERB: "that the dogs chase" (the verb agrees with the NP); once
        its verb closes it, its nouns are out of reach of a later relative."""
        if not self.exact and budget >= 3 + self.min_np and self.rand() < P["where"]:
            return self._where_relative(budget, depth)
        open_noun = self.open_noun
        # Room kept for a PP after the verb where the span's last words are few, so that it
        # often ends the span ("the paintings that the thief stole from the museum are"):
        # left to chance, the relative's NP takes the span's words, and a PP came right
        # before the head's verb in about 1 sentence in 1,000.
        pp = not self.exact and depth == 1 and 5 <= budget <= 8
        pp = pp and self.rand() < P["object_relative_pp"]
        used = self._object_relative_words(budget - 3 * pp, depth)
        self.open_noun = open_noun
        if pp:
            room = min(budget - used, 3)  # its words may take more than they were given
            if room <= self.min_np:
                return used
            # Unless its words ended in an indirect object already ("gave us").
            if not self._ends_in_noun() and self.rand() < P["object_relative_noun_io"]:
                return used + self._noun_indirect_object(room)  # the room taken by one
            self._mark("object_relative_adverbial")
            return used + self._object_relative_pp(room, depth)
        time = self._relative_time(budget - used, depth)
        return used + (time or self._object_relative_adverbial(budget - used, depth))

    def _relative_time(self, budget: int, depth: int) -> int:
        """Sometimes a time with a noun after a relative's verb, where the span ends and the
        verb comes next ("the gardens where the old king walked every morning look", "the
        rooms she cleans each week are"). After a main verb a time goes on with that verb's
        clause ("bakes bread every morning and sells"); here the next verb is the head's.
        Only as the span's last words (depth 1, the whole budget): a later relative or "and"
        would read "morning" as a noun of its own, and it is no slot; returns the words
        used."""
        if self.exact or depth != 1 or budget != 2 or self.rand() >= P["relative_time"]:
            return 0
        self._mark("relative_time")
        for word, tag in self._pick(_TIMES):
            self._add(word, tag)
        return 2

    def _object_relative_adverbial(self, budget: int, depth: int) -> int:
        """Sometimes a time, a place or a PP after an object relative's verb ("the paintings
        that the thief stole from the museum are", "the cake she baked downstairs is"):
        words that after a main verb go on with that verb's clause ("bakes bread every
        morning and sells"), here before the head's verb; returns the words used. A later
        relative takes the PP's noun, the nearest, as English reads it."""
        if self.exact or budget < 1 or self.rand() >= P["object_relative_adverbial"]:
            return 0
        self._mark("object_relative_adverbial")
        if budget > self.min_np and self.rand() < 0.5:
            return self._object_relative_pp(budget, depth)
        # A time or place without a noun ("downstairs", "twice"): with one ("at home") a
        # later relative would stand after a noun that is no slot of its own.
        phrase = self._pick([a for a in _PLACE_ADVERBS if len(a) <= budget] or [()])
        for word, tag in phrase:
            self._add(word, tag)
        return len(phrase)

    def _object_relative_pp(self, budget: int, depth: int) -> int:
        """A PP of at most `budget` words after an object relative's verb, not "of" (a
        verb's PP is no noun's "of"); its noun becomes the nearest open noun. Returns the
        words used."""
        if time := self._time_pp(budget, P["time_pp"]):
            return time
        preps = [p for p in _PREPOSITIONS if p != ("of",) and len(p) + self.min_np <= budget]
        prep = self._pick(preps)
        for word in prep:
            self._add(word, "PREP")
        self.object_position = True
        return len(prep) + self._np(budget - len(prep), depth, fixed_ok=True)[1]

    def _time_pp(self, budget: int, p: float) -> int:
        """With probability `p`, a preposition of time and an event ("until his death",
        "after the wars", "during the storm"), where a verb may come next: that verb is
        never the event's but that of a subject before it ("the towns that the army occupied
        after the war are"), though "after", "before", "since" and "until" also open clauses
        whose subject comes next ("after the guests arrive"). Needs 3 words; returns the
        words used. Its noun's number is fixed now, so not in spans of exact attractor
        counts."""
        if self.exact or budget < 3 or len(self.toks) == self.conjunct_end:
            return 0  # no PP right after a second conjunct: "a man with a hat and a woman with"
        if self.rand() >= p:
            return 0
        self._mark("time_pp")
        self._add(self._pick(TIME_PREPOSITIONS), "PREP")
        number = int(self.rand() < 0.3)
        determiner = self._pick(_EVENT_DETERMINERS[number])
        self._add(determiner, "DET_SG" if determiner in SINGULAR_DETERMINERS else "DET")
        self._slot(number)
        self._add(self._pick(EVENT_NOUNS)[number], NUMBER_TAGS["noun"][number])
        self.object_position = True
        return 3

    def _where_relative(self, budget: int, depth: int) -> int:
        """ "where", a clause's subject and its VP: "the town where the brothers sell fish
        is". Like an object relative's, its verb agrees with the NP after the pronoun, but
        no gap follows the verb: an object or a place may (`_relative_verb_phrase_rest`),
        and the verb after the relative agrees with the head again; returns the words used."""
        self._mark("where_relative")
        where = self._add(PLACE_RELATIVE_PRONOUN, "REL")
        open_noun = self.open_noun
        self.object_position = False
        subject, used = self._np(budget - 2, depth, fixed_ok=True)
        # Text never starts inside it: "where the brothers sell fish is" without its head
        # would be a fronted clause with no comma, "the brothers sell fish is" no sentence.
        self.protected.append((where - 1, self.slots[subject][0]))
        used += 1 + self._adverb(budget - used - 2)
        used += self._verb_group(self._slot_controller(subject), budget - used, "where_relative")
        # Its verb closes the clause's subject, as an object relative's verb does.
        self.open_noun = open_noun
        return used + self._relative_verb_phrase_rest(budget - used, depth)

    def _object_relative_words(self, budget: int, depth: int) -> int:
        used = 0
        if self.rand() < P["relative_pronoun"]:
            self._add(self._pick(OBJECT_RELATIVE_PRONOUNS), "REL")
            used = 1
        self.object_position = False
        # A pronoun subject, most often without "that" ("the film they directed is", "the
        # songs we sing are"), as text writes it; its number is fixed now.
        p_pronoun = P["object_relative_pronoun_subject"] * (1 if used else 3)
        if not self.exact and self.rand() < p_pronoun:
            self._mark("object_relative_pronoun_subject")
            number = int(self.rand() < 0.5)
            subject, np_words = self._slot(number), 1
            pronoun = self._pick((SINGULAR_PRONOUNS, PLURAL_PRONOUNS)[number])
            self._add(pronoun, PRONOUN_TAGS[number])
        else:
            subject, np_words = self._np(budget - used - 1, depth, fixed_ok=not self.exact)
        controller = self._slot_controller(subject)
        used += np_words
        used += self._adverb(budget - used - 1)
        rand = self.rand
        verb = self.verbs.draw(rand)
        # Object relatives are often in the past ("the rooms the cleaner tidied are"): a
        # verb that agrees with nothing, after which only the words before it tell whose
        # verb comes next.
        if budget - used >= 2 and rand() < 0.4:
            if rand() < 0.25:  # "had tidied", "didn't tidy", "will tidy"
                kind = self._pick(("have", "do", "modal"))
                word = {"have": ("had", "hadn't"), "do": ("didn't", "didn't")}.get(kind)
                self._add(self._pick(word) if word else self._pick(MODALS), "AUX")
            else:
                kind = self._pick(("be_present", "have", "do"))
                plain, negated = AGREEING_AUXILIARIES[kind]
                self._agreeing(
                    negated if rand() < P["negated"] else plain, controller, "object_relative"
                )
            if kind == "be_present":
                self._add(verb[4], "V_ING")
            elif kind == "have":
                self._add(verb[3], "V_PTCP")
            else:
                self._add(verb[1], "V_BASE")
            used += 2
        else:
            if rand() < P["object_relative_present"]:
                self._agreeing((verb[0], verb[1]), controller, "object_relative")
            else:
                self._add(verb[2], "V_PST")
            used += 1
        # The relative's gap can be the verb's direct object with its indirect one still
        # there: "the keys the landlord gave us don't", "the book that she lent him is".
        return used + self._indirect_object(budget - used)

    # ---- subjects and clauses -------------------------------------------------------------

    def _subject(self, label: int, exact: bool, room: int = 0) -> tuple[int, int, bool]:
        """The subject phrase of number `label`; returns (first token, controller, whether
        the span must open with "of" and a plural NP: "one [of the boys]").

        `room` is how many span words the subject may take after its controller (a
        coordination's second conjunct's PP); the caller deducts what it used."""
        rand = self.rand
        self.object_position = False
        if rand() < P["focus"]:
            self._add(self._pick(FOCUS_WORDS), "ADV")
        start = len(self.toks)
        if label == 0 and rand() < P["name_subject"]:
            slot, _ = self._name(3)
            return start, self._slot_controller(slot), False
        if rand() < P["pronoun_subject"]:
            slot = self._slot(label)
            pronouns = PLURAL_PRONOUNS if label else SINGULAR_PRONOUNS
            self._add(self._pick(pronouns), PRONOUN_TAGS[label])
            return start, self._slot_controller(slot), False
        # "Playing video games is", "Building the bridges took": a gerund phrase is singular
        # whatever its object's number, a noun a reader passes over as it passes over a
        # PP's. Not right after a subordinator's word (so not after "that" either), where
        # "after holding the crown" would read as a phrase before the clause's subject; no
        # text starts inside it ("video games is").
        after_subordinator = start > 0 and self.toks[start - 1] in _SUBORDINATOR_WORDS
        if label == 0 and not exact and not after_subordinator and rand() < P["gerund_subject"]:
            self._mark("gerund_subject")
            gerund = self._add(self.verbs.draw(rand)[4], "V_ING")
            if rand() < P["gerund_object"]:
                self.object_position = True
                self._np(3, self.max_depth, fixed_ok=True)
                self.object_position = False
            self.protected.append((start, len(self.toks) - 1))
            return start, self._fixed_controller(0, gerund), False
        if not exact and rand() < P["partitive_subject"]:
            self._mark("quantity_head")
            if label == 0 and rand() < 0.3:
                self._add("the", "DET")
                if rand() < P["total_number"]:
                    self._add("total", "ADJ")
                return start, self._fixed_controller(0, self._add("number", "N_SG")), True
            tag = ("Q_SG", "Q_PL")[label]
            if rand() < P["selector"]:
                self._add_words(self._pick((SINGULAR_SELECTORS, PLURAL_SELECTORS)[label]), tag)
                return start, self._fixed_controller(label, len(self.toks) - 1), True
            heads = PLURAL_PARTITIVES if label else SINGULAR_PARTITIVES
            head = self._add(self._pick(heads), tag)
            return start, self._fixed_controller(label, head), True
        if rand() < P["or_subject"]:
            # "The bus or the train goes", "either the boys or the girl is": the verb agrees
            # with the nearer conjunct, as usage guides prescribe; the first one's number
            # is free. "or" also joins verbs ("sings or dances"), and without these a run
            # read "The bus or the train" as plural, like "and".
            self._mark("or_subject")
            protected_start = len(self.toks)
            if rand() < 0.3:
                self._add("either", "CONJ")
            self._np(3, self.max_depth, fixed_ok=True)
            self._add("or", "CONJ")
            second = self._np_of_number(label, 3, fixed_ok=True)
            self.protected.append((protected_start, self.slots[second][0]))
            self.slots[second][2] = label
            return start, self._slot_controller(second), False
        if label == 0 and rand() < P["distributive_coordination"]:
            return start, self._distributive_coordination(), False
        if label == 1 and rand() < P["coordinated_subject"]:
            self._mark("coordinated_subject")
            if rand() < P["shared_determiner"]:
                return start, self._shared_determiner_coordination(), False
            protected_start = len(self.toks)
            first, _ = self._np(3, self.max_depth, fixed_ok=True)
            # "a man with a hat and a woman with an umbrella": conjuncts of the same shape
            # join as subjects; with no PP after the second NP, "and" joins the PP's nouns
            # ("the owner of the cat and the dog" is one owner; `_second_conjunct`).
            parallel = room >= 4 and rand() < P["parallel_conjuncts"]
            if parallel:
                self._mark("parallel_conjuncts")
                self._conjunct_pp(5)  # before the controller: no span words to count
            elif rand() < 0.25:  # "the girl who lives next door and her friend"
                self._subject_relative(self._slot_controller(first), 4, self.max_depth)
            self._add("and", "CONJ")
            second, _ = self._np(3, self.max_depth, fixed_ok=True)
            # "every man and the woman" would be read one at a time, as singular
            # (`_distributive_coordination`): plural conjuncts take no "each" or "every".
            self.undistributed_slots.update((first, second))
            last = self._conjunct_pp(room) if parallel else second
            coordination = self._fixed_controller(1, self.slots[second][0])
            self.protected.append((protected_start, self.slots[second][0]))
            # A relative after "A and B" attaches to B (or to B's PP noun), as it would to
            # any nearest noun.
            self.attach_to[coordination] = self._slot_controller(last)
            return start, coordination, False
        if rand() < P["quantifier_subject"]:
            self._mark("quantity_head")
            if label == 1 and rand() < 0.5:
                words, tag = self._pick(_SUBJECT_QUANTIFIERS), "DET_PL"
            else:
                words, tag = self._pick(FOLLOWING_PARTITIVES), "Q"
            self._add_words(words, tag)
            if words == COUNTED_QUANTIFIER:  # "a total of 25 people"
                self._add(self._pick(NUMERALS), "DET_PL")
            slot, _ = self._np(2, self.max_depth, fixed_ok=False, bare_ok=tag == "DET_PL")
            if tag == "DET_PL" and self.slots[slot][3] >= 0:
                # "a lot of men", never "a lot of the men" here
                del self.toks[self.slots[slot][3]], self.tags[self.slots[slot][3]]
                self.slots[slot][0] -= 1
                self.slots[slot][3] = -1
            elif tag == "Q" and self.slots[slot][3] < 0:  # "some of the men"
                self.toks.insert(self.slots[slot][0], "the")
                self.tags.insert(self.slots[slot][0], "DET")
                self.slots[slot][0] += 1
        else:
            # Up to 5 words before the head: "the tall and quiet stranger", "my cousins' car".
            slot = self._np_of_number(label, 5, fixed_ok=not exact, bare_ok=label == 1)
        self.slots[slot][2] = label
        return start, self._slot_controller(slot), False

    def _distributive_coordination(self) -> int:
        """ "every man and woman", "each boy and each girl": singular nouns joined by "and"
        after "each" or "every", which speaks of them one at a time, so the verb is
        singular, as usage guides prescribe ("every man and woman is"); returns the
        controller, the second noun. Without them a run takes any "and" between nouns for
        a plural, "every man and woman" too."""
        self._mark("distributive_coordination")
        return self._two_singular_nouns(DISTRIBUTIVE_DETERMINERS, 0, P["repeated_distributive"])

    def _shared_determiner_coordination(self) -> int:
        """ "the house and garden", "my mother and father", "a man and woman": singular nouns
        joined by "and" under one determiner, two things, so the verb is plural; returns the
        controller, the second noun. Without them a noun with no determiner after "and"
        came only in "every man and woman" (singular, `_distributive_coordination`)."""
        self._mark("shared_determiner")
        return self._two_singular_nouns(_SHARED_DETERMINERS, 1)

    def _two_singular_nouns(self, determiners, number: int, repeat_share: float = 0.0) -> int:
        """A determiner from `determiners`, a singular noun, "and", the determiner again in
        `repeat_share` of them, and a second singular noun; returns the controller, the
        second noun, of `number`. A relative after them takes the second noun ("… woman
        who lives")."""
        rand = self.rand
        start = len(self.toks)
        determiner = self._pick(determiners)
        first = self.nouns.draw(rand)
        tag = "DET_SG" if determiner in SINGULAR_DETERMINERS else "DET"
        self._add("an" if determiner == "a" and first[0][:1] in _VOWELS else determiner, tag)
        self._slot(0, first)
        self._add("", "")
        self._add("and", "CONJ")
        if repeat_share and rand() < repeat_share:
            self._add(determiner, tag)
        second = self._slot(0, self.nouns.draw(rand))
        self._add("", "")
        self.protected.append((start, self.slots[second][0]))
        coordination = self._fixed_controller(number, self.slots[second][0])
        self.attach_to[coordination] = self._slot_controller(second)
        return coordination

    def _conjunct_pp(self, budget: int) -> int:
        """A conjunct's PP of at most `budget` words (4 or more): "with a hat", "next to the
        church", and where 3 words are left after the preposition an NP as long as the
        conjunct's own ("an old man with a black dog and a young woman with a cat");
        returns its noun's slot."""
        prep = self._pick(_PREPOSITIONS)
        if len(prep) > 2:
            prep = ("with",)
        for word in prep:
            self._add(word, "PREP")
        self.object_position = True
        slot, _ = self._np(min(3, budget - len(prep)), self.max_depth, fixed_ok=True)
        self.object_position = False
        return slot

    def _of_plural(self, depth: int) -> int:
        """ "of the boys" after a quantity head ("of images" after "the number"): a plural
        NP; returns the words used."""
        bare_ok = self.toks[-1] == "number"
        self._add("of", "PREP")
        self.object_position = True
        slot, used = self._np(2, depth, fixed_ok=False, bare_ok=bare_ok)
        self.slots[slot][2] = 1
        return 1 + used

    def _span(self, subject: int, length: int, attractors, first_of: bool) -> list[str]:
        """Exactly `length` words after the subject's head, with room left for
        `attractors` free span nouns; returns the kinds of segment written."""
        rand, left, kinds = self.rand, length, []
        first_span_slot = len(self.slots)
        if first_of:
            left -= self._of_plural(self.max_depth)
            kinds.append("pp")
        elif not self.exact and left >= 4 and self.rand() < P["noun_complement"]:
            if self._content_noun_head(subject):
                left -= self._noun_complement(left)
                kinds.append("complement")
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
            # A span ends in adverbs ("… probably are") or in a phrase whose last noun comes
            # right before the verb, often a relative's object ("… who insulted the women
            # has"): there a verb agrees with the subject, after a complement's "said the
            # women" with the noun before it.
            if not self.exact and 3 <= left <= 6 and rand() < P["relative_before_verb"]:
                self._relative_with_object(self._nearest_noun(subject, first_span_slot), left)
                kinds.append("relative")
                break
            # After a common noun (its tag still "": a name's slot is tagged at once), and
            # not on a PP's second conjunct, which takes no PP nor a link that reads as one.
            if (
                3 <= left <= 4
                and not self.exact
                and self._ends_in_common_noun()
                and self.tags[-1] == ""
                and len(self.toks) != self.conjunct_end
                and rand() < P["noun_link_last"]
            ):
                self._linked_nouns_last(left)  # "cities such as Paris are"
                kinds.append("pp")
                break
            if left <= 2 and self._ends_in_noun() and rand() < P["noun_place_last"]:
                left -= self._noun_place(left)  # "the woman from the offices upstairs is"
                kinds.append("pp")  # a place stands for a PP: "upstairs", "on the floor above"
                continue
            if left == 1 or (left <= 3 and (self.exact or rand() < 0.3)):
                left -= self._adverbs(left) if left == 3 else self._adverbs(1)
                kinds.append("adverb")
                continue
            before = len(self.toks)
            self.object_position = True
            self._segment(self._nearest_noun(subject, first_span_slot), left, 1)
            left -= len(self.toks) - before
            kinds.append("relative" if "REL" in self.tags[before:] else "pp")
        return kinds

    def _content_noun_head(self, subject: int) -> bool:
        """Makes the subject's head, if it is a common noun just written, a noun that takes
        a clause of its content ("the fact", "the claims"; "the news" only where singular);
        returns whether it did."""
        kind, slot = self.controllers[subject]
        # A common noun's word and tag are written once its number is known; a name's now.
        last = len(self.toks) - 1
        if kind != "slot" or self.slots[slot][0] != last or self.tags[last] != "":
            return False
        number = self.slots[slot][2]
        singular, plural = self._pick(CONTENT_NOUNS)
        if plural is None:  # "news", "evidence": singular, after "the"
            det = self.slots[slot][3]
            if number != 0 or det < 0:
                return False
            self.toks[det], self.tags[det] = "the", "DET"
            self.slots[slot][3] = -1
            plural = singular
        self.slots[slot][1] = (singular, (plural,))
        return True

    def _noun_complement(self, budget: int) -> int:
        """ "that" and a whole clause after a noun of content ("the fact that the workers are
        tired is", "the claims that the mayor took bribes are"): its verb agrees with its own
        subject, and unlike a relative's it keeps its object, after which the next verb is the
        head's again. The clause takes at most `budget` words (4 or more), with an object if 2
        are left; a later segment attaches to that object ("the claim that the council closed
        the bridge near the school is"); returns the words used."""
        self._mark("noun_complement")
        self._add("that", "COMP")
        self.object_position = False
        subject, used = self._np(min(budget - 2, 4), self.max_depth, fixed_ok=True)
        used += 1 + self._adverb(budget - used - 2)
        used += self._verb_group(self._slot_controller(subject), budget - used, "complement")
        if budget - used >= 2:
            self.object_position = True
            bare_ok = not self._ends_in_common_noun()
            used += self._np(min(budget - used, 4), self.max_depth, True, bare_ok)[1]
        return used

    def _nearest_noun(self, subject: int, first_span_slot: int) -> int:
        """What a relative clause here attaches to: the nearest noun before it that is still
        open (English prefers the low attachment, "the keys near the cabinet that is"; a
        closed object relative's or parenthesis's nouns are out of reach), the subject when
        no such noun comes between."""
        if self.open_noun >= first_span_slot:
            return self._slot_controller(self.open_noun)
        return self.attach_to.get(subject, subject)

    def _clause(self, role: str, depth: int) -> None:
        """A clause of its own, outside the controlled one: a subject of either number, a
        short span, a verb group agreeing with it (role `role`) and maybe an object."""
        rand = self.rand
        label = int(rand() < 0.5)
        length = self._pick((0, 0, 0, 1, 2, 3, 4, 6))
        _, subject, first_of = self._subject(label, exact=False, room=length)
        if first_of:
            length = max(length, 3)
        length -= len(self.toks) - self._controller_position(subject) - 1
        exact, self.exact = self.exact, False
        self._span(subject, length, None, first_of)
        self.exact = exact
        self._adverb(1)
        if depth < MAX_CLAUSE_DEPTH and rand() < P["complement_verb"] / 2:
            self._agreeing_complement(subject, role, depth)
            return
        # "the children either play outside or watch television": "either" before a verb
        # announces a second verb of the same subject, as before a subject it announces a
        # second subject ("either the boys or the girl is").
        either = rand() < P["either_verbs"]
        if either:
            self._add("either", "CONJ")
        self._verb_group(subject, 2, role)
        if rand() < P["object"] * 0.6:
            self._object()
        if either or rand() < P["vp_coordination"]:  # "the workers dug a hole and were …"
            self._mark("vp_coordination")
            self._add("or" if either else self._pick(_VP_COORDINATORS), "CONJ")
            self._adverb(1)
            self._verb_group(subject, 2, "coordinated_verb")

    def _agreeing_complement(self, subject: int, role: str, depth: int) -> None:
        """A reporting verb agreeing with `subject`, then its complement clause."""
        rand = self.rand
        verb = self._pick(self.reporting)
        if rand() < 0.6:
            self._agreeing((verb[0], verb[1]), subject, role)
        else:
            self._add(verb[2], "V_PST")
        self._complement(depth + 1)

    def _complement(self, depth: int) -> None:
        """["that"] clause: a sentential complement."""
        self._mark("complement")
        if self.rand() < P["that"]:
            self._add("that", "COMP")
        self._clause("complement", depth)

    def _report(self, role: str) -> None:
        """A reporting clause before the controlled one: "the mechanics said (that)",
        'Paula says, "', "the roads are closed, which means (that)"."""
        rand = self.rand
        if rand() < P["which_report"]:
            self._clause(role, MAX_CLAUSE_DEPTH)
            self._which_clause()
            return
        label = int(rand() < 0.5)
        _, subject, first_of = self._subject(label, exact=False)
        exact, self.exact = self.exact, False
        self._span(subject, max(self._pick((0, 0, 0, 1, 2, 3)), 3 * first_of), None, first_of)
        self.exact = exact
        self._adverb(1)
        verb = self._pick(self.reporting)
        x = rand()
        if x < 0.45:
            self._agreeing((verb[0], verb[1]), subject, role)
        elif x < 0.85:
            self._add(verb[2], "V_PST")
        else:  # a participle clause: "the mayor spoke, saying that …"
            self._add(self.verbs.draw(rand)[2], "V_PST")
            self._add(",", "PUNCT")
            self._add(verb[4], "V_ING")
        self._mark("complement")
        if not self.quoted and rand() < P["quote"]:
            self._mark("quote")
            self._add(",", "PUNCT")
            self._add('"', "QUOTE")
            self.quoted = True
        elif rand() < P["that"]:
            self._add("that", "COMP")

    def _which_clause(self) -> None:
        """ ", which means (that)": a relative whose antecedent is the whole clause before it,
        so its verb is singular; a clause follows as its complement. After a noun, ", which"
        takes that noun as its antecedent ("she feeds the dogs, which bark"), so a clause
        that ends in a noun is closed by a place or time adverb first ("… again, which
        shows"): the verb after ", which" is then decided by the words before it."""
        self._mark("sentential_relative")
        if self._ends_in_noun():
            for word, tag in self._pick(_PLACE_ADVERBS):
                self._add(word, tag)
        self._add(",", "PUNCT")
        which = self._add("which", "REL")
        verb = self._pick(self.clause_subject_verbs)
        if self.rand() < 0.7:
            self._agreeing((verb[0], verb[1]), self._fixed_controller(0, which), "subject_relative")
        else:
            self._add(verb[2], "V_PST")
        self._mark("complement")
        if self.rand() < P["that"]:
            self._add("that", "COMP")

    def _prefix(self) -> None:
        rand = self.rand
        x = rand()
        if x < 0.3:
            for word in self._pick(_ADVERBIALS):
                self._add(word, "ADV")
        elif x < 0.45:
            self._add("in", "PREP")
            self._add(self._pick(YEARS), "NUM")
        elif x < 0.65:
            for word in self._pick(_PREPOSITIONS):
                self._add(word, "PREP")
            self.object_position = True
            self._np(3, self.max_depth, fixed_ok=True)
        else:
            self._mark("fronted_clause")
            self._add(self._pick(SUBORDINATORS), "CONJ")
            self._clause("fronted_clause", MAX_CLAUSE_DEPTH)
            self._add(",", "PUNCT")  # "While the dogs sleep the cat is" would be ambiguous
            return
        if rand() < P["prefix_comma"]:
            self._add(",", "PUNCT")

    def _tail(self, depth: int) -> None:
        """A second clause after the first: ", and his real name is", "because …"."""
        rand = self.rand
        if rand() < P["which_tail"]:  # ", which means (that) the buses are late"
            self._which_clause()
            self._clause("complement", depth)
            return
        if rand() < 0.6:
            self._mark("coordinated_clause")
            if rand() < 0.7:
                self._add(",", "PUNCT")
            self._add(self._pick(CLAUSE_COORDINATORS), "CONJ")
            self._clause("coordinated_clause", depth)
        else:
            self._mark("subordinate_clause")
            self._add_words(self._pick(TRAILING_SUBORDINATORS), "CONJ")
            self._clause("subordinate_clause", depth)

    # ---- one sentence -------------------------------------------------------------------

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
        self.toks, self.tags, self.slots, self.patches, self.controllers = [], [], [], [], []
        self.phenomena = {}
        self.open_noun = -1
        self.attach_to = {}  # subject controller -> what a relative right after it takes
        self.conjunct_end = -1  # where a PP's or object's second conjunct ended
        self.protected = []  # (first word, head) of coordinated subjects: never cut into
        self.undistributed_slots = set()  # conjuncts of a plural "and": no "each", "every"
        self.exact = attractors is not None
        self.object_position = False
        self.quoted = False
        if rand() < P["prefix"]:
            self._prefix()
        reports = 0
        while reports < 2 and rand() < (P["report"] if reports == 0 else P["report_again"]):
            self._report("main" if reports == 0 else "complement")
            reports += 1
        role = "complement" if reports else "main"
        # The controlled clause: its span is exact, and may need a partitive's "of NP".
        partitive_ok = not self.exact and length >= 3
        room = 0 if self.exact else length
        subject_start, subject, first_of = self._subject(label, not partitive_ok, room)
        subject_index = self._controller_position(subject)
        first_span_slot = len(self.slots)
        written = len(self.toks) - subject_index - 1  # a second conjunct's PP, in the span
        kinds = self._span(subject, length - written, attractors, first_of)
        if kinds is None:
            return None
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
        n_attractors = sum(1 for s in span_slots if slots[s][2] == other)

        verb_index = len(self.toks)
        verb_kind = self.verb_kinds[int(rand() * len(self.verb_kinds))]
        verb = self._lexical_verb()
        takes_complement = reports < MAX_CLAUSE_DEPTH and rand() < P["complement_verb"]
        if takes_complement:
            verb = self._pick(self.reporting)
        if verb_kind == "lexical":
            forms = (verb[0], verb[1])
        else:
            plain, negated = AGREEING_AUXILIARIES[verb_kind]
            forms = negated if rand() < P["negated"] else plain
        self._add(forms[label], NUMBER_TAGS["verb"][label])
        if takes_complement:
            if verb_kind in ("be_present", "be_past"):
                self._add(self._pick(COMPLEMENT_ADJECTIVES), "ADJ")
            elif verb_kind == "have":
                self._add(verb[3], "V_PTCP")
            elif verb_kind == "do":
                self._add(verb[1], "V_BASE")
            self._complement(reports + 1)
        else:
            self._continuation(verb_kind, verb, subject)
            if self._ends_in_common_noun() and rand() < P["object_quantified_relative"]:
                # "She wrote six novels, two of which have won prizes": on the clause's
                # last noun, its object or a PP's, where real text puts most of them.
                object_noun = self._slot_controller(len(self.slots) - 1)
                if self._counts_members(object_noun):
                    self._add(",", "PUNCT")
                    self._quantified_relative(object_noun, 7, self.max_depth)
        if rand() < P["tail"]:
            self._tail(reports + 1)
        if self.quoted:
            self._add('"', "QUOTE")
        self._add(".", "PUNCT")

        for slot in slots:
            if slot[2] is None:
                slot[2] = int(rand() < 0.5)
        self._realise_slots(slots)
        agreements, roles = [], []
        for pos, forms_, controller, verb_role in self.patches:
            number = self._controller_number(controller)
            self.toks[pos], self.tags[pos] = forms_[number], NUMBER_TAGS["verb"][number]
            agreements.append((self._controller_position(controller), pos))
            roles.append(verb_role)
        agreements.append((subject_index, verb_index))
        roles.append(role)
        order = sorted(range(len(agreements)), key=lambda i: agreements[i][1])
        agreements = [agreements[i] for i in order]
        roles = [roles[i] for i in order]

        cut = 0
        if rand() < P["fragment"]:  # the text starts mid-sentence
            cuts = self._fragment_starts(agreements, subject_index)
            # Real fragments often start where a clause or phrase does: ", which means",
            # "that the keys", "and the dogs"; half start there, half anywhere allowed.
            starts = [p for p in cuts if self.toks[p - 1] == "," or self.tags[p] in _OPENERS]
            which = [p for p in starts if self.toks[p] == "which" and self.toks[p - 1] == ","]
            if which and rand() < 0.5:  # "which means the prices go": rare otherwise
                starts = which
            if cuts:
                cut = self._pick(starts if starts and rand() < 0.5 else cuts)
                self._mark("fragment")
                kept = [i for i, (_c, verb) in enumerate(agreements) if verb >= cut]
                agreements = [agreements[i] for i in kept]
                roles = [roles[i] for i in kept]
        lower_case = rand() < P["lower_case"]
        if lower_case:
            self._mark("lower_case")
        tokens, tags = self.toks[cut:], self.tags[cut:]
        text = detokenise(tokens, self.name_set, capitalise=not lower_case)
        if normalise(text) != tokens:  # the written sentence must read back as generated
            raise AssertionError(f"text {text!r} does not normalise to its tokens {tokens}")
        return {
            "tokens": tokens,
            "tags": tags,
            "text": text,
            "subject_start": max(subject_start - cut, 0),
            "subject_index": subject_index - cut,
            "verb_index": verb_index - cut,
            "label": label,
            "dependency_length": length,
            "n_attractors": n_attractors,
            "n_intervening_nouns": len(span_slots),
            "construction": "+".join(dict.fromkeys(kinds)) or "none",
            "depth": 1 if kinds else 0,
            "verb_kind": verb_kind,
            "correct_verb": forms[label],
            "wrong_verb": forms[1 - label],
            "agreements": [(c - cut, v - cut) for c, v in agreements],
            "verb_roles": roles,
            "phenomena": sorted(self.phenomena),
        }

    def _fragment_starts(self, agreements, last: int) -> list[int]:
        """Where the text may start mid-sentence: any word up to the controlled clause's
        subject head `last` that separates no verb kept from its controller and cuts into
        no coordinated subject ("the boy and | the girl are" would read as singular).
        Verbs before the start go with it."""
        spans = [*agreements, *self.protected]
        return [p for p in range(1, last + 1) if not any(a < p <= b for a, b in spans)]

    def _realise_slots(self, slots) -> None:
        """Writes each common noun's form and its determiner, now that numbers are known."""
        toks, tags = self.toks, self.tags
        for index, (pos, lemma, number, det, draw) in enumerate(slots):
            if lemma is None:
                continue  # a name or pronoun, written already
            singular, plurals = lemma
            toks[pos] = plurals[0 if draw < 0.8 or len(plurals) == 1 else 1] if number else singular
            tags[pos] = NUMBER_TAGS["noun"][number]
            if det < 0:
                continue
            if draw < P["marked_det"]:
                options = PLURAL_DETERMINERS if number else SINGULAR_DETERMINERS
                if index in self.undistributed_slots and not number:
                    options = _UNDISTRIBUTED_DETERMINERS
                word = options[int(draw / P["marked_det"] * len(options))]
                toks[det], tags[det] = word, NUMBER_TAGS["det"][number]
            else:
                share = (draw - P["marked_det"]) / (1 - P["marked_det"])
                toks[det] = NEUTRAL_DETERMINERS[int(share * len(NEUTRAL_DETERMINERS))]
                tags[det] = "DET"
            if toks[det] == "a" and toks[det + 1][:1] in _VOWELS:
                toks[det] = "an"

    def _object(self, with_noun: bool = True) -> None:
        """A verb's object, maybe after an infinitive ("to pay the bills"), maybe
        coordinated, maybe followed by a PP or a time ("bread every morning", "old radios in
        his garage"); or, without the noun, the PP or time alone ("checks on every
        patient")."""
        self.object_position = True
        self._infinitive(2)
        if with_noun:
            two_objects = self._indirect_object(3)
            # Never a bare plural right after a noun ("shows the visitor repairs"): a reader
            # takes a word that is also a verb's -s form there as the noun's verb.
            self._np(4, self.max_depth, fixed_ok=True, bare_ok=not self._ends_in_common_noun())
            if two_objects and self.rand() < P["double_object_end"]:
                return
            if not self._object_noun_pp():
                self._second_conjunct(3, self.max_depth)
        if self.rand() < P["vp_extension"]:
            self._mark("vp_extension")
            if with_noun and self.rand() < P["object_adverb"]:
                self._add(self._pick(OBJECT_ADVERBS), "ADV")
            if self.rand() < 0.5:
                if not self._time_pp(4, P["time_pp"]):  # "sold the house after the war and"
                    self._prepositional_phrase(4, self.max_depth)
                    self._object_noun_pp()
            else:
                for word, tag in self._pick(_VP_ADVERBIALS):
                    self._add(word, tag)

    def _object_noun_pp(self) -> bool:
        """Sometimes a PP on the noun just written after a verb ("the roof of the shed",
        "the plates on the table"), so that a second verb is asked across a noun inside a
        noun ("climbs onto the roof of the shed and watches"); returns whether one came."""
        if not self._ends_in_common_noun() or self.rand() >= P["object_noun_pp"]:
            return False
        self._mark("object_noun_pp")
        self._prepositional_phrase(3, self.max_depth)
        return True

    def _continuation(self, verb_kind: str, verb, subject: int) -> None:
        """What follows the controlled clause's verb: a predicate or object, and maybe a
        second verb of the same subject ("laughs and swims")."""
        rand = self.rand
        self.object_position = True
        takes_object = True
        if verb_kind == "have" and rand() < P["been"]:  # "has been working", "has been tired"
            self._mark("perfect_be")
            self._add(BEEN, "V_PTCP")
            verb_kind = "be_past"
        if verb_kind in ("be_present", "be_past"):
            if rand() < 0.5:  # a predicate adjective: no object after it, maybe a PP or time
                takes_object = False
                if rand() < P["degree"]:  # "is very tired"
                    self._add_words(self._pick(DEGREE_ADVERBS), "ADV")
                if rand() < P["coordinated_adjectives"]:
                    self._mark("coordinated_adjectives")
                    self._add(self.adjectives.draw(rand), "ADJ")
                    self._add("and", "CONJ")
                self._add(self.adjectives.draw(rand), "ADJ")
            else:
                self._add(verb[4], "V_ING")
        elif verb_kind == "have":
            self._add(verb[3], "V_PTCP")
        elif verb_kind == "do":
            self._add(verb[1], "V_BASE")
        if takes_object and rand() < P["particle"]:  # "sat down", "carried out the tests"
            self._mark("particle")
            self._add(self._pick(PARTICLES), "ADV")
        short = rand() < 0.4
        if not short:
            self._object(with_noun=takes_object and rand() < P["object"])
        # After an object (and maybe a time or place), a second verb needs the subject's
        # number across the most nouns ("bakes bread every morning and sells"): asked
        # more often there.
        if rand() < P["vp_coordination"] + 0.2 * self._ends_in_noun():
            self._mark("vp_coordination")
            if rand() < 0.2:
                self._add(",", "PUNCT")
            self._add(self._pick(_VP_COORDINATORS), "CONJ")
            self._adverb(1)
            self._verb_group(subject, 2, "coordinated_verb")
            if rand() < P["object"] * 0.5:
                self._object()
