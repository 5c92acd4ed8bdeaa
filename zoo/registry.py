"""Model names → layer factories, as in timm's registry.

Every factory returns a sequence layer taking (batch, time, features) that
accepts `units`, `return_sequences` (default `False`), `name` and masks from
`keras.layers.Embedding(mask_zero=True)`.

Example:
>>> names("gru*")[:3]
['gru', 'gru_no_reset_gate', 'gru_no_update_gate']
>>> build("gru", units=4, return_sequences=True).return_sequences
True
"""

import fnmatch
import functools

import keras

from zoo.ablations import NoUpdateGateGRU
from zoo.arguments import check_units
from zoo.gru import GRU
from zoo.min_gru import MinGRU
from zoo.simplified_gru import SimplifiedGRU

_FACTORIES = {}


def register(name, factory=None):
    """Registers `factory(units, **kwargs)` under `name`; names are unique.

    Used as `register(name, factory)` or as a decorator, `@register(name)`.
    """
    if factory is None:
        return functools.partial(register, name)
    if name in _FACTORIES:
        raise ValueError(f"A model named {name!r} is already registered.")
    _FACTORIES[name] = factory
    return factory


def names(pattern="*"):
    """Returns the sorted registered names matching a glob `pattern` (e.g. `"gru*"`)."""
    return sorted(fnmatch.filter(_FACTORIES, pattern))


def build(name, /, units, **kwargs):
    """Builds the layer registered as `name` with `units` units.

    Args:
        name: A registered name, see `names()`.
        units: Positive integer, the state size.
        **kwargs: Passed to the factory (e.g. `return_sequences`, `name`);
            a `None` value leaves the factory's default in place.

    Returns:
        A new, unbuilt Keras layer.

    Raises:
        ValueError: `name` is not registered, or `units` is not a positive integer.
    """
    if name not in _FACTORIES:
        raise ValueError(
            f"Received an invalid value for argument `name`, expected one of "
            f"{names()}, got {name!r}."
        )
    kwargs = {key: value for key, value in kwargs.items() if value is not None}
    return _FACTORIES[name](units=check_units(units), **kwargs)


register("simplified_gru", SimplifiedGRU)
register("gru", GRU)
register("gru_reset_after", functools.partial(GRU, reset_after=True))
register("gru_no_update_gate", NoUpdateGateGRU)
register("gru_no_reset_gate", SimplifiedGRU)  # Γr ≡ 1 is the simplified GRU.
register("min_gru", MinGRU)
# Keras's built-in layers, as baselines (keras_gru has Keras's default reset_after=True).
register("lstm", keras.layers.LSTM)
register("simple_rnn", keras.layers.SimpleRNN)
register("keras_gru", keras.layers.GRU)
