"""Warmup: prefix warmup into any schedule."""

import keras
import numpy as np
import pytest
from schedule_cases import assert_lr_close

from lrhelpers import lr_values
from lrhelpers.schedules import Warmup


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
