"""Model names → layer factories, as in timm's registry.

Every factory returns a sequence layer taking (batch, time, features) that
accepts `units`, `return_sequences` (default `False`), `name` and masks from
`keras.layers.Embedding(mask_zero=True)`.

This module holds the mechanism only. Each layer is registered where it is
defined (`@register("gru")` above its class), and importing `zoo` imports those
modules, so every layer is registered once `zoo` is. An entry may have aliases:
other names of the same layer (`gru_no_reset_gate`, Γr ≡ 1, is the simplified
GRU). Each alias builds the entry's layer, and `canonical_name` and `label` tell
that two names are one model, so that a sweep trains it once and a report shows
it once.

Example:
>>> names("gru*")[:3]
['gru', 'gru_no_reset_gate', 'gru_no_update_gate']
>>> build("gru", units=4, return_sequences=True).return_sequences
True
>>> canonical_name("gru_no_reset_gate"), label("gru_no_reset_gate")
('simplified_gru', 'simplified_gru (= gru_no_reset_gate)')
"""

import fnmatch
import functools

from zoo.arguments import check_units

_FACTORIES = {}  # an entry's own name → its factory
_ENTRIES = {}  # every registered name, aliases included → its entry's own name


def register(name, factory=None, *, aliases=()):
    """Registers `factory(units, **kwargs)` under `name`, and under each of `aliases`
    as the same entry; every name is registered once.

    Used as `register(name, factory)` or as a decorator, `@register(name)`, on the
    class or function it registers, in the module that defines it.

    Raises:
        ValueError: `name` or an alias is already registered, or given twice.
    """
    if factory is None:
        return functools.partial(register, name, aliases=tuple(aliases))
    given = (name, *aliases)
    for each in given:
        if each in _ENTRIES or given.count(each) > 1:
            raise ValueError(f"A model named {each!r} is already registered.")
    _FACTORIES[name] = factory
    _ENTRIES.update(dict.fromkeys(given, name))
    return factory


def names(pattern="*"):
    """Returns the sorted registered names, aliases included, matching a glob
    `pattern` (e.g. `"gru*"`)."""
    return sorted(fnmatch.filter(_ENTRIES, pattern))


def canonical_name(name):
    """The entry's own name for a registered `name`: itself, or for an alias the
    name the layer is registered under.

    Raises:
        ValueError: `name` is not registered.
    """
    if name not in _ENTRIES:
        raise ValueError(
            f"Received an invalid value for argument `name`, expected one of "
            f"{names()}, got {name!r}."
        )
    return _ENTRIES[name]


def aliases(name):
    """The sorted aliases of the entry that `name` (its own name or an alias) names."""
    entry = canonical_name(name)
    return sorted(each for each, of in _ENTRIES.items() if of == entry and each != entry)


def label(name):
    """How reports name the model that `name` registers: the entry's own name, with its
    aliases in parentheses, so that a run trained under either name reads the same:
    `"simplified_gru (= gru_no_reset_gate)"`."""
    entry = canonical_name(name)
    others = aliases(entry)
    return f"{entry} (= {', '.join(others)})" if others else entry


def build(name, /, units, **kwargs):
    """Builds the layer registered as `name` with `units` units.

    Args:
        name: A registered name or alias, see `names()`.
        units: Positive integer, the state size.
        **kwargs: Passed to the factory (e.g. `return_sequences`, `name`);
            a `None` value leaves the factory's default in place.

    Returns:
        A new, unbuilt Keras layer.

    Raises:
        ValueError: `name` is not registered, or `units` is not a positive integer.
    """
    factory = _FACTORIES[canonical_name(name)]
    kwargs = {key: value for key, value in kwargs.items() if value is not None}
    return factory(units=check_units(units), **kwargs)
