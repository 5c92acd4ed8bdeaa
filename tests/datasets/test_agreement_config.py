"""The grammars' configs: each holds only the fields its grammar reads, every field
validated, impossible combinations and fields of another grammar rejected by name."""

import dataclasses
import json
import pickle

import pytest

from datasets.agreement import (
    CONFIGS,
    AgreementConfig,
    ControlledConfig,
    EnglishConfig,
    NestedConfig,
    generate,
    resolve_config,
)
from datasets.agreement.config import GRAMMARS
from datasets.agreement.english import EnglishSentenceGenerator
from datasets.agreement.grammar import SentenceGenerator
from datasets.agreement.nested import NestedSentenceGenerator
from datasets.agreement.sampling import GENERATORS, make_generator


def test_named_configs_include_default_long_and_tiny():
    assert {"default", "long", "tiny"} <= set(CONFIGS)
    assert all(isinstance(config, AgreementConfig) for config in CONFIGS.values())


def test_each_preset_is_a_config_of_its_grammar():
    grammars = {name: type(config) for name, config in CONFIGS.items()}
    assert grammars == {
        "default": ControlledConfig,
        "long": ControlledConfig,
        "attractors": ControlledConfig,
        "tiny": ControlledConfig,
        "english": EnglishConfig,
        "english_tiny": EnglishConfig,
        "nested": NestedConfig,
        "nested_tiny": NestedConfig,
    }
    assert {config.grammar for config in CONFIGS.values()} == set(GRAMMARS)


def test_default_asks_the_question():
    config = CONFIGS["default"]
    assert config.dependency_length == (14, 30)  # no short spans to learn a shortcut on
    assert config.long_dependency_length == (31, 60)
    assert config.constructions["object_relative"] > 0  # clause verbs with their own agreement
    assert config.prefix_probability * config.fronted_clause_probability > 0.3  # rewriting
    assert config.plural_probability == 0.5


def test_config_is_frozen_and_hashable():
    config = ControlledConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.seed = 3
    with pytest.raises(TypeError):
        config.constructions["pp"] = 0.0
    assert hash(config) == hash(ControlledConfig())


def test_an_int_means_an_exact_value():
    config = ControlledConfig(dependency_length=7, attractors=1)
    assert config.dependency_length == (7, 7)
    assert config.attractors == (1, 1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"dependency_length": (5, 2)}, "dependency_length"),
        ({"dependency_length": -1}, "dependency_length"),
        ({"dependency_length": "long"}, "dependency_length"),
        ({"dependency_length": (2, 501)}, "dependency_length"),  # above MAX_DEPENDENCY_LENGTH
        ({"long_dependency_length": (10, 30)}, "long_dependency_length"),
        ({"dependency_length": 2, "attractors": 5}, "attractors"),
        ({"attractors": (3, 1)}, "attractors"),
        ({"attractor_probability": 1.5}, "attractor_probability"),
        ({"attractor_test_max": 11}, "attractor_test_max"),  # 30 words hold 10 nouns
        (
            {"constructions": {"pp": 0.0, "subject_relative": 0, "object_relative": 0}},
            "constructions",
        ),
        ({"constructions": {"passive": 1.0}}, "constructions"),
        ({"constructions": {"pp": -1.0}}, "constructions"),
        ({"max_depth": 0}, "max_depth"),
        ({"nesting_probability": -0.1}, "nesting_probability"),
        ({"comma_probability": "often"}, "comma_probability"),
        ({"verb_kinds": ("be_present", "modal")}, "verb_kinds"),
        ({"verb_kinds": ()}, "verb_kinds"),
        ({"lexicon_size": 3}, "lexicon_size"),
        ({"lexicon_size": 10**6}, "lexicon_size"),
        ({"plural_probability": 2}, "plural_probability"),
        ({"seed": -4}, "seed"),
    ],
)
def test_bad_values_raise_a_one_line_error_naming_the_field(overrides, field):
    with pytest.raises(ValueError) as error:
        ControlledConfig(**overrides)
    message = str(error.value)
    assert message.startswith(field) or f"{field}:" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("grammar", "overrides", "field"),
    [
        (NestedConfig, {"nested_dependencies": (0, 2)}, "nested_dependencies"),
        (NestedConfig, {"nested_dependencies": (1, 5)}, "nested_dependencies"),
        (NestedConfig, {"adjective_probability": 1.5}, "adjective_probability"),
        (NestedConfig, {"verb_kinds": ("do",)}, "verb_kinds"),  # the english grammar's only
        (NestedConfig, {"dependency_length": (2, 501)}, "dependency_length"),
        (EnglishConfig, {"max_depth": 5}, "max_depth"),
        (EnglishConfig, {"nesting_probability": -0.1}, "nesting_probability"),
        (EnglishConfig, {"verb_kinds": ("do", "modal")}, "verb_kinds"),
        (EnglishConfig, {"lexicon_size": 9000}, "lexicon_size"),
        (EnglishConfig, {"dependency_length": 2, "attractors": 1}, "attractors"),
        (EnglishConfig, {"seed": True}, "seed"),
    ],
)
def test_every_grammar_validates_its_fields_in_one_line_naming_the_field(grammar, overrides, field):
    with pytest.raises(ValueError) as error:
        grammar(**overrides)
    message = str(error.value)
    assert message.startswith(field) or f"{field}:" in message
    assert "\n" not in message


def fields(config_class) -> set[str]:
    return {spec.name for spec in dataclasses.fields(config_class)}


def test_each_grammar_has_only_the_fields_it_reads():
    shared = fields(AgreementConfig)
    assert {"dependency_length", "attractors", "lexicon_size", "verb_kinds", "seed"} <= shared
    assert fields(ControlledConfig) - shared == {
        "constructions",
        "max_depth",
        "nesting_probability",
        "adverb_probability",
        "adjective_probability",
        "coordination_probability",
        "comma_probability",
        "present_tense_probability",
        "prefix_probability",
        "fronted_clause_probability",
        "fronted_clause_length",
    }
    assert fields(NestedConfig) - shared == {"nested_dependencies", "adjective_probability"}
    assert fields(EnglishConfig) - shared == {"max_depth", "nesting_probability"}


def test_only_a_grammar_s_own_class_makes_a_config():
    with pytest.raises(TypeError, match="ControlledConfig, EnglishConfig, NestedConfig"):
        AgreementConfig()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: CONFIGS["english"].replace(constructions={"pp": 1.0}),
            "constructions does not apply to the english grammar (only to the controlled",
        ),
        (
            lambda: generate(3, config="nested_tiny", max_depth=3),
            "max_depth does not apply to the nested grammar (only to the controlled and "
            "english grammars)",
        ),
        (
            lambda: resolve_config("tiny", nested_dependencies=2),
            "nested_dependencies does not apply to the controlled grammar (only to the nested",
        ),
        (
            lambda: AgreementConfig.from_dict({"grammar": "english", "prefix_probability": 0}),
            "prefix_probability does not apply to the english grammar",
        ),
    ],
)
def test_a_field_of_another_grammar_is_refused_in_one_line_naming_the_grammar(make, message):
    with pytest.raises(ValueError) as error:
        make()
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_config_keeps_its_grammar():
    assert CONFIGS["nested"].replace(grammar="nested", seed=2).seed == 2
    with pytest.raises(ValueError, match="grammar: a NestedConfig stays 'nested'"):
        CONFIGS["nested"].replace(grammar="english")


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_a_config_written_as_json_reads_back_equal(name):
    written = json.dumps(CONFIGS[name].to_dict())
    assert json.loads(written)["grammar"] == CONFIGS[name].grammar
    assert AgreementConfig.from_dict(json.loads(written)) == CONFIGS[name]


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_a_config_sent_to_another_process_arrives_equal_and_still_frozen(name):
    arrived = pickle.loads(pickle.dumps(CONFIGS[name]))
    assert arrived == CONFIGS[name]
    if isinstance(arrived, ControlledConfig):
        with pytest.raises(TypeError, match="read-only"):
            arrived.constructions["pp"] = 1.0


def test_each_grammar_names_its_generator():
    assert set(GENERATORS) == set(GRAMMARS)
    generators = {
        "tiny": SentenceGenerator,
        "nested_tiny": NestedSentenceGenerator,
        "english_tiny": EnglishSentenceGenerator,
    }
    for name, generator in generators.items():
        assert type(make_generator(CONFIGS[name])) is generator


def test_attractors_that_do_not_fit_the_shortest_dependency_are_rejected():
    with pytest.raises(ValueError, match="attractors"):
        ControlledConfig(dependency_length=(2, 20), attractors=(1, 2))
    # Without prepositional phrases a noun costs 4 words ("that the dogs chase").
    no_pp = {"pp": 0, "subject_relative": 1, "object_relative": 1}
    ControlledConfig(dependency_length=(8, 20), attractors=2, constructions=no_pp)
    with pytest.raises(ValueError, match="attractors"):
        ControlledConfig(dependency_length=(7, 20), attractors=2, constructions=no_pp)


def test_generate_rejects_unknown_overrides_and_names():
    with pytest.raises(ValueError, match="unknown AgreementConfig field"):
        generate(3, colour="blue")
    with pytest.raises(ValueError, match="config must be one of"):
        generate(3, config="huge")
    with pytest.raises(ValueError, match="n must be"):
        generate(-1)


def test_resolve_config_accepts_a_name_an_instance_or_none():
    assert resolve_config("tiny") is CONFIGS["tiny"]
    assert resolve_config(None) is CONFIGS["default"]
    assert resolve_config(CONFIGS["long"], seed=4).seed == 4


def test_replace_recomputes_an_automatic_attractor_test_max_and_keeps_a_given_one():
    default = CONFIGS["default"]  # automatic: min(4, 30 // 3) = 4
    shorter = default.replace(dependency_length=(4, 9), long_dependency_length=(10, 20))
    assert shorter.attractor_test_max == 3  # recomputed: 9 // 3
    tiny = CONFIGS["tiny"]  # given as 2, equal to its automatic value
    longer = tiny.replace(dependency_length=(0, 14), long_dependency_length=(15, 20))
    assert longer.attractor_test_max == 2


def test_max_train_length_shortens_the_attractors_config_without_an_error():
    from train.config import TrainConfig
    from train.run import dataset_config

    config = dataset_config(TrainConfig(dataset_config="attractors", max_train_length=10))
    assert config.dependency_length == (4, 10) and config.attractor_test_max == 3
