"""Argument checks shared by lrhelpers.

Each check returns the value as a plain Python ``int``/``float``/``str`` (so a
schedule's ``get_config()`` stays JSON-able) or raises a Keras-style
``ValueError`` that names the argument and the value received.
"""

import math
import numbers
import operator

import numpy as np
from keras.optimizers.schedules import LearningRateSchedule


def _fail(name, value, requirement):
    raise ValueError(
        f"Argument `{name}` must be {requirement}. Received: {name}={value}"
    )


def number(name, value):
    """A finite real number (not a bool)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        _fail(name, value, "a number")
    if not math.isfinite(value):
        _fail(name, value, "finite")
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _compare(name, value, relation, limit, limit_name):
    value = number(name, value)
    holds = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
    if not holds[relation](value, limit):
        where = f"{limit_name} ({limit})" if limit_name else f"{limit}"
        _fail(name, value, f"{relation} {where}")
    return value


def greater(name, value, limit, limit_name=None):
    return _compare(name, value, ">", limit, limit_name)


def at_least(name, value, limit, limit_name=None):
    return _compare(name, value, ">=", limit, limit_name)


def below(name, value, limit, limit_name=None):
    return _compare(name, value, "<", limit, limit_name)


def at_most(name, value, limit, limit_name=None):
    return _compare(name, value, "<=", limit, limit_name)


def positive_integer(name, value):
    """An integer > 0 (a Python or NumPy integer, not a bool)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value <= 0:
        _fail(name, repr(value), "a positive integer")
    return int(value)


def non_negative_integer(name, value):
    """An integer >= 0 (a Python or NumPy integer, not a bool)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
        _fail(name, repr(value), "a non-negative integer")
    return int(value)


def digits(name, value):
    """A number of significant digits for printed learning rates."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or not 1 <= value <= 17:
        _fail(name, repr(value), "an integer from 1 to 17")
    return int(value)


def positive(name, value):
    return greater(name, value, 0)


def non_negative(name, value):
    return at_least(name, value, 0)


def choice(name, value, choices):
    if value not in choices:
        _fail(name, value, "one of " + ", ".join(map(repr, choices)))
    return value


def boolean(name, value):
    if not isinstance(value, bool):
        _fail(name, value, "True or False")
    return value


def schedule(name, value):
    if not isinstance(value, LearningRateSchedule):
        _fail(name, value, "a keras.optimizers.schedules.LearningRateSchedule")
    return value


def steps(name, value, *, non_negative=False, non_empty=False):
    """A 1-D sequence of integer optimizer steps, returned as a NumPy array.

    ``non_negative`` also rejects steps below 0, ``non_empty`` an empty sequence.
    """
    value = np.asarray(value)
    if (value.ndim != 1 or value.dtype.kind not in "iu" or (non_empty and value.size == 0)
            or (non_negative and (value < 0).any())):
        requirement = "a {}1-D sequence of {}integers".format(
            "non-empty " if non_empty else "", "non-negative " if non_negative else "")
        _fail(name, repr(value), requirement)
    return value
