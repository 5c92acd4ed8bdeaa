"""The tag set every grammar's tokens carry; its order fixes the tags' ids (the TFDS
feature `tags` is a ClassLabel over TAGS), so a new tag is appended, never inserted."""

# A noun's and an agreeing verb's tag by number (0 singular, 1 plural).
NOUN_TAGS = ("N_SG", "N_PL")
VERB_TAGS = ("V_SG", "V_PL")
# Every tag a token can carry. N_*/V_* mark number; V_PST is a number-neutral past verb,
# V_PTCP a participle ("have eaten"); REL is "that"/"which".
TAGS = (
    "N_SG",
    "N_PL",
    "V_SG",
    "V_PL",
    "V_PST",
    "V_PTCP",
    "DET",
    "ADJ",
    "ADV",
    "PREP",
    "REL",
    "CONJ",
    "PUNCT",
    # The english grammar's tags (english.py): number-marked determiners, names, pronouns,
    # a noun modifying another ("newspaper article"), verb forms after an auxiliary, and
    # number-neutral auxiliaries and modals.
    "DET_SG",
    "DET_PL",
    "PROPN",
    "PRON_SG",
    "PRON_PL",
    "N_MOD",
    "V_ING",
    "V_BASE",
    "AUX",
    # The english grammar's every-verb constructions: a possessor ("paula's", "boys" "'"),
    # quantity heads before "of" (Q_SG one/each/"the first", Q_PL both/many/"the last two",
    # Q some/all whose number the of-phrase gives), numerals inside a modifier ("40" in "a
    # 40-page report"), the hyphen, quotes and brackets, and the complementizer "that" (REL
    # is the relative pronoun).
    "POSS",
    "Q_SG",
    "Q_PL",
    "Q",
    "NUM",
    "HYPH",
    "QUOTE",
    "PAREN",
    "COMP",
    # "to" before an infinitive ("want to see the senator"); "to" before a noun is PREP.
    "TO",
)
