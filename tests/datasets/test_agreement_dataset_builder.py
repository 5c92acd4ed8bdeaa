"""TFDS's own DatasetBuilderTestCase on the tiny config, and tfds.load after import."""

import tensorflow_datasets as tfds

import datasets.agreement  # noqa: F401  (registers the builder)
from datasets.agreement.agreement_dataset_builder import Builder


class AgreementBuilderTest(tfds.testing.DatasetBuilderTestCase):
    DATASET_CLASS = Builder
    BUILDER_CONFIG_NAMES_TO_TEST = ["tiny"]
    SPLITS = {"train": 40, "validation": 10, "test": 10, "test_long": 10, "test_attractors": 9}
    SKIP_CHECKSUMS = True  # nothing is downloaded


def test_tfds_load_works_offline_after_importing_the_package(tmp_path):
    ds = tfds.load("agreement/tiny", split="test_long", data_dir=str(tmp_path))
    examples = list(ds.as_numpy_iterator())
    assert len(examples) == 10
    tiny_max = datasets.agreement.CONFIGS["tiny"].dependency_length[1]
    assert all(e["dependency_length"] > tiny_max for e in examples)
    assert all(e["verb_index"] - e["subject_index"] - 1 == e["dependency_length"] for e in examples)


def test_builder_configs_mirror_the_named_configs():
    names = {config.name for config in Builder.BUILDER_CONFIGS}
    assert names == set(datasets.agreement.CONFIGS)
    assert Builder.VERSION and Builder.RELEASE_NOTES[str(Builder.VERSION)]
