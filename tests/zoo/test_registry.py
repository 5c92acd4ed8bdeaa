"""zoo.names and zoo.build: a name → layer registry."""

import functools

import keras
import pytest

import zoo

REQUIRED = [
    "simplified_gru", "gru", "gru_reset_after", "gru_no_update_gate", "gru_no_reset_gate",
    "min_gru", "lstm", "simple_rnn", "keras_gru",
]  # fmt: skip


def test_names_lists_every_required_model_sorted():
    assert set(REQUIRED) <= set(zoo.names())
    assert zoo.names() == sorted(zoo.names())


def test_names_filters_by_glob_pattern():
    assert zoo.names("gru*") == [
        "gru", "gru_no_reset_gate", "gru_no_update_gate", "gru_reset_after"
    ]  # fmt: skip
    assert zoo.names("nothing*") == []


def test_unknown_name_raises_value_error_listing_valid_names():
    with pytest.raises(ValueError, match=r"argument `name`.*'gru'.*got 'grue'"):
        zoo.build("grue", units=3)


def test_none_keyword_arguments_keep_the_factory_defaults():
    layer = zoo.build("gru_reset_after", units=3, reset_after=None, return_sequences=None)
    assert layer.cell.reset_after is True
    assert layer.return_sequences is False


def test_keyword_arguments_reach_the_layer():
    layer = zoo.build("gru", units=3, reset_after=True, go_backwards=True)
    assert layer.cell.reset_after and layer.go_backwards


@pytest.mark.parametrize(
    "name, layer_class",
    [
        ("gru", zoo.GRU),
        ("simplified_gru", zoo.SimplifiedGRU),
        ("gru_no_reset_gate", zoo.SimplifiedGRU),
        ("gru_no_update_gate", zoo.NoUpdateGateGRU),
        ("min_gru", zoo.MinGRU),
        ("lstm", keras.layers.LSTM),
        ("simple_rnn", keras.layers.SimpleRNN),
        ("keras_gru", keras.layers.GRU),
    ],
)
def test_build_returns_the_registered_layer_class(name, layer_class):
    assert type(zoo.build(name, units=3)) is layer_class


def test_registering_a_taken_name_raises():
    with pytest.raises(ValueError, match="already registered"):
        zoo.register("gru", functools.partial(zoo.GRU, reset_after=True))


def test_register_works_as_a_decorator():
    @zoo.register("test_only_gru_backwards")
    def gru_backwards(units, **kwargs):
        return zoo.GRU(units, go_backwards=True, **kwargs)

    assert zoo.build("test_only_gru_backwards", units=2).go_backwards
