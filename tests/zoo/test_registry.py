"""zoo.names and zoo.build: a name → layer registry."""

import functools

import keras
import pytest

import zoo


@pytest.fixture(autouse=True)
def registry_restored():
    """A test that registers a layer leaves the registry as it found it: the process's
    other tests (train's --model choices) see only the zoo's own entries."""
    factories, entries = dict(zoo.registry._FACTORIES), dict(zoo.registry._ENTRIES)
    yield
    zoo.registry._FACTORIES.clear()
    zoo.registry._FACTORIES.update(factories)
    zoo.registry._ENTRIES.clear()
    zoo.registry._ENTRIES.update(entries)


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


def test_an_alias_is_a_second_name_of_one_entry():
    assert "gru_no_reset_gate" in zoo.names()
    assert zoo.registry.canonical_name("gru_no_reset_gate") == "simplified_gru"
    assert zoo.registry.canonical_name("simplified_gru") == "simplified_gru"
    assert zoo.registry.aliases("simplified_gru") == ["gru_no_reset_gate"]
    assert zoo.registry.aliases("gru_no_reset_gate") == ["gru_no_reset_gate"]
    assert zoo.registry.aliases("gru") == []


def test_a_report_names_an_entry_the_same_whichever_name_it_was_asked_by():
    expected = "simplified_gru (= gru_no_reset_gate)"
    assert zoo.registry.label("simplified_gru") == zoo.registry.label("gru_no_reset_gate")
    assert zoo.registry.label("gru_no_reset_gate") == expected
    assert zoo.registry.label("gru") == "gru"


def test_every_model_name_but_the_alias_is_its_own_entry():
    entries = {zoo.registry.canonical_name(name) for name in REQUIRED}
    assert entries == set(REQUIRED) - {"gru_no_reset_gate"}


def test_unknown_names_are_refused_by_every_lookup_listing_valid_names():
    for lookup in (zoo.registry.canonical_name, zoo.registry.aliases, zoo.registry.label):
        with pytest.raises(ValueError, match=r"argument `name`.*'gru'.*got 'grue'"):
            lookup("grue")


def test_registering_a_taken_alias_or_an_alias_of_a_taken_name_raises():
    factory = functools.partial(zoo.GRU, go_backwards=True)
    with pytest.raises(ValueError, match="'gru_no_reset_gate' is already registered"):
        zoo.register("test_only_new_name", factory, aliases=("gru_no_reset_gate",))
    with pytest.raises(ValueError, match="'test_only_twice' is already registered"):
        zoo.register("test_only_twice", factory, aliases=("test_only_twice",))
    assert "test_only_new_name" not in zoo.names() and "test_only_twice" not in zoo.names()


def test_register_as_a_decorator_takes_aliases():
    @zoo.register("test_only_gru_forwards", aliases=("test_only_gru_onwards",))
    def gru_forwards(units, **kwargs):
        return zoo.GRU(units, **kwargs)

    assert type(zoo.build("test_only_gru_onwards", units=2)) is zoo.GRU
    assert zoo.registry.label("test_only_gru_onwards") == (
        "test_only_gru_forwards (= test_only_gru_onwards)"
    )


def test_the_registry_holds_the_mechanism_and_each_layer_registers_itself():
    """A new layer is registered in the module that defines it: the registry module
    imports no layer, and the modules `zoo` imports register every entry."""
    import ast
    from pathlib import Path

    source = Path(zoo.registry.__file__).read_text()
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {"fnmatch", "functools", "zoo.arguments"}
    assert set(REQUIRED) <= set(zoo.names())
