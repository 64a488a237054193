"""lr_values against NumPy closed forms of Keras' built-in schedules."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras.optimizers import schedules

from lrhelpers import lr_values


def exponential(step, lr0, decay_steps, rate, staircase):
    p = np.asarray(step, dtype=np.float64) / decay_steps
    return lr0 * rate ** (np.floor(p) if staircase else p)


@settings(max_examples=25, deadline=None)
@given(
    lr0=st.floats(1e-5, 1.0),
    decay_steps=st.integers(1, 10_000),
    rate=st.floats(0.05, 0.99),
    staircase=st.booleans(),
)
def test_exponential_decay_matches_closed_form(lr0, decay_steps, rate, staircase):
    if staircase and keras.backend.backend() == "jax":
        # Keras floors step / decay_steps in float32, a division XLA's CPU code
        # does not always round correctly: a staircase step can come one step early.
        decay_steps = 2 ** (decay_steps.bit_length() - 1)  # exact in float32
    steps = np.arange(0, 20 * decay_steps, max(1, decay_steps // 7))
    schedule = schedules.ExponentialDecay(lr0, decay_steps, rate, staircase=staircase)
    np.testing.assert_allclose(
        lr_values(schedule, steps), exponential(steps, lr0, decay_steps, rate, staircase),
        rtol=2e-5, atol=1e-30,
    )


def test_piecewise_constant_steps_exactly_after_each_boundary():
    schedule = schedules.PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
    steps = np.array([0, 99, 100, 101, 199, 200, 201, 10**6])
    expected = np.select([steps <= 100, steps <= 200], [1.0, 0.5], 0.1)
    np.testing.assert_array_equal(lr_values(schedule, steps), expected.astype(np.float32))


def test_scalar_only_schedule_is_mapped_over_the_steps():
    # Keras' CosineDecay with warmup branches with ops.cond and refuses a vector of steps.
    schedule = schedules.CosineDecay(0.0, 100, alpha=0.1, warmup_target=1.0, warmup_steps=10)
    steps = np.arange(0, 130)
    warm = steps / 10
    decay_step = np.minimum(steps - 10, 100)
    cosine = 0.5 * (1 + np.cos(np.pi * decay_step / 100))
    expected = np.where(steps < 10, warm, (1 - 0.1) * cosine + 0.1)
    np.testing.assert_allclose(lr_values(schedule, steps), expected, rtol=1e-5, atol=1e-7)


def test_keeps_the_shape_and_accepts_int32_int64_and_float_steps():
    schedule = schedules.ExponentialDecay(1.0, 10, 0.5)
    for steps in (np.arange(12, dtype=np.int32), np.arange(12, dtype=np.int64), np.arange(12.0)):
        values = lr_values(schedule, steps.reshape(3, 4))
        assert values.shape == (3, 4)
        np.testing.assert_allclose(values.ravel(), 0.5 ** (np.arange(12) / 10), rtol=1e-6)


def test_constants_and_step_independent_callables_are_broadcast():
    np.testing.assert_array_equal(lr_values(0.01, [0, 5, 9]), np.full(3, 0.01, np.float32))
    np.testing.assert_array_equal(lr_values(lambda step: 0.5, [0, 5]), [0.5, 0.5])


def test_one_million_steps_in_one_call():
    schedule = schedules.ExponentialDecay(0.1, 1000, 0.5, staircase=True)
    values = lr_values(schedule, np.arange(10**6))
    assert values.shape == (10**6,)
    assert values[999] == np.float32(0.1) and values[-1] == np.float32(0.1 * 0.5**999)


@pytest.mark.parametrize(
    "schedule, steps, message",
    [
        ("fast", [0, 1], "Argument `schedule` must be"),
        (0.1, ["a", "b"], "Argument `steps` must hold integer or float"),
    ],
)
def test_bad_arguments_are_named(schedule, steps, message):
    with pytest.raises(ValueError, match=message):
        lr_values(schedule, steps)


def test_repeated_scalar_only_schedule_logs_no_retracing_warning(tf, caplog):
    # TensorFlow's vectorized_map builds a new tf.function per call: after 5 calls it logs a
    # retracing warning, which would land in notebooks as stderr.
    warmup_cosine = keras.optimizers.schedules.CosineDecay(0.0, 5000, warmup_target=0.1, warmup_steps=500)
    with caplog.at_level("WARNING", logger="tensorflow"):
        for _ in range(8):
            values = lr_values(warmup_cosine, np.arange(0, 8000, 10))
    assert not [r for r in caplog.records if "retracing" in r.getMessage()]
    np.testing.assert_allclose(values[50], 0.1, rtol=1e-6)  # the end of the warmup, step 500
