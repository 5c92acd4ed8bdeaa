"""The checks of the zoo layers' arguments, and their one-line errors.

Every error names the argument, what it expects and what it got, as Keras's own
layers do: "Received an invalid value for argument `units`, expected a positive
integer, got 0." The shape checks read static shapes only, when a layer is built
or called: an unknown (None) dimension passes, so traced and compiled code (XLA,
JAX) pays nothing for them at run time.
"""

import numbers


def check_units(units):
    """Returns `units` if it is a positive integer, else raises `ValueError`."""
    if isinstance(units, bool) or not isinstance(units, numbers.Integral) or units <= 0:
        raise ValueError(
            "Received an invalid value for argument `units`, expected a positive "
            f"integer, got {units!r}."
        )
    return int(units)


def check_rank(argument, shape, rank, layout):
    """Raises `ValueError` unless `shape` has `rank` dimensions."""
    if len(shape) != rank:
        raise ValueError(
            f"Received an invalid value for argument `{argument}`, expected a "
            f"{rank}D tensor of shape {layout}, got shape {tuple(shape)}."
        )


def check_steps_and_features(shape, features=None):
    """Raises `ValueError` for sequences whose static shape has no time steps, or other
    than `features` features (None: any). Unknown (None) dimensions pass: they are
    checked by nothing here, so traced and compiled code (XLA, JAX) costs nothing."""
    if shape[1] == 0:
        raise ValueError(
            "Received an invalid value for argument `sequences`, expected at least one "
            f"time step, got shape {tuple(shape)}."
        )
    check_features("sequences", shape, features)


def check_features(argument, shape, features):
    """Raises `ValueError` unless the last axis of `shape` is `features` (or unknown)."""
    if features is not None and shape[-1] is not None and shape[-1] != features:
        raise ValueError(
            f"Received an invalid value for argument `{argument}`, expected {features} "
            f"features (the last axis, as when the layer was built), got shape {tuple(shape)}."
        )


def check_rate(argument, rate):
    """Returns a dropout `rate` in [0, 1) as a float, else raises `ValueError`.

    Keras clips rates into [0, 1] and then drops nothing at 1; a rate of 1 or more
    is refused here instead, as it would drop every unit."""
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
        raise ValueError(
            f"Received an invalid value for argument `{argument}`, expected a float in "
            f"[0, 1), got {rate!r}."
        )
    return float(rate)


def check_refused(arguments, refused):
    """Raises `ValueError` for the first of `arguments` (a dict) that `refused`,
    {name: reason}, lists (see `zoo.drop_in.REFUSED_ARGUMENTS`)."""
    for name, reason in refused.items():
        if name in arguments:
            raise ValueError(
                f"Received an invalid value for argument `{name}`, got "
                f"{arguments[name]!r}: {reason}."
            )
