"""Subject-verb agreement benchmark: "The cats, which already ate the fish, were full."

    import datasets.agreement as agreement
    examples = agreement.generate(1000, seed=0, config="default")
    train = agreement.load_split("default", "train", n=20000)
    vocab = agreement.Vocabulary.from_config("default")

See README.md (the dataset card) for the grammar, the splits and the shortcuts it closes.
"""

from datasets.agreement.config import CONFIGS, AgreementConfig, resolve_config
from datasets.agreement.grammar import TAGS, generate, iter_examples

__all__ = [
    "CONFIGS",
    "TAGS",
    "AgreementConfig",
    "generate",
    "iter_examples",
    "resolve_config",
]
