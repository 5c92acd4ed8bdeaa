"""Subject-verb agreement benchmark: "The cats, which already ate the fish, were full."

    import datasets.agreement as agreement
    examples = agreement.generate(1000, seed=0, config="default")
    train = agreement.load_split("default", "train", n=20000)
    vocab = agreement.Vocabulary.from_config("default")
    x, y = agreement.number_arrays(train, vocab)
    ds = agreement.make_tf_dataset(train, "number", vocab, batch_size=64, shuffle=True)

    import tensorflow_datasets as tfds   # the builder is registered by the import above
    tfds.load("agreement/tiny", split="test_long", data_dir="/tmp/tfds")

See README.md (the dataset card) for the grammar, the splits and the shortcuts it closes.
"""

from datasets.agreement import agreement_dataset_builder  # registers "agreement" with TFDS
from datasets.agreement.config import (
    CONFIGS,
    AgreementConfig,
    ControlledConfig,
    EnglishConfig,
    NestedConfig,
    resolve_config,
)
from datasets.agreement.pipeline import (
    GRAMMATICALITY,
    LM,
    NO_TARGET,
    NUMBER,
    TASKS,
    grammaticality_arrays,
    lm_arrays,
    make_tf_dataset,
    number_arrays,
    target_weights,
    task_arrays,
    verb_targets,
)
from datasets.agreement.sampling import generate, iter_examples
from datasets.agreement.splits import SPLITS, iter_split, load_split, load_splits, split_of
from datasets.agreement.tags import TAGS
from datasets.agreement.text import detokenise, normalise
from datasets.agreement.vocabulary import PAD_ID, UNK_ID, SuffixFeatures, Vocabulary, word_ids

__all__ = [
    "CONFIGS",
    "GRAMMATICALITY",
    "LM",
    "NO_TARGET",
    "NUMBER",
    "PAD_ID",
    "SPLITS",
    "TAGS",
    "TASKS",
    "UNK_ID",
    "AgreementConfig",
    "ControlledConfig",
    "EnglishConfig",
    "NestedConfig",
    "SuffixFeatures",
    "Vocabulary",
    "agreement_dataset_builder",
    "detokenise",
    "generate",
    "grammaticality_arrays",
    "iter_examples",
    "iter_split",
    "lm_arrays",
    "load_split",
    "load_splits",
    "make_tf_dataset",
    "normalise",
    "number_arrays",
    "resolve_config",
    "split_of",
    "target_weights",
    "task_arrays",
    "verb_targets",
    "word_ids",
]
