"""AgreementConfig: every field validated; impossible combinations rejected by name."""

import dataclasses

import pytest

from datasets.agreement import CONFIGS, AgreementConfig, generate, resolve_config


def test_named_configs_include_default_long_and_tiny():
    assert {"default", "long", "tiny"} <= set(CONFIGS)
    assert all(isinstance(config, AgreementConfig) for config in CONFIGS.values())


def test_default_asks_the_question():
    config = CONFIGS["default"]
    assert config.dependency_length == (14, 30)  # no short spans to learn a shortcut on
    assert config.long_dependency_length == (31, 60)
    assert config.constructions["object_relative"] > 0  # clause verbs with their own agreement
    assert config.prefix_probability * config.fronted_clause_probability > 0.3  # rewriting
    assert config.plural_probability == 0.5


def test_config_is_frozen_and_hashable():
    config = AgreementConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.seed = 3
    with pytest.raises(TypeError):
        config.constructions["pp"] = 0.0
    assert hash(config) == hash(AgreementConfig())


def test_an_int_means_an_exact_value():
    config = AgreementConfig(dependency_length=7, attractors=1)
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
        AgreementConfig(**overrides)
    message = str(error.value)
    assert message.startswith(field) or f"{field}:" in message
    assert "\n" not in message


def test_attractors_that_do_not_fit_the_shortest_dependency_are_rejected():
    with pytest.raises(ValueError, match="attractors"):
        AgreementConfig(dependency_length=(2, 20), attractors=(1, 2))
    # Without prepositional phrases a noun costs 4 words ("that the dogs chase").
    no_pp = {"pp": 0, "subject_relative": 1, "object_relative": 1}
    AgreementConfig(dependency_length=(8, 20), attractors=2, constructions=no_pp)
    with pytest.raises(ValueError, match="attractors"):
        AgreementConfig(dependency_length=(7, 20), attractors=2, constructions=no_pp)


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
