"""The `english` configuration's lexicon: common English at a realistic scale.

Open-class words come from the same two shipped resources as the controlled lexicon
(`lexicon.py`): `wordfreq` ranks candidates by frequency and gives each a sampling
weight, `lemminflect` gives their parts of speech and inflections (irregular plurals
such as radius/radii and strong verbs included). Unlike the controlled lexicon, words may
belong to several categories ("reports" is a plural noun and a singular verb), as in
real text: the generator's tags, not the word, say which one a token is.

Closed classes (determiners with the number they mark, pronouns, auxiliaries, modals,
prepositions, relative pronouns) are listed here by hand: they are few, and their number
is grammar, not frequency.
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass

# Determiners by the number they require of their noun. "most", "some", "all" and "no"
# take mass nouns too, but with count nouns (all this lexicon has) most/some/all are plural.
# "a" as often as all the others together, as in English text (and so "a father of guys
# is" is read as often as "a lot of guys are").
SINGULAR_DETERMINERS = ("a",) * 6 + ("this", "that", "every", "each", "another", "one", "either")
PLURAL_DETERMINERS = (
    "these",
    "those",
    "many",
    "most",
    "several",
    "all",
    "both",
    "few",
    "two",
    "three",
    "four",
    "five",
)
NEUTRAL_DETERMINERS = (
    "the",
    "the",
    "the",
    "my",
    "your",
    "his",
    "her",
    "its",
    "our",
    "their",
    "no",
    "any",
    "some",  # "some children", and "some radius" (a certain one)
)
# Quantifiers of several words before a plural subject ("a lot of men are"): the noun after
# them, not "lot", is the head. Only the subject takes them (outside the span, so their
# length never changes a dependency length).
PLURAL_QUANTIFIERS = ("a lot of", "lots of", "plenty of", "a number of", "a couple of",
                      "a handful of")  # fmt: skip
# A quantifier before a numeral and its plural noun: "a total of 25 people were" (the
# subject's only; "total" stays an open-class word: "the total cost").
COUNTED_QUANTIFIER = "a total of"
# Subject pronouns by the verb form they take: "you" takes the plural form (you are, you
# have), like "they" and "we". "I" is left out: it takes "am" and, in the past, "was".
SINGULAR_PRONOUNS = ("he", "she", "it", "someone", "everyone", "nobody", "everybody")
PLURAL_PRONOUNS = ("they", "we", "you")
# Object pronouns (after a preposition or verb): their number can attract, like a noun's.
OBJECT_PRONOUNS = (("him", "her", "it", "me"), ("them", "us"))
PREPOSITIONS = (
    "of",
    "of",
    "of",
    # "the key to the door": without it "to" would only ever start an infinitive ("want to
    # see") or end "next to", and a run read "the key to the cabinets" as plural.
    "to",
    "near",
    "behind",
    "with",
    "from",
    "beside",
    "under",
    "above",
    "for",
    "about",
    "in",
    "on",
    "at",
    "by",
    "without",
    "like",
    "next to",
    "in front of",
    "between",
    "through",
    "over",
    "around",
    "along",
    "across",
    "into",
    "toward",
    "towards",
    "among",
    "against",
    "during",
    "inside",
    "outside",
    "beyond",
    "below",
    "within",
    "throughout",
    "upon",
    "onto",
    "except",
    "close to",
    "out of",
    "on top of",
    "because of",
    "instead of",
)
# Words that list nouns with the subject's, or set them beside it, without joining them
# into one plural subject: "the president, along with his aides, is", "cities, such as
# Paris, are". After each the verb takes the first noun's number, as usage guides prescribe
# and edited text writes; speech sometimes has the plural after "as well as" and "along
# with", which this grammar does not.
NOUN_LINKS = (
    "such as", "including", "along with", "together with", "as well as", "like", "unlike",
    "rather than", "except", "besides", "not",
)  # fmt: skip
RELATIVE_PRONOUNS = ("who", "that", "which")
# An object relative's pronoun: "whom" too, as formal text writes it ("the cousins whom my
# sister invited"); "that" twice as often as each other.
OBJECT_RELATIVE_PRONOUNS = ("that", "that", "which", "who", "whom")
# Opens a relative with its own subject, the head's possession: "the man whose dogs bark".
POSSESSIVE_RELATIVE_PRONOUN = "whose"
# Opens a relative with its own subject and no gap for the head: "the town where they live".
PLACE_RELATIVE_PRONOUN = "where"
MODALS = ("can", "could", "will", "would", "should", "might", "must", "may")
# Agreeing forms (singular, plural) of the auxiliaries, plain and negated.
AGREEING_AUXILIARIES = {
    "be_present": (("is", "are"), ("isn't", "aren't")),
    "be_past": (("was", "were"), ("wasn't", "weren't")),
    "have": (("has", "have"), ("hasn't", "haven't")),
    "do": (("does", "do"), ("doesn't", "don't")),
}
# Number-neutral auxiliaries: past "had"/"did", and modals (each followed by a fitting form).
NEUTRAL_AUXILIARIES = ("had", "hadn't", "didn't", "did", *MODALS, "can't", "won't", "couldn't")
ADVERBS = (
    "also",
    "still",
    "never",
    "often",
    "always",
    "already",
    "probably",
    "really",
    "just",
    "even",
    "usually",
    "sometimes",
    "actually",
    "certainly",
    "clearly",
    "recently",
    "finally",
    "apparently",
    "suddenly",
    "rarely",
    "quickly",
    "slowly",
    "quietly",
    "definitely",
    "seriously",
    "gently",
    "carefully",
    "politely",
    "firmly",
    "happily",
    "patiently",
    "loudly",
    "calmly",
    "proudly",
    "eagerly",
    "kindly",
    "lazily",
    "openly",
    "warmly",
    "badly",
    "easily",
    "regularly",
    "now",
    "then",
    "again",
    "soon",
    "here",
    "together",
    "almost",
    "likely",
    "notably",
)
SENTENCE_ADVERBIALS = (
    "yesterday",
    "today",
    "tomorrow",
    "meanwhile",
    "however",
    "unfortunately",
    "in the morning",
    "last week",
    "of course",
    "at first",
)
# Count nouns inside the fixed phrases above ("in the morning", "last week", "of course").
# The phrases' other words are function words, never sampled as nouns; these head subjects
# like any noun ("the morning was cold", "the course is full"), and a reader that never saw
# one as a subject takes its number from the words around it ("the warm and sunny
# morning" read as plural).
PHRASE_NOUNS = frozenset(("morning", "week", "course"))
SUBORDINATORS = ("while", "because", "although", "when", "if", "since", "after", "before", "unless")
# Prepositions of time before an event ("until his death", "after the wars", "since the
# election"). "before", "after", "since" and "until" also open clauses ("before the guests
# arrive"): a model that sees only that use reads "the towns that the army occupied after
# the war [are]" as the war's verb, singular.
TIME_PREPOSITIONS = ("before", "after", "since", "until", "during")
# Nouns of events and spans of time, as those prepositions take them in text: (singular,
# plural). Written out rather than drawn from the lexicon, so that the noun after "after the"
# tells an event (a PP: the verb is someone else's) from a person (a clause's subject).
EVENT_NOUNS = (("war", "wars"), ("storm", "storms"), ("election", "elections"),
               ("meeting", "meetings"), ("game", "games"), ("season", "seasons"),
               ("concert", "concerts"), ("match", "matches"), ("wedding", "weddings"),
               ("trial", "trials"), ("flood", "floods"), ("harvest", "harvests"),
               ("festival", "festivals"), ("holiday", "holidays"), ("exam", "exams"),
               ("battle", "battles"), ("crisis", "crises"), ("revolution", "revolutions"),
               ("strike", "strikes"), ("tour", "tours"), ("race", "races"), ("death", "deaths"),
               ("funeral", "funerals"), ("ceremony", "ceremonies"), ("lesson", "lessons"),
               ("visit", "visits"), ("fire", "fires"), ("show", "shows"))  # fmt: skip
# Nouns that take a clause of their content after "that" ("the fact that the workers are
# tired is", "the claims that the mayor took bribes are"): (singular, plural). The clause is
# whole, with no gap as in a relative, and the verb after it is the noun's again. Written
# out, as few are frequent enough to be drawn from the lexicon often.
CONTENT_NOUNS = (("fact", "facts"), ("idea", "ideas"), ("belief", "beliefs"),
                 ("claim", "claims"), ("hope", "hopes"), ("fear", "fears"),
                 ("rumor", "rumors"), ("report", "reports"), ("possibility", "possibilities"),
                 ("suggestion", "suggestions"), ("argument", "arguments"),
                 ("complaint", "complaints"), ("view", "views"), ("theory", "theories"),
                 ("assumption", "assumptions"), ("sign", "signs"), ("risk", "risks"),
                 ("doubt", "doubts"), ("feeling", "feelings"), ("impression", "impressions"),
                 ("warning", "warnings"), ("promise", "promises"), ("proof", "proofs"),
                 ("notion", "notions"), ("news", None), ("evidence", None))  # fmt: skip
# Verbs that take a sentential complement ("the mechanics said (that) the author laughs"):
# the verb after them agrees with the complement's own subject. Their forms come from
# lemminflect (`reporting_verbs`), as the open lexicon's do.
REPORTING_VERBS = (
    "say", "think", "know", "believe", "claim", "report", "hope", "feel", "suggest",
    "argue", "show", "mean", "note", "insist", "fear", "assume", "admit", "explain",
    "realize", "agree", "expect", "suspect", "hear", "notice", "remember", "guess",
    "imagine", "suppose", "announce", "confirm", "deny", "mention", "predict", "promise",
    "warn", "learn", "understand", "find", "doubt", "discover", "reveal", "recall", "write",
)  # fmt: skip
# Adjectives that take a complement after "be": "the guards are sure (that) the keys are".
COMPLEMENT_ADJECTIVES = ("sure", "certain", "aware", "afraid", "glad", "convinced", "confident")
# Words that join a second clause: ", and his real name is", "because the keys are".
CLAUSE_COORDINATORS = ("and", "but", "so", "while", "and", "yet")
TRAILING_SUBORDINATORS = ("because", "when", "if", "since", "although", "while", "so that")
# Quantity heads before "of" + a plural NP. The head decides the number for one/each/either
# (singular) and both/many/several/few/two (plural); "the (total) number of images" is
# singular like any singular noun, "a number of images" plural (PLURAL_QUANTIFIERS). After
# some/all/most/half/the rest of and fractions ("a third of", "two thirds of"), the noun of
# the of-phrase decides ("some of the cake is", "some of the boys are"), as English
# grammars describe it. So it does after "none of" and "the majority of", whose number
# usage varies: with a plural noun, the plural is the commoner in written English ("none of
# the songs were", "the majority of the residents are"), and the singular the prescribed.
SINGULAR_PARTITIVES = ("one", "each", "either", "neither")
PLURAL_PARTITIVES = ("both", "many", "several", "few", "two", "three")
FOLLOWING_PARTITIVES = (
    "some of", "all of", "most of", "half of", "the rest of", "none of", "the majority of",
    "the remainder of", "a third of", "two thirds of", "a quarter of", "three quarters of",
)  # fmt: skip
# The same quantities before "of whom"/"of which" open a relative between commas on a noun:
# "the settlers, many of whom were farmers,", "three hotels, one of which is". Its verb
# takes the quantity's number as above, and after some/all/most/half/none the number of the
# noun the relative is on ("the land, most of which is", "the letters, most of which are").
RELATIVE_PARTITIVES = ("some", "all", "most", "half", "none")
QUANTIFIED_RELATIVE_PRONOUNS = ("whom", "which")
# Words before a numeral that say how near the count is ("over 300 species are", "more than
# 2,000 people were"): the numeral still marks the noun's number.
NUMERAL_APPROXIMATORS = ("over", "about", "more than", "nearly", "almost", "around",
                         "at least", "up to", "fewer than", "roughly", "some")  # fmt: skip
# An ordinal or a superlative before "of" picks one member of the plural NP, so the subject
# is singular ("the first of the bridges is", "the oldest of the churches is"); with a
# count after it, it picks several ("the first two of the bridges are").
SINGULAR_SELECTORS = ("the first", "the second", "the third", "the last", "the next",
                      "the oldest", "the largest", "the best", "the youngest", "the smallest")  # fmt: skip
PLURAL_SELECTORS = ("the first two", "the first three", "the last two", "the last few",
                    "the next three", "the first few")  # fmt: skip
# Ordinals and superlatives also stand before a noun of either number, where they are
# adjectives ("the first settlers were", "its largest cities are", "the oldest surviving
# letters are"); seen only as selectors, "the oldest" read as a singular head and "the
# oldest surviving letters" as singular (docs/results/english-every-verb.md, grammar 2.26.0).
# Often a second adjective follows, a participle as often as not ("surviving", "known").
LEADING_ADJECTIVES = (
    "first", "second", "third", "last", "next", "only", "main", "same", "oldest", "largest",
    "best", "youngest", "smallest", "earliest", "latest", "biggest", "highest", "finest",
    "greatest", "longest", "newest",
)  # fmt: skip
# Compound adjectives written with hyphens ("a well-known author"): each part is a token
# and "-" one of its own, as `normalise` reads them.
HYPHENATED_ADJECTIVES = (
    "well-known", "long-term", "full-time", "part-time", "old-fashioned", "so-called",
    "high-quality", "world-famous", "self-made", "brand-new", "low-cost", "first-class",
    "middle-aged", "hard-working", "good-looking", "short-lived", "left-wing", "right-wing",
    "up-to-date", "large-scale", "open-air", "award-winning", "best-selling", "twenty-year",
)  # fmt: skip
# Units for numbers written as adjectives: "a 40-page report", "the 3-hour meetings"
# ("year-old" is two parts: "a 5-year-old boy").
UNITS = ("page", "mile", "hour", "minute", "day", "week", "year", "metre", "foot", "acre",
         "storey", "seat", "room", "dollar", "year-old", "point", "man", "person", "star",
         "euro", "pound", "litre", "kilometre", "inch", "bed", "track", "game", "part",
         "month", "second", "mile-long")  # fmt: skip
SPELLED_NUMBERS = ("one", "two", "three", "four", "five", "six", "ten", "twelve", "twenty",
                   "fifty", "hundred")  # fmt: skip
# Times and places that end a verb phrase ("bakes bread after school and sells …"): a
# PP, so that "and" after it never reads as joining two adverbs.
# Noun phrases that say when ("every morning"), tagged as the NPs they are.
NP_ADVERBIALS = ("every morning", "every day", "every week", "every year", "each autumn",
                 "each summer", "one day", "this year", "every evening", "each time",
                 "every afternoon", "every night", "each morning", "every weekend",
                 "every month", "each afternoon", "all morning", "all day", "all night",
                 "all week", "all year", "all afternoon", "all evening", "all summer",
                 "this morning", "this week", "last night", "last week", "last year",
                 "next week")  # fmt: skip
VP_ADVERBIALS = ("at night", "on sundays", "for hours", "at home", "in the evening",
                 "at the weekend", "after school", "before dinner", "at work", "in winter",
                 "on time", "by train", "in the garden", "after lunch", "in town",
                 "next door", "downstairs", "upstairs", "nearby", "abroad", "downtown",
                 "outside", "indoors", "twice", "once")  # fmt: skip
# Places after a noun ("the people upstairs are", "the house next door is"): no noun of
# their own, and not the end of a verb phrase that they also are ("barks upstairs and").
NOUN_PLACES = ("upstairs", "downstairs", "next door", "nearby", "outside", "inside", "abroad",
               "here", "there", "overseas", "downtown")  # fmt: skip
# Adverbs between an object and its time or place: "has read the chapters twice before the
# exam and feels", where the second verb is as far from its subject as one verb phrase goes.
OBJECT_ADVERBS = ("twice", "once", "again", "carefully", "together", "regularly", "quickly",
                  "early", "alone")  # fmt: skip
# Degree words before a predicate adjective ("is very tired", "were too late").
DEGREE_ADVERBS = ("very", "too", "quite", "so", "rather", "really", "far more", "much less")
# Before an adverb in -ly ("most probably", "very quickly"); "most", the commonest there in
# real text ("most likely", "most notably"), twice as often.
ADVERB_DEGREES = ("most", "most", "very", "quite", "more", "rather", "so", "too")
# Particles after a verb ("sat down", "came back", "carried out the tests").
PARTICLES = ("back", "away", "down", "off", "out", "up")
# The perfect of "be" ("has been working", "have been tired"): its participle.
BEEN = "been"
# Numerals before a plural noun ("the 12 eggs", "25 students"), as real text writes them:
# thousands with a separator ("2,000 people", one token for `normalise`).
NUMERALS = ("2", "3", "4", "5", "6", "7", "8", "10", "12", "15", "20", "24", "25", "30",
            "40", "50", "60", "100", "120", "200", "300", "500", "1,000", "2,000", "5,000",
            "10,000")  # fmt: skip
YEARS = tuple(str(year) for year in range(1800, 2030))  # every year real text names often
# Words before a subject that keep its number: "only the keys are", "even Paula is".
FOCUS_WORDS = ("only", "even", "also", "perhaps", "indeed", "then", "now")
# Common adjectives that are also nouns, verbs or adverbs ("the old and quiet man", "a kind
# teacher"), which the frequency lexicon leaves out as ambiguous: the most frequent adjectives
# of English are among them, and "the X and Y stranger" must read as one noun phrase.
COMMON_ADJECTIVES = (
    "old", "new", "small", "good", "bad", "young", "long", "short", "quiet", "kind", "patient",
    "friendly", "boring", "busy", "clean", "dry", "empty", "open", "free", "warm", "cold", "hot",
    "cool", "dark", "light", "fast", "slow", "loud", "poor", "safe", "sharp", "hard", "smooth",
    "thin", "thick", "wide", "deep", "fine", "brave", "calm", "proud", "wild", "tired", "famous",
    "ancient", "modern", "local", "gentle", "great", "high", "low", "full", "late", "early",
    "real", "whole", "certain", "clear", "close", "common", "simple", "private", "public",
    "single", "special", "true", "wrong", "right", "main", "major", "minor", "red", "blue",
    "green", "white", "black", "brown", "yellow", "grey", "gray", "pink", "golden", "silver",
    "wooden", "little", "large", "huge", "pretty", "ugly", "rough", "fresh", "sweet", "bitter",
    "sour", "rich", "cheap", "expensive", "easy", "difficult", "heavy", "wet", "sick", "ill",
    "dead", "alive", "blind", "deaf", "dull", "bright", "fair", "firm", "flat", "funny",
    "serious", "silly", "smart", "strange", "tough", "weird", "worried", "welcome",
    "native", "national", "international", "social", "political", "royal", "military",
    "official", "original", "final", "favourite", "favorite", "lonely", "lovely", "elderly",
    "chief", "key", "top", "half", "daily", "weekly", "monthly", "yearly", "only", "other",
    "general", "senior", "junior", "commercial", "principal", "musical", "primary", "complex",
    "superior",
)  # fmt: skip
# Irregular plurals that lemminflect lists only after a rarer one, or not at all.
PLURAL_OVERRIDES = {"person": ("people",)}
# Nouns missing from lemminflect's table (as its NOUN inflections would read): common count
# nouns of written English, encyclopedic text especially ("the county", "the website").
MISSING_NOUNS = {
    "ox": {"NN": ("ox",), "NNS": ("oxen",)},
    "congressman": {"NN": ("congressman",), "NNS": ("congressmen",)},
    **{
        singular: {"NN": (singular,), "NNS": (plural,)}
        for singular, plural in (
            ("county", "counties"), ("website", "websites"), ("gallery", "galleries"),
            ("lab", "labs"), ("survivor", "survivors"), ("processor", "processors"),
            ("soundtrack", "soundtracks"), ("thriller", "thrillers"),
            ("midfielder", "midfielders"), ("rapper", "rappers"),
            ("archbishop", "archbishops"), ("occurrence", "occurrences"),
            ("correlation", "correlations"), ("reflection", "reflections"),
            ("cafe", "cafes"), ("pub", "pubs"), ("tattoo", "tattoos"),
            ("podcast", "podcasts"), ("blog", "blogs"),
        )
    },
}  # fmt: skip
# Common count nouns that are as common as verbs ("the reports are", "she reports"). The
# frequency test in `_ranked_candidates` cannot tell a noun use from a verb use (wordfreq
# counts a form, not a part of speech), so it keeps none of them; without this list a
# model never sees "the results", "the changes" or "the hands" as subjects and reads
# them as singular verbs. Chosen by hand for their noun use in written English.
NOUNS_ALSO_VERBS = frozenset(
    """
    report change result study plan issue force record test view answer design interest
    rate size step review title attack figure offer note visit store link rule approach
    ship colour color plant award challenge comment interview feature fund seat target
    supply gift file pair document engineer skill detail sentence witness place end name
    hand head face order age form fire list experience date cost share return claim
    judge contact train search drink spot block crowd demand influence request guide shape
    promise purchase command limit update schedule measure display struggle draft bomb
    reserve frame protest package label root seed layer script reward ruin seal graduate
    suspect monitor strike launch grant appeal concern desire reform contest defeat quote
    tip wire tape tag repair delay sum flood mask craft slide suit copy host balance dress
    question project process increase cut sign mark base watch check post drop land trade
    vote drive stand count score kick jump lift pitch print picture
    """.split()
)
# Common count nouns that lemminflect also lists as adjectives ("the general", "the
# council", "the army") and whose plural is rarer than the singular by more than the
# frequency test allows (armies/army, generals/general): the test keeps none of them, and a
# word left out is read by its ending alone, so "the general left" read "general" as an
# adjective by its "-al". Chosen by hand for their noun use in written English, as
# subjects of encyclopedic text are.
NOUNS_ALSO_ADJECTIVES = frozenset(
    """
    general council army bay evening afternoon wedding hearing meaning beginning
    ending opening reading saying killing shooting landing commercial senior junior
    principal capital musical editorial memorial fleet marathon programme square
    summary complex formula primary superior chocolate
    """.split()
)
# Common count nouns whose word is far more often an adverb: wordfreq counts a form, not a
# part of speech, so the word's frequency is the adverb's ("well" ranks with "way" and
# "day"), and the frequency test keeps none of them. Each is kept as a noun weighed by its
# plural's frequency, about its noun use's ("the well is dry", "the villagers say the well
# has"); without it the noun "well" never came in the data, and a run read "the villagers
# say the well" as plural. (The adjective "well", "she is well", never stands before a
# noun, so COMMON_ADJECTIVES, drawn before nouns too, leaves it out.)
NOUNS_WEIGHED_BY_PLURAL = frozenset({"well"})
# Common verbs that the lexicon's filters below would drop: lemminflect also lists them as
# adverbs ("collect", "open", "close", "clear"), their base form is a preposition or
# another closed-class word ("like", "last"), or their past is rare beside their other uses
# (liked/like, mattered/matter). Their -s forms are verbs in real text ("she likes", "the
# shop opens", "it lasts"), so without this list "likes" and "opens" were unknown words.
# "like" and "close" stay prepositions too, as in English.
KEPT_VERBS = frozenset(
    """collect supply pray quote crash multiply bump express like open close clean clear
    free cool slow double last light matter sound direct""".split()
)
# Manner adverbs ("softly", "steadily"): an open class, sampled by frequency like the
# adjectives, beside the hand-listed ADVERBS.
MANNER_ADVERBS = 300
# Mass nouns: singular, often bare ("bakes bread and sells it", "water boils", "the advice
# was"). The sampled nouns are count nouns, which are bare only in the plural, so without
# these a model never sees a bare singular noun as a subject or an object and may read
# "bread and" as the start of a plural. Chosen by hand for their mass use in written
# English; none ends in "s" ("news" is in _BLOCKED_NOUNS), so each reads singular by form.
MASS_NOUNS = (
    "water", "bread", "rice", "milk", "coffee", "tea", "music", "money", "information",
    "advice", "furniture", "equipment", "homework", "traffic", "weather", "sand", "snow",
    "food", "meat", "cheese", "butter", "sugar", "salt", "wood", "oil", "electricity",
    "luggage", "research", "evidence", "knowledge", "software", "clothing", "soup", "grass",
    "mud", "dust", "smoke", "garbage", "progress", "fun", "wine", "juice", "paint", "soap",
    "gold", "steel", "cotton", "flour", "bacon", "ice",
)  # fmt: skip
# Of those, the ones with no plural in ordinary English: a morphology table still lists
# "advices", "informations" and "equipments", which are not count nouns' plurals, so these
# are not sampled as count nouns ("the advices are" is no sentence).
UNCOUNTABLE_NOUNS = frozenset(
    """
    information advice furniture equipment homework traffic weather luggage research
    evidence knowledge software clothing garbage progress fun electricity money rice flour
    bacon mud
    """.split()
)
# Singular nouns that end in "s" as plurals do: fields of study and "news" ("physics is",
# "the news was"), written as mass nouns: a word left out is read by its ending alone, and
# "-s" is a plural's. ("politics" and "statistics" are left out: their plural uses are as
# common.)
SINGULAR_NOUNS_IN_S = (
    "news", "physics", "mathematics", "economics", "linguistics", "genetics", "electronics",
    "gymnastics",
)  # fmt: skip
# Count nouns whose form does not show their number ("the series", "these species", "a
# sheep"), each with the share of singular verbs after a determiner that marks no number
# ("the", "its", or none). There English leaves the number to the writer, so these shares
# are this grammar's choice: they follow how encyclopedic text mostly uses each noun ("the
# series is", "the species is", "the sheep are"). A number-marked determiner decides ("this
# series is", "these species are"). "police" and "cattle" are plural whatever their
# determiner. A bare noun is plural ("sheep graze", "police say"), so only the nouns whose
# share is at most one half go bare.
NUMBERLESS_NOUNS = (
    ("series", 0.9), ("species", 0.7), ("aircraft", 0.7), ("spacecraft", 0.8),
    ("corps", 0.8), ("sheep", 0.3), ("deer", 0.3), ("salmon", 0.4), ("offspring", 0.3),
    ("police", 0.0), ("cattle", 0.0),
)  # fmt: skip
# Adjectives that stand for the people they describe after "the", plural as a group: "the
# poor are", "the wounded were", "the elderly live". A reader that knows them only as
# adjectives takes "the poor" for a singular noun phrase.
ADJECTIVE_NOUNS = (
    "poor", "rich", "dead", "wounded", "injured", "elderly", "young", "sick", "homeless",
    "unemployed", "disabled", "wealthy", "living", "blind", "deaf",
)  # fmt: skip
# Words too ambiguous in number, or unsuitable, to sample as nouns, and NUMBERLESS_NOUNS,
# which come only as the grammar writes them (never "spacecrafts"). Number words are
# numerals ("hundred men") or quantity heads ("millions of people"), not plain nouns.
_BLOCKED_NOUNS = frozenset(
    """
    i ok people data media news means fish headquarters clothes glasses thanks ass bitch
    fuck shit hell nothing something anything everything nobody someone anyone everyone one
    other others lot lots plenty couple hundred thousand million billion dozen
    """.split()
) | {noun for noun, _share in NUMBERLESS_NOUNS}
# Names in a plural's form, singular as every name is: "the United States is", "the New York
# Times has", "Wales is". No sampled name ends in a plural noun ("states", "times"), and a
# reader that knows those words only as plurals, or goes by a final "-s", reads these as
# plural.
PLURAL_FORM_NAMES = (
    "the united states", "the united nations", "the united arab emirates", "the netherlands",
    "the philippines", "the bahamas", "the new york times", "the financial times", "wales",
)  # fmt: skip
_NOT_NAMES = frozenset(
    "i may march june april july august god lord christ jesus congress parliament ok".split()
)

# Rarest words considered (zipf 2 = once per 10^7 words): rarer ones are mostly names,
# misspellings and technical terms.
MIN_ZIPF = 2.0
# Category sizes of the default english lexicon (nouns given by `lexicon_size`).
MAX_ENGLISH_LEXICON_SIZE = 8000


@dataclass(frozen=True)
class EnglishLexicon:
    """Word forms with sampling weights (relative frequencies, flattened).

    nouns: (singular, plurals) with plurals a tuple of one or more forms, most frequent first;
    verbs: (3rd singular, plural = base, past, past participle, gerund);
    names: proper names, lower-cased as `normalise` writes them;
    adverbs: manner adverbs in -ly ("softly").
    """

    nouns: tuple[tuple[str, tuple[str, ...]], ...]
    noun_weights: tuple[float, ...]
    verbs: tuple[tuple[str, str, str, str, str], ...]
    verb_weights: tuple[float, ...]
    adjectives: tuple[str, ...]
    adjective_weights: tuple[float, ...]
    names: tuple[str, ...]
    name_weights: tuple[float, ...]
    adverbs: tuple[str, ...]
    adverb_weights: tuple[float, ...]

    def word_forms(self) -> tuple[str, ...]:
        """Every open-class form, in a fixed order (duplicates removed)."""
        forms: dict[str, None] = {}
        for singular, plurals in self.nouns:
            forms.update(dict.fromkeys((singular, *plurals)))
        for verb in self.verbs:
            forms.update(dict.fromkeys(verb))
        forms.update(dict.fromkeys(self.adjectives))
        forms.update(dict.fromkeys(self.names))
        forms.update(dict.fromkeys(self.adverbs))
        return tuple(forms)


def closed_class_words() -> tuple[str, ...]:
    """The grammar's function words, in a fixed order. None of them is sampled as a noun,
    verb or adjective."""
    words: dict[str, None] = dict.fromkeys([",", ".", "and", "not", "to"])
    for group in (
        SINGULAR_DETERMINERS,
        PLURAL_DETERMINERS,
        NEUTRAL_DETERMINERS,
        SINGULAR_PRONOUNS,
        PLURAL_PRONOUNS,
        *OBJECT_PRONOUNS,
        OBJECT_RELATIVE_PRONOUNS,
        (POSSESSIVE_RELATIVE_PRONOUN, PLACE_RELATIVE_PRONOUN),
        ADVERB_DEGREES,
        NEUTRAL_AUXILIARIES,
        ADVERBS,
        SUBORDINATORS,
        ("an", "that", "or", "'", '"', "(", ")", "-", "–", "'s"),
        CLAUSE_COORDINATORS,
        SINGULAR_PARTITIVES,
        PLURAL_PARTITIVES,
        NUMERALS,
        YEARS,
        FOCUS_WORDS,
    ):
        words.update(dict.fromkeys(group))
    for phrase in (
        PREPOSITIONS
        + TIME_PREPOSITIONS
        + SENTENCE_ADVERBIALS
        + PLURAL_QUANTIFIERS
        + TRAILING_SUBORDINATORS
    ):
        words.update(dict.fromkeys(w for w in phrase.split() if w not in PHRASE_NOUNS))
    for plain, negated in AGREEING_AUXILIARIES.values():
        words.update(dict.fromkeys(plain + negated))
    return tuple(words)


def grammar_words() -> tuple[str, ...]:
    """Open-class words the grammar writes outside the sampled lexicon (reporting verbs,
    units, "every morning", "sure", mass nouns), in a fixed order. Unlike function words they stay
    in the lexicon too: "report" is also a noun, "day" and "man" nouns."""
    words: dict[str, None] = {}
    for phrase in (
        COMPLEMENT_ADJECTIVES
        + SPELLED_NUMBERS
        + FOLLOWING_PARTITIVES
        + (COUNTED_QUANTIFIER,)  # its "total" also in "the total number of"
        + SINGULAR_SELECTORS
        + PLURAL_SELECTORS
        + LEADING_ADJECTIVES
        + VP_ADVERBIALS
        + NP_ADVERBIALS
        + NOUN_PLACES
        + HYPHENATED_ADJECTIVES
        + UNITS
        + OBJECT_ADVERBS
        + DEGREE_ADVERBS
        + PARTICLES
        + MASS_NOUNS
        + PLURAL_FORM_NAMES
        + SINGULAR_NOUNS_IN_S
        + ADJECTIVE_NOUNS
        + tuple(noun for noun, _share in NUMBERLESS_NOUNS)
        + tuple(form for forms in EVENT_NOUNS for form in forms)
        + tuple(form for forms in CONTENT_NOUNS for form in forms if form)
        + NOUN_LINKS  # "well" stays a noun, "including" a verb's form
        + NUMERAL_APPROXIMATORS  # "roughly" stays an adverb too
        + (BEEN,)
    ):
        words.update(dict.fromkeys(phrase.replace("-", " ").split()))
    for forms in reporting_verbs():
        words.update(dict.fromkeys(forms))
    return tuple(words)


@functools.lru_cache(maxsize=1)
def reporting_verbs() -> tuple[tuple[str, str, str, str, str], ...]:
    """REPORTING_VERBS as (3rd singular, plural = base, past, past participle, gerund)."""
    from lemminflect import getInflection

    return tuple(
        (
            getInflection(lemma, "VBZ")[0],
            lemma,
            *(getInflection(lemma, t)[0] for t in ("VBD", "VBN", "VBG")),
        )
        for lemma in REPORTING_VERBS
    )


def suffix_exceptions(lexicon: EnglishLexicon) -> tuple[str, ...]:
    """Words whose ending belies their number, in a fixed order: singular nouns in "s"
    ("physics", "news"), nouns with one form for both numbers ("series", "sheep"), plural
    ones without "s" ("police", and every irregular plural of the lexicon: "men",
    "criteria", "radii"), and the words in "s" that come only in names singular as a whole
    ("wales", "netherlands"; not "states", a plural elsewhere). Each is learnt by heart,
    as the lexicon holds every irregular plural for that reason; a word never seen follows
    the spelling rules, and an unknown name in "-a" ("Kayla") is no plural like
    "criteria"."""
    plurals = {form for _singular, forms in lexicon.nouns for form in forms}
    irregular_plurals = tuple(form for form in plurals if not form.endswith("s"))
    name_words = [
        word
        for name in PLURAL_FORM_NAMES
        for word in name.split()
        if word.endswith("s") and word not in plurals
    ]
    nouns = SINGULAR_NOUNS_IN_S + tuple(noun for noun, _share in NUMBERLESS_NOUNS)
    return tuple(dict.fromkeys(nouns + tuple(sorted(irregular_plurals)) + tuple(name_words)))


def category_sizes(lexicon_size: int) -> tuple[int, int, int, int]:
    """(nouns, verbs, adjectives, names) for a `lexicon_size` (the number of noun lemmas)."""
    return (
        lexicon_size,
        max(8, lexicon_size // 2),
        max(8, lexicon_size // 6),
        max(8, lexicon_size // 3),
    )


def _zipf(word: str) -> float:
    import wordfreq

    return wordfreq.zipf_frequency(word, "en", wordlist="large")


@functools.lru_cache(maxsize=1)
def _ranked_candidates():
    """(nouns, verbs, adjectives, names, manner adverbs) with zipf frequencies, most
    frequent first."""
    import wordfreq
    from lemminflect import config as lemminflect_config
    from lemminflect import getAllInflections, getAllLemmas

    closed = set(closed_class_words())
    proper_rows: dict[str, set[str]] = {}
    with gzip.open(lemminflect_config.inflection_lu_fn, "rt", encoding="utf-8") as table:
        for line in table:
            if line[:1].isupper():
                word, upos, _ = line.split(",", 2)
                proper_rows.setdefault(word.lower(), set()).add(upos)
    nouns, verbs, adjectives, names, adverbs = [], [], [], [], []

    def zipf(word):
        return wordfreq.zipf_frequency(word, "en", wordlist="large")

    def verbiness(word, past):
        """How much more often the word is seen as a verb: its past form's frequency
        against its own (made/make ≈ 0, timed/time ≈ −3)."""
        return zipf(past) - zipf(word)

    for word in wordfreq.iter_wordlist("en", wordlist="large"):
        if zipf(word) < MIN_ZIPF:
            break
        if not (word.isascii() and word.isalpha() and word.islower()):
            continue
        if word in closed and word not in KEPT_VERBS:
            continue
        weight = zipf(word)
        noun = getAllInflections(word, upos="NOUN") or MISSING_NOUNS.get(word, {})
        verb = getAllInflections(word, upos="VERB")
        adjective = getAllInflections(word, upos="ADJ")
        adverb = getAllInflections(word, upos="ADV")
        # A form of another word is no name either: "sang" and "drew" are names (Sang,
        # Drew) and pasts, and as names they made "the songs that the singer sang" read as
        # "the singer Sang", one singular subject, in lower-case text. Only the lemma table
        # lists such forms (getAllInflections knows "sing", not "sang").
        common = (
            noun
            or verb
            or adjective
            or adverb
            or getAllLemmas(word, upos="NOUN")
            or getAllLemmas(word, upos="VERB")
        )
        if word in proper_rows and not common:
            if (
                proper_rows[word] == {"noun"}
                and len(word) >= 3
                and word not in _NOT_NAMES
                and not word.endswith(("ese", "ish", "ian"))
            ):
                names.append((word, weight))
            continue
        past = (verb.get("VBD") or (None,))[0]
        # A closed-class word kept as a verb ("like", "last") is not sampled as a noun.
        noun = noun if word not in closed else {}
        if noun and len(word) >= 2 and word not in _BLOCKED_NOUNS and word not in UNCOUNTABLE_NOUNS:
            plurals = PLURAL_OVERRIDES.get(word) or tuple(
                p for p in noun.get("NNS", ()) if p != word and p.isalpha() and zipf(p) >= 1.0
            )
            plurals = tuple(sorted(plurals, key=zipf, reverse=True))[:2]
            # A word that is also an adjective, adverb or verb form counts as a noun only if
            # its plural is common ("patients", "drawings"; not "greats", "sayings"), and a
            # regular verb only if its past is rare (time/timed, not make/made).
            counted = bool(plurals) and zipf(plurals[0]) >= weight - 1.0
            other_use = (
                adjective
                or adverb
                or any(lemma != word for lemma in getAllLemmas(word, upos="VERB").get("VERB", ()))
            )
            hand_listed = (
                word in NOUNS_ALSO_VERBS
                or word in NOUNS_ALSO_ADJECTIVES
                or word in NOUNS_WEIGHED_BY_PLURAL
            )
            mostly_noun = hand_listed or (
                (not past or verbiness(word, past) < -1.0) and (counted or not other_use)
            )
            if plurals and mostly_noun and noun.get("NN", (word,))[0] == word:
                noun_weight = zipf(plurals[0]) if word in NOUNS_WEIGHED_BY_PLURAL else weight
                nouns.append(((word, plurals), noun_weight))
        if verb and word not in ("be", "have", "do") and len(word) >= 2:
            forms = [verb.get(tag, ()) for tag in ("VBZ", "VBN", "VBG")]
            sg, participle, gerund = (f[0] if f else None for f in forms)
            participle = participle or past
            if (
                sg
                and past
                and gerund
                and all(form.isalpha() for form in (sg, past, participle, gerund))
                and sg != word
                and verb.get("VB", (word,))[0] == word
                and (word in KEPT_VERBS or (verbiness(word, past) > -1.5 and not adverb))
            ):
                verbs.append(((sg, word, past, participle, gerund), weight))
        if word in closed:
            continue  # nor as an adjective or an adverb
        if adverb and word.endswith("ly") and not (noun or verb or adjective) and len(word) >= 5:
            adverbs.append((word, weight))
        if (
            adjective
            and not noun
            and not verb
            and not adverb
            and not getAllLemmas(word, upos="VERB")
            and not word.endswith(("ly", "ing", "ed"))
            and len(word) >= 3
        ):
            adjectives.append((word, weight))
    # A form that is one noun's singular and another's plural (taxis/taxi, dive/diva,
    # opera/opus, bacteria), or an irregular plural that is also a singular noun (stamina,
    # media, data), does not tell its number: such nouns are not sampled.
    singulars = {singular for (singular, _), _ in nouns}
    plurals = {plural for (_, forms), _ in nouns for plural in forms}

    def number_is_clear(singular, forms):
        if singular in plurals or singulars.intersection(forms):
            return False
        if singular in PLURAL_OVERRIDES or is_regular_plural((singular, forms)):
            return True
        return not any(p in getAllInflections(p, upos="NOUN").get("NN", ()) for p in forms)

    nouns = [(noun, weight) for noun, weight in nouns if number_is_clear(*noun)]
    return nouns, verbs, adjectives, names, adverbs


def is_regular_plural(noun: tuple[str, tuple[str, ...]]) -> bool:
    """Whether a (singular, plurals) noun forms its plural by a spelling rule (-s, -es,
    -y → -ies, -f(e) → -ves), which a reader can apply to a word never seen before."""
    singular, (plural, *_) = noun
    return (
        plural in (singular + "s", singular + "es")
        or (singular.endswith("y") and plural == singular[:-1] + "ies")
        or (singular.endswith("f") and plural == singular[:-1] + "ves")
        or (singular.endswith("fe") and plural == singular[:-2] + "ves")
    )


def has_regular_past(verb: tuple[str, str, str, str, str]) -> bool:
    """Whether a (3sg, base, past, participle, gerund) verb's past and participle end in
    "-ed" ("liked", "stopped"), which a reader takes for a verb's past by its ending alone;
    "sent", "sang" and "chose" must each be learnt."""
    return verb[2].endswith("ed") and verb[3].endswith("ed")


# Verbs without a regular past weigh this many times their flattened frequency. Most verb
# tokens in English text are of such verbs, and the square root leaves them 14% of draws;
# their forms are learnt one by one, and one seen too seldom is read by its ending: "sent"
# ends as the singular "agent" does, so "the letters the girl sent" reads as an object
# relative still waiting for its verb (docs/results/english-every-verb.md).
IRREGULAR_VERB_WEIGHT = 3.0


@functools.lru_cache(maxsize=4)
def build_english_lexicon(lexicon_size: int) -> EnglishLexicon:
    """The `lexicon_size` most frequent usable noun lemmas, every noun with an irregular
    plural (men, radii, lice: a closed class that no spelling rule gives, so a model must
    see each of them), and proportionally many verbs, adjectives and names. Deterministic:
    the same size gives the same words and weights.

    Weights are frequencies flattened by a square root (10^(zipf/2)), so that common words
    are common without the long tail going unseen in a training run; irregular nouns weigh
    at least the median noun, and verbs without a regular past three times their weight.
    """
    if not 16 <= lexicon_size <= MAX_ENGLISH_LEXICON_SIZE:
        raise ValueError(
            f"lexicon_size must be an integer in [16, {MAX_ENGLISH_LEXICON_SIZE}] for the "
            f"english grammar, got {lexicon_size!r}"
        )
    sizes = category_sizes(lexicon_size)
    ranked = _ranked_candidates()
    chosen = []
    for category, (candidates, size) in enumerate(zip(ranked[:4], sizes, strict=True)):
        if len(candidates) < size:
            raise ValueError(
                f"lexicon_size={lexicon_size} asks for more words than the installed "
                f"lemminflect and wordfreq data provide"
            )
        taken = list(candidates[:size])
        weights = [10 ** (z / 2) for _, z in taken]
        if category == 0:  # nouns: irregular plurals are learnt by heart, so all are in
            floor = sorted(weights)[len(weights) // 2]
            weights = [
                w if is_regular_plural(noun) else max(w, floor)
                for (noun, _), w in zip(taken, weights, strict=True)
            ]
            extra = [c for c in candidates[size:] if not is_regular_plural(c[0])]
            taken += extra
            weights += [floor] * len(extra)
        if category == 1:  # verbs: irregular pasts are learnt by heart too
            weights = [
                w if has_regular_past(verb) else w * IRREGULAR_VERB_WEIGHT
                for (verb, _), w in zip(taken, weights, strict=True)
            ]
        chosen.append((tuple(w for w, _ in taken), tuple(weights)))
    (nouns, noun_w), (verbs, verb_w), (adjectives, adjective_w), (names, name_w) = chosen
    extra = [word for word in COMMON_ADJECTIVES if word not in set(adjectives)]
    adjectives += tuple(extra)
    adjective_w += tuple(10 ** (_zipf(word) / 2) for word in extra)
    adverbs = ranked[4][:MANNER_ADVERBS]
    return EnglishLexicon(
        nouns,
        noun_w,
        verbs,
        verb_w,
        adjectives,
        adjective_w,
        names,
        name_w,
        tuple(word for word, _ in adverbs),
        tuple(10 ** (z / 2) for _, z in adverbs),
    )
