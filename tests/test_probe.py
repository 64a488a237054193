"""applied_learning_rates measures what SGD applied; compared with NumPy closed forms of Keras schedules."""

import keras
import numpy as np
import pytest
from keras.optimizers import schedules

from lrhelpers import applied_learning_rates

EXPONENTIAL = schedules.ExponentialDecay(0.1, 6, 0.5)  # a different rate at every step
PIECEWISE = schedules.PiecewiseConstantDecay([3, 6], [0.1, 0.01, 0.001])


def exponential(step):
    return np.float32(0.1 * 0.5 ** (np.asarray(step) / 6))


def piecewise(step):
    step = np.asarray(step)
    return np.where(step <= 3, 0.1, np.where(step <= 6, 0.01, 0.001)).astype("float32")


@pytest.mark.parametrize("compile_args", [
    {}, {"jit_compile": True}, {"steps_per_execution": 4}, {"steps_per_execution": 3, "jit_compile": True},
    {"run_eagerly": True},
], ids=str)
def test_measures_one_rate_per_update_under_every_compile_setting(compile_args):
    if compile_args.get("steps_per_execution", 1) > 1 and keras.backend.backend() == "torch":
        pytest.skip("Keras' PyTorch backend refuses steps_per_execution > 1")
    applied = applied_learning_rates(EXPONENTIAL, 10, **compile_args)
    assert applied.dtype == np.float32 and applied.shape == (10,)
    np.testing.assert_allclose(applied, exponential(np.arange(10)), rtol=2e-7)
    np.testing.assert_array_equal(applied_learning_rates(PIECEWISE, 9, **compile_args), piecewise(np.arange(9)))


def test_a_float_rate_is_applied_exactly():
    np.testing.assert_array_equal(applied_learning_rates(0.05, 3), np.float32([0.05, 0.05, 0.05]))


def test_start_sets_the_counter_before_the_first_measured_update():
    np.testing.assert_array_equal(applied_learning_rates(PIECEWISE, 4, start=2), piecewise([2, 3, 4, 5]))


@pytest.mark.parametrize("k", [2, 4])
def test_gradient_accumulation_shows_the_micro_batch_counter_keras_uses(k):
    # Keras 3 evaluates the schedule at optimizer._iterations, which counts micro-batches:
    # update u is applied at micro-batch k * u + k - 1.
    updates = np.arange(4)
    np.testing.assert_array_equal(
        applied_learning_rates(PIECEWISE, 4, gradient_accumulation_steps=k), piecewise(k * updates + k - 1)
    )


@pytest.mark.parametrize("arguments, message", [
    ({"updates": 0}, "Argument `updates` must be a positive integer. Received: updates=0"),
    ({"updates": 2.5}, "Argument `updates` must be a positive integer"),
    ({"updates": 3, "start": -1}, "Argument `start` must be a non-negative integer. Received: start=-1"),
])
def test_rejects_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        applied_learning_rates(0.1, **arguments)
