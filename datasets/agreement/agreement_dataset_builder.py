"""TFDS builder for the agreement dataset: `tfds.load("agreement/<config>")`.

    import datasets.agreement  # registers the builder
    import tensorflow_datasets as tfds
    ds = tfds.load("agreement/tiny", split="test_long", data_dir="/tmp/tfds")

Builder configs hold only what changes the data on disk: the AgreementConfig (grammar,
lexicon, seed) and the number of examples per split. Batching, padding and vocabulary
lookup belong to the input pipeline (`datasets.agreement.pipeline`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import tensorflow_datasets as tfds
from etils import epath

from datasets.agreement.config import CONFIGS, AgreementConfig, ControlledConfig
from datasets.agreement.splits import SPLITS, iter_split
from datasets.agreement.tags import TAGS

_DESCRIPTION = """\
Synthetic English sentences whose main verb must agree in number with a distant subject
("the cats , which already ate the fish , were full ."), separated by relative clauses,
prepositional phrases, adverbs and coordination, with attractor nouns of the other number.
See the dataset card (README.md) for the grammar, the splits and the shortcuts it closes.
"""

# Examples per split for every full-size config; "tiny" is for tests.
_SIZES = {
    "train": 20_000,
    "validation": 2_000,
    "test": 2_000,
    "test_long": 2_000,
    "test_attractors": 2_000,
}
_TINY_SIZES = {"train": 40, "validation": 10, "test": 10, "test_long": 10, "test_attractors": 9}


@dataclasses.dataclass
class AgreementBuilderConfig(tfds.core.BuilderConfig):
    """A named AgreementConfig plus the number of examples in each split."""

    agreement: AgreementConfig = dataclasses.field(default_factory=ControlledConfig)
    split_sizes: dict[str, int] = dataclasses.field(default_factory=lambda: dict(_SIZES))


_CONFIG_DESCRIPTIONS = {
    "default": "Dependency lengths 14-30 in training, 31-60 in test_long; fronted clauses.",
    "long": "Long-distance: dependency lengths 20-40 in training, 41-80 in test_long.",
    "attractors": "Every training sentence has 1-4 attractors.",
    "tiny": "A few short sentences from a 16-noun lexicon, for tests.",
    "english_tiny": "The english grammar with 200 noun lemmas and short spans, for tests.",
    "nested": (
        "Nested agreements (Lakretz et al. 2019): 1-3 centre-embedded subjects open at once; "
        "each example tests one verb, main or embedded."
    ),
    "nested_tiny": "The nested grammar with short spans and a 16-noun lexicon, for tests.",
    "english": (
        "Ordinary written English: 5000 noun lemmas by frequency, names, pronouns, number-"
        "marked determiners, auxiliaries and negated contractions; spans of 0-16 words; "
        "every agreeing verb (complements, relatives, coordinations, side clauses) a target."
    ),
}


FEATURE_KEYS = (
    "tokens",
    "tags",
    "subject_index",
    "verb_index",
    "label",
    "dependency_length",
    "n_attractors",
    "n_intervening_nouns",
    "depth",
    "construction",
    "verb_kind",
    "correct_verb",
    "wrong_verb",
    "agreements",
    "verb_roles",
    "phenomena",
)


class Builder(tfds.core.GeneratorBasedBuilder):
    """Subject-verb agreement across distractors (see README.md)."""

    VERSION = tfds.core.Version("2.38.0")
    RELEASE_NOTES = {
        "1.0.0": "Initial release: lemminflect/wordfreq lexicon, five splits.",
        "2.0.0": (
            "Harder default, to separate the cells (issue 4): dependency lengths 14-30 "
            "(test_long 31-60), fronted clauses with their own subject and agreeing verb "
            "('while the dogs sleep , the cats ...') in 42% of sentences, so the subject's "
            "number must be rewritten; 'long' is now 20-40 / 41-80. Subordinators join the "
            "function words (vocabulary ids change)."
        ),
        "2.1.0": (
            "The `english` config (issue 13): ordinary written English for transfer to real "
            "sentences. Tags gain DET_SG, DET_PL, PROPN, PRON_SG, PRON_PL, N_MOD, V_ING, "
            "V_BASE and AUX (appended; earlier tags keep their ids). Other configs' data "
            "is unchanged."
        ),
        "2.2.0": (
            "The `nested` and `nested_tiny` configs (issue 14): 1-3 centre-embedded "
            "agreements open at once (Lakretz et al. 2019), one tested verb per example. "
            "Other configs' data is unchanged."
        ),
        "2.3.0": (
            "Every verb agrees with its own subject (issue 21): the `english` grammar gains "
            "reports and sentential complements, VP and clause coordination, fronted and "
            "trailing subordinate clauses, coordinated adverbs and adjectives, possessors, "
            "quantity heads, numerals, hyphenated words, appositives, parentheses, quotes, "
            "fragments and lower-case text; features `verb_roles` (the role of each of "
            "`agreements`, empty for the other grammars) and `phenomena`; tags POSS, Q_SG, "
            "Q_PL, Q, NUM, HYPH, QUOTE, PAREN and COMP appended. Other configs' data is "
            "unchanged."
        ),
        "2.4.0": (
            "`english`: a coordinated subject's conjuncts may each carry a PP (\"a man with a "
            "hat and a woman with a bag are\"); a PP's second conjunct never carries a PP "
            'of its own; more PPs and times after objects; indirect objects ("sold him the '
            'car") and places after a relative\'s verb ("who lives next door"). Other '
            "configs' data is unchanged."
        ),
        "2.5.0": (
            '`english`: relatives on a whole clause (", which means (that) the buses are '
            'late"); fragments may start anywhere before the controlled subject that '
            'separates no kept verb from its subject ("which means the prices go"); asides '
            'between dashes; "whom" and more past verbs in object relatives; "a" drawn as '
            "often as the other singular determiners together; two-word names; more second "
            "verbs after an object. Other configs' data is unchanged."
        ),
        "2.6.0": (
            '`english`: an adverb between an object and its time or place ("has read the '
            'chapters twice before the exam and feels"); "twice" and "once" as times. '
            "Other configs' data is unchanged."
        ),
        "2.7.0": (
            "`english`: nouns that are as common as verbs (report, result, change, hand ... "
            '"the reports are"), which the frequency test had left out; number words '
            "(hundred, million, dozen) are no longer nouns; a PP on an object's noun (\"climbs "
            "onto the roof of the shed and watches\"). Vocabulary ids change. Other configs' "
            "data is unchanged."
        ),
        "2.8.0": (
            '`english`: words real text uses and the grammar never wrote: "been" ("has been '
            'working", "have been tired"), degree words before a predicate adjective ("is '
            'very tired", "is far more careful"), particles after a verb ("sat down", "carried '
            "out the tests\"). Vocabulary ids change. Other configs' data is unchanged."
        ),
        "2.9.0": (
            '`english`: mass nouns, singular and often bare ("bakes bread every morning and '
            'sells it", "water boils", "bread and butter are"), in 6% of the NPs that may be '
            "names; information, advice, equipment and other nouns with no English plural are "
            'no longer count nouns ("the advices are"); "every afternoon", "every night" and '
            "other times after an object; eight verbs that lemminflect also lists as adverbs "
            "(collect, supply, pray ...). Vocabulary ids change. Other configs' data is "
            "unchanged."
        ),
        "2.10.0": (
            '`english`: an ordinal or superlative before "of" as a quantity head ("the first '
            'of the bridges is", "the oldest of the churches is", "the last two of the songs '
            'are"); numerals in the thousands written with a separator ("2,000 people"), '
            'which `normalise` now reads as one token, as it reads "3.5". Vocabulary ids '
            "change. Other configs' data is unchanged."
        ),
        "2.11.0": (
            "`english`: common words real text uses that the lexicon left out: verbs whose base "
            'form is also an adverb, a preposition or a noun ("likes", "opens", "closes", '
            '"lasts", "matters"), 300 manner adverbs in -ly sampled by frequency ("softly", '
            '"steadily") in 40% of the adverbs, and every year from 1800 to 2029. Vocabulary '
            "ids change. Other configs' data is unchanged."
        ),
        "2.12.0": (
            '`english`: places after a noun ("the people upstairs are", "the house next door '
            'is"), also as the last words before a verb, and "all", "this", "last" and "next" '
            'times ("barks all morning and sleeps", "last night"). Vocabulary ids change. '
            "Other configs' data is unchanged."
        ),
        "2.13.0": (
            '`english`: fewer compounds whose head is also a verb ("the car repairs"), so '
            'that after a singular noun such a word is mostly its verb ("my uncle repairs '
            'old radios and sells them"); indirect objects ("sold him the car") in a fifth '
            "of the objects, also after an object relative's verb (\"the keys the landlord "
            "gave us\"). Vocabulary unchanged. Other configs' data is unchanged."
        ),
        "2.14.0": (
            '`english`: infinitives after a verb ("want to see the senator", "works to pay '
            'the bills"), tagged TO (appended to the tags), and "to" as a preposition ("the '
            "key to the door\"). Vocabulary unchanged. Other configs' data is unchanged."
        ),
        "2.15.0": (
            '`english`: relatives with "whose", whose verb agrees with the noun after it '
            '("the man whose dogs bark is"), a verb role of their own (whose_relative); a '
            'verb\'s participle as an adjective ("the returned books", "a sleeping dog"). '
            "Vocabulary ids change. Other configs' data is unchanged."
        ),
        "2.15.1": (
            '`english`: a relative after a "whose" relative attaches to the head or the '
            'verb\'s object, not to the noun after "whose" (51 of 20,000 sentences had '
            "one there). Vocabulary unchanged. Other configs' data is unchanged."
        ),
        "2.16.0": (
            '`english`: a degree word before an adverb in -ly ("most probably", "very '
            'quickly"), "likely" and "notably" as adverbs; relatives with "where", whose verb '
            "agrees with the clause's own subject (\"the town where the brothers sell fish "
            'is"), a verb role of their own (where_relative); nouns listed beside the '
            'subject (", along with his aides ,", "cities such as Paris are"); a PP or place '
            "after an object relative's verb (\"the paintings that the thief stole from the "
            'museum are"); text never starts inside a "whose" or "where" relative. '
            "Vocabulary ids change. Other configs' data is unchanged."
        ),
        "2.17.0": (
            "`english`: a time after a relative's verb where the span ends (\"the gardens "
            'where the old king walked every morning look"); room kept for a PP after half '
            "the object relatives with 5-8 span words left, so that it often comes right "
            "before the head's verb (\"the paintings that the thief stole from the museum "
            "are\"). Vocabulary unchanged. Other configs' data is unchanged."
        ),
        "2.18.0": (
            '`english`: "but" or "or" joins a second verb to the first one\'s subject in '
            'three of ten VP coordinations ("the author laughs but swims", "sings or '
            'dances"): "but" had only opened clauses with a subject of their own. Subjects '
            'joined by "or", the verb agreeing with the nearer one ("the bus or the train '
            'goes", "either the boys or the girl is"); "either" before 5% of the verbs '
            'of clauses other than the controlled one, an "or" and a second verb after '
            'them ("the children either play outside or watch"). More '
            "object relatives without a pronoun (30%, was 20%) and with a past verb (55% of "
            'one-word verbs, was 45%): "the dresses the girl chose were". Vocabulary '
            "unchanged. Other configs' data is unchanged."
        ),
        "2.19.0": (
            '`english`: prepositions of time with an event after a verb ("the towns that '
            'the army occupied after the war are", "who owned the house until his death", '
            '"sold the house during the storm and"): "after", "before" and "since" had '
            'taken a noun only as the subject of a clause they open ("after the guests '
            'arrive"). "until" and 28 event nouns join the vocabulary; vocabulary ids '
            "change. Other configs' data is unchanged."
        ),
        "2.20.0": (
            '`english`: indirect objects that are NPs, not only pronouns ("shows the '
            "visitors the castle\"), also after an object relative's verb right before "
            'the head\'s ("the gift that my aunts bought their sons is"); more room kept '
            "after object relatives (70% of those with 5-8 span words left, was 50%). "
            "Vocabulary unchanged. Other configs' data is unchanged."
        ),
        "2.21.0": (
            '`english`: object relatives with a pronoun subject ("the songs he sings are"), '
            'in 10% of those with a relative pronoun and 30% of those without ("the film '
            'they directed is"); the grammar had written none. Vocabulary unchanged. Other '
            "configs' data is unchanged."
        ),
        "2.22.0": (
            "`english`: a verb's two objects where the next verb comes right after them: "
            "ending a relative right before the head's verb (\"the students who sent the "
            'professor a letter are"), and with nothing after them more often, where a '
            'second verb follows ("shows the visitors the castle and tells"); indirect '
            "objects in 25% of objects (was 20%), half of those with room NPs (was 40%), "
            "never a pronoun from an NP's draw. Vocabulary unchanged. Other configs' data "
            "is unchanged."
        ),
        "2.23.0": (
            '`english`: a noun\'s content clause after "that" ("the fact that the workers '
            'are tired is", "the news that the mills would close was"): 26 nouns that take '
            "one (fact, idea, claim, news …) head 6% of spans of 4 words or more after a "
            "common noun subject, then a whole clause whose verb agrees with its own "
            'subject. "that" after a noun had opened only relatives. Vocabulary: "news", '
            '"proof", "proofs", "rumor" and "rumors" join it. Other configs\' data is '
            "unchanged."
        ),
        "2.24.0": (
            "`english`: verbs without a regular past (sent, sang, chose, told …) are drawn "
            "three times as often as their flattened frequency says (a third of verb draws, "
            'was 14%): runs of 2.22.0 read "the letters the girl sent" and "the songs '
            'the girl sang" as singular, not "posted" or "wrote". Compound heads whose '
            "plural is also a verb: 18% (was 25%). Vocabulary unchanged. Other configs' data is "
            "unchanged."
        ),
        "2.25.0": (
            "`english`: nouns that the frequency lexicon left out join it: 35 count nouns "
            "that lemminflect also lists as adjectives (general, council, army, evening, "
            "wedding, capital, musical …), which a reader took by their ending for "
            'adjectives ("the general left" read "general" as one), and 20 that lemminflect '
            "lacks (county, website, gallery, congressman …). Nine of the first (general, "
            "senior, junior, commercial, principal, musical, primary, complex, superior) "
            "are adjectives too. As many of the rarest nouns leave it. Other configs' data "
            "is unchanged."
        ),
        "2.26.0": (
            "`english`: an ordinal or superlative before a noun of either number (first, "
            "last, only, oldest, largest, earliest …), in 4% of common-noun NPs with room "
            'for three words, half of them with a second adjective: "the oldest surviving '
            'letters are", "its largest cities are". These words had stood only before '
            '"of" as selectors ("the oldest of the churches is"), and every 2.24.0 run read '
            '"the oldest surviving letters" as singular. Vocabulary: "earliest", "latest", '
            '"biggest", "highest", "finest", "greatest", "longest" and "newest" join it. '
            "Other configs' data is unchanged."
        ),
        "2.27.0": (
            '`english`: nouns listed without commas right before the verb ("cities such as '
            'Paris are", "the mayor along with his aides is"), in a tenth of the spans that '
            "end in a common noun with 3-4 words left (273 verbs in 20,000 sentences): "
            "in 2.26.0's 20,000 no such list came right before a verb, and 2.24.0 and 2.26.0 "
            'runs read "Cities such as Paris" at 0.33-0.58. A list between commas with "as '
            'well as" no longer overruns its span by a word. Vocabulary unchanged. Other '
            "configs' data is unchanged."
        ),
        "2.28.0": (
            '`english`: nouns whose form hides their number. Singular nouns in "s" '
            '("physics", "mathematics", "news") are mass nouns; "police" and "cattle" are '
            'plural; "series", "species", "aircraft", "sheep", "deer" and four more take a '
            'number-marked determiner\'s number ("these species are"), are plural when bare, '
            'and after "the", "its" and the like take the number encyclopedic text mostly '
            'gives each ("the series is", "the sheep are"), in 3% of the NPs that may be '
            "names or mass nouns. 2.27.0 runs read "
            '"physics" and "the series" as plural and "the police" as singular. These words '
            "join the vocabulary. Other configs' data is unchanged."
        ),
        "2.29.0": (
            '`english`: quantity heads as encyclopedic text writes them. "a total of" with a '
            'numeral ("a total of 25 people were") and "a handful of" before a plural noun; '
            '"the total number of" singular; after "none of", "the majority of", "the '
            'remainder of" and fractions ("a third of", "two thirds of", "a quarter of", '
            '"three quarters of") the of-phrase\'s noun decides, as after "some of". Runs of '
            '2.27.0 read "a total of 25 people", "the majority of the residents", "none of the '
            'songs", "a third of the workers" as singular and "the total number of votes" as '
            "plural. Vocabulary: majority, none, thirds and total join it. Other configs' "
            "data is unchanged."
        ),
        "2.30.0": (
            "`english`: names in a plural's form, singular as every name is (\"the United "
            'States is", "the New York Times has", "Wales is"), in 3% of names: 2.27.0 and '
            '2.28.0 runs read "the united states", "the united nations" and "the new york '
            'times" as plural (P(plural) 1.00). No text starts inside such a name. '
            "Vocabulary: arab, emirates and wales join it. Other configs' data is unchanged."
        ),
        "2.31.0": (
            '`english`: "morning", "week" and "course" are nouns of the lexicon again (the '
            'fixed phrases "in the morning", "last week" and "of course" had made them '
            'function words), so they head subjects: 2.30.0 runs read "the morning" as plural '
            'in two seeds (0.35, 0.55) and "the warm and sunny morning" at up to 1.00. A '
            "noun's content clause in 12% of long spans after a common noun (was 6%) and "
            "participles as adjectives in 15% of adjectives (was 8%): the suite's two "
            'constructions with the smallest margins; 2.30.0 runs read "the reports that the '
            'general left the country" as singular in two seeds of six. Vocabulary: courses, '
            "mornings and weeks join it; absurdity, antigen and whiff, the rarest nouns, leave "
            "it. Other configs' data is unchanged."
        ),
        "2.32.0": (
            '`english`: gerund subjects, singular whatever their object ("playing video games '
            'is", "swimming is"), in 5% of singular subjects; adjectives that name a group of '
            'people after "the", plural ("the poor are", "the wounded were"), in 1.5% of the '
            'NPs that may be names or mass nouns. Every run before read "playing video games" '
            'as plural (0.74-1.00) and "the dead", "the poor", "the elderly" as singular '
            "(0.00-0.07). Vocabulary: homeless, unemployed and wealthy join it. Other "
            "configs' data is unchanged."
        ),
        "2.33.0": (
            '`english`: relatives that open with a quantity, between commas ("the settlers, '
            'many of whom were farmers,", "three hotels, one of which is"), in half of the '
            "relatives between commas with room and after 5% of the clauses that end in a "
            "common noun: the verb takes the quantity's number where "
            "it counts members of a plural head, and the head's after some/all/most/half/none "
            '("the land, most of which is"), a verb role of its own (quantified_relative); '
            '2.32.0\'s runs read "the settlers, many of whom [were]" as singular in five '
            'seeds of six. Numerals after "over", "about", "more than", "nearly" … ("over '
            '300 species are") in 40% of numerals without "the", and nouns whose form shows '
            'no number after a numeral ("300 species", 10%); five runs of six read "over 300 '
            'species" as singular (0.08-0.23). No text starts inside "the poor". Vocabulary: '
            "fewer and least join it. Other configs' data is unchanged."
        ),
        "2.34.0": (
            '`english`: singular nouns joined by "and" after "each" or "every" ("every man '
            'and woman is", "each boy and each girl has"), singular, as usage guides '
            "prescribe, in 3% of singular subjects; the conjuncts of a plural coordination "
            'no longer take "each" or "every" ("every man and the woman are" was written). '
            '2.33.0\'s six runs read "every man and woman" and "each boy and girl" as plural '
            "(0.97-1.00). Other configs' data is unchanged."
        ),
        "2.35.0": (
            "`english`: a reporting verb that also takes an object (know, show, find …) in "
            '15% of the verbs of clauses without a complement ("the guide shows the ruined '
            'castle and tells"); a conjunct\'s PP may hold a 3-word NP ("an old man with a '
            'black dog and a young woman with a cat"). 2.34.0\'s runs read "the guide shows '
            'the visitors the ruined castle and" as plural in four seeds of six. Singular '
            'nouns under one determiner ("the house and garden are"), plural, in 15% of '
            "coordinated subjects. Other configs' data is unchanged."
        ),
        "2.36.0": (
            '`english`: no name is also a form of another word: "sang", "drew", "peters" '
            'and "browning" were names, so that "the songs that the singer sang" could read '
            'as "the singer Sang". Every sentence is drawn anew; english_tiny\'s lexicon and '
            "the other configs' data are unchanged."
        ),
        "2.37.0": (
            "`english` and `english_tiny`: an adjective that names a group of people after "
            '"the" ("the homeless are") also comes before a noun, in 5% of attributive '
            'adjectives ("the homeless man is", "the young sons are"); most of them came '
            'only as plural heads, and runs read "the boy and the homeless man" as '
            "singular. The controlled configs' data is unchanged."
        ),
        "2.38.0": (
            "`english` and `english_tiny`: participles before a noun in 30% of attributive "
            'adjectives, not 15% ("the ruined castle", "a sleeping dog"): a word in -ed '
            'after a determiner was a plural head ("the disabled") one time in 3.5, and '
            'runs read "shows the visitors the ruined castle and" as plural. Both: the noun '
            '"well" ("the well is dry"), weighed by its plural, as wordfreq\'s count of the '
            "word is the adverb's. The controlled configs' data is unchanged."
        ),
    }
    BUILDER_CONFIGS = [
        AgreementBuilderConfig(
            name=name,
            description=_CONFIG_DESCRIPTIONS[name],
            agreement=config,
            split_sizes=dict(_TINY_SIZES if "tiny" in name else _SIZES),
        )
        for name, config in CONFIGS.items()
    ]
    DEFAULT_BUILDER_CONFIG_NAME = "default"

    @tfds.core.utils.classproperty
    @classmethod
    def code_path(cls) -> epath.Path:
        # TFDS 4.9.10 finds this file through `importlib_resources`, a backport that
        # Python >= 3.9 does not install; the answer is simply this module's path.
        return epath.Path(__file__)

    def _info(self) -> tfds.core.DatasetInfo:
        # The english grammar's examples also carry `text` and `subject_start`; the stored
        # features are the ones every grammar has.
        return self.dataset_info_from_configs(
            description=_DESCRIPTION,
            features=tfds.features.FeaturesDict(
                {
                    "tokens": tfds.features.Sequence(tfds.features.Text()),
                    "tags": tfds.features.Sequence(tfds.features.ClassLabel(names=TAGS)),
                    "subject_index": np.int32,
                    "verb_index": np.int32,
                    "label": tfds.features.ClassLabel(names=["singular", "plural"]),
                    "dependency_length": np.int32,
                    "n_attractors": np.int32,
                    "n_intervening_nouns": np.int32,
                    "depth": np.int32,
                    "construction": tfds.features.Text(),
                    "verb_kind": tfds.features.Text(),
                    "correct_verb": tfds.features.Text(),
                    "wrong_verb": tfds.features.Text(),
                    # (controller index, verb index) for every number-marked verb.
                    "agreements": tfds.features.Tensor(shape=(None, 2), dtype=np.int32),
                    # english: each agreement's verb role, and the constructions used.
                    "verb_roles": tfds.features.Sequence(tfds.features.Text()),
                    "phenomena": tfds.features.Sequence(tfds.features.Text()),
                }
            ),
            supervised_keys=None,
            homepage="https://github.com/gatezoo/gatezoo",
        )

    def _split_generators(self, dl_manager: tfds.download.DownloadManager):
        del dl_manager  # nothing to download: the grammar generates every example
        return {split: self._generate_examples(split) for split in SPLITS}

    def _generate_examples(self, split: str):
        config = self.builder_config
        n = config.split_sizes[split]
        for i, example in enumerate(iter_split(config.agreement, split, n)):
            example = {key: example.get(key, []) for key in FEATURE_KEYS}
            example["agreements"] = np.asarray(example["agreements"], np.int32).reshape(-1, 2)
            yield f"{split}-{i:07d}", example
