"""Warmup: prefix warmup into any schedule."""

import keras
import numpy as np
import pytest
from schedule_cases import assert_lr_close, assert_within_bound, steps_up_to

from lrhelpers import lr_values
from lrhelpers.schedules import CosineRestarts, Warmup


def cosine_decay_reference(steps, peak, decay_steps, alpha):
    done = np.minimum(steps, decay_steps) / decay_steps
    return peak * ((1 - alpha) * 0.5 * (1 + np.cos(np.pi * done)) + alpha)


@pytest.mark.parametrize("mode", ["linear", "exponential"])
def test_ramp_then_the_wrapped_schedule_shifted(mode):
    peak, decay_steps, alpha, warmup, start = 0.2, 50, 0.05, 20, 0.002
    schedule = Warmup(
        keras.optimizers.schedules.CosineDecay(peak, decay_steps, alpha),
        warmup,
        start,
        mode,
    )
    steps = np.arange(0, 100, dtype=np.float64)
    fraction = steps / warmup
    if mode == "linear":
        ramp = start + (peak - start) * fraction
    else:
        ramp = start * (peak / start) ** fraction
    after = cosine_decay_reference(steps - warmup, peak, decay_steps, alpha)
    expected = np.where(steps < warmup, ramp, after)
    values = lr_values(schedule, steps)
    assert_lr_close(values, expected)
    # the first step, the end of the warmup, the last step
    assert_lr_close(values[[0, warmup, -1]], [start, peak, peak * alpha])


def test_equals_keras_cosine_decay_with_warmup():
    peak, decay_steps, alpha, warmup, start = 0.1, 300, 0.1, 40, 0.01
    keras_schedule = keras.optimizers.schedules.CosineDecay(
        start, decay_steps, alpha, warmup_target=peak, warmup_steps=warmup
    )
    ours = Warmup(
        keras.optimizers.schedules.CosineDecay(peak, decay_steps, alpha), warmup, start
    )
    steps = np.arange(0, 400)
    assert_lr_close(lr_values(ours, steps), lr_values(keras_schedule, steps))


@pytest.mark.parametrize("mode", ["linear", "exponential"])
def test_within_1e5_of_float64_up_to_1e7_steps(mode):
    peak, decay_steps, alpha, warmup, start = 0.1, 10**7 - 10**5, 0.01, 10**5, 1e-4
    decay = keras.optimizers.schedules.CosineDecay(peak, decay_steps, alpha)
    steps = steps_up_to(10**7, warmup)
    fraction = steps / warmup
    ramp = start + (peak - start) * fraction if mode == "linear" else start * (peak / start) ** fraction
    expected = np.where(steps < warmup, ramp, cosine_decay_reference(steps - warmup, peak, decay_steps, alpha))
    assert_within_bound(lr_values(Warmup(decay, warmup, start, mode), steps), expected)


def test_the_wrapped_schedule_sees_whole_steps():
    # CosineRestarts after the warmup restarts at exactly the right steps.
    restarts = CosineRestarts(0.1, 1000, cycle_mult=2.0)
    starts = 1000 * (2 ** np.arange(1, 14) - 1)  # 1000, 3000, 7000, ... < 10**7
    steps = (starts + 500).reshape(-1, 1) + np.array([-1, 0])
    values = lr_values(Warmup(restarts, 500), steps)
    assert np.all(values[:, 1] == np.float32(0.1))
    assert np.all(values[:, 0] < 1e-6)  # the last step of a cycle: 0.1 * sin(pi / 2000)**2
