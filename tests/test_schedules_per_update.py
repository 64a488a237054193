"""PerUpdate: a schedule written in optimizer updates stays in updates under gradient accumulation."""

import doctest
import json

import keras
import numpy as np
import pytest
from keras.optimizers import schedules

import lrhelpers.schedules.per_update
from lrhelpers import PerUpdate, applied_learning_rates, lr_values

PIECEWISE = schedules.PiecewiseConstantDecay([3, 6], [0.1, 0.01, 0.001])
STAIRCASE = schedules.ExponentialDecay(0.1, 3, 0.1, staircase=True)  # takes a vector of steps on every backend


def piecewise(step):
    step = np.asarray(step)
    return np.where(step <= 3, 0.1, np.where(step <= 6, 0.01, 0.001)).astype("float32")


def test_docstring_example():
    results = doctest.testmod(lrhelpers.schedules.per_update, extraglobs={"keras": keras, "lr_values": lr_values},
                              optionflags=doctest.NORMALIZE_WHITESPACE, raise_on_error=True)
    assert results.attempted > 0


@pytest.mark.parametrize("k", [2, 4])
def test_update_u_applies_the_schedule_at_u(k):
    # Measured: without the wrapper update u applies schedule(k * u + k - 1) (tests/test_probe.py).
    applied = applied_learning_rates(PerUpdate(PIECEWISE, k), 9, gradient_accumulation_steps=k)
    np.testing.assert_array_equal(applied, piecewise(np.arange(9)))


def test_is_the_integer_floor_of_step_over_k_for_any_dtype_and_shape():
    steps = np.arange(40).reshape(4, 10)
    expected = 0.1 * 0.1 ** (steps // 3 // 3)
    for dtype in ("int32", "int64", "float32", "float64"):
        np.testing.assert_allclose(lr_values(PerUpdate(STAIRCASE, 3), steps.astype(dtype)), expected, rtol=1e-6)
    assert keras.saving.get_registered_name(PerUpdate) == "lrhelpers>PerUpdate"


def test_config_round_trip():
    schedule = PerUpdate(STAIRCASE, 4)
    restored = keras.saving.deserialize_keras_object(json.loads(json.dumps(keras.saving.serialize_keras_object(schedule))))
    assert type(restored) is PerUpdate and restored.get_config() == schedule.get_config()
    np.testing.assert_array_equal(lr_values(restored, np.arange(40)), lr_values(schedule, np.arange(40)))


@pytest.mark.parametrize("k", [0, 2.0, True])
def test_bad_accumulation_steps_are_named(k):
    with pytest.raises(ValueError, match="Argument `gradient_accumulation_steps` must be a positive integer"):
        PerUpdate(PIECEWISE, k)
