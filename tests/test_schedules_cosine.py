"""warmup_cosine_decay: a configured Keras CosineDecay."""

import keras
import numpy as np
import pytest
from schedule_cases import assert_lr_close

from lrhelpers import lr_values
from lrhelpers.schedules import WarmupStableDecay, warmup_cosine_decay


def test_is_keras_cosine_decay_warming_up_from_and_decaying_to_the_floor():
    peak, floor, warmup, decay = 0.2, 0.002, 30, 170
    schedule = warmup_cosine_decay(peak, warmup, decay, floor)
    assert type(schedule) is keras.optimizers.schedules.CosineDecay
    steps = np.arange(0, 260, dtype=np.float64)
    done = np.clip((steps - warmup) / decay, 0, 1)
    expected = np.where(
        steps < warmup,
        floor + (peak - floor) * steps / warmup,
        floor + (peak - floor) * (1 + np.cos(np.pi * done)) / 2,
    )
    values = lr_values(schedule, steps)
    # Keras computes in float32, so near the floor only the peak's digits count
    np.testing.assert_allclose(values, expected, rtol=1e-6, atol=1e-6 * peak)
    assert_lr_close(
        values[[0, warmup, warmup + decay, -1]], [floor, peak, floor, floor]
    )


@pytest.mark.parametrize("peak, floor", [(0.1, 0), (2, 1), (3, 0)])
def test_integer_learning_rates_work_like_floats(peak, floor):
    # Python ints once made Keras' CosineDecay compute in int32 and fail
    steps = [0, 5, 10, 55, 100, 150]
    schedule = warmup_cosine_decay(peak, 10, 90, floor)
    values = [float(schedule(step)) for step in steps]
    expected = lr_values(warmup_cosine_decay(float(peak), 10, 90, float(floor)), steps)
    np.testing.assert_allclose(values, expected, rtol=1e-6, atol=0)
    mid = floor + (peak - floor) / 2
    np.testing.assert_allclose(
        values, [floor, mid, peak, mid, floor, floor], rtol=1e-6, atol=1e-6 * peak
    )


@pytest.mark.parametrize(
    "peak, warmup, decay, floor",
    [(0.1, 10, 90, 0.01), (0.2, 30, 170, 0.0), (1.0, 0, 50, 0.1), (3e-4, 7, 13.5, 1e-6)],
)
def test_warmup_stable_decay_cosine_is_the_vectorised_equivalent(
    peak, warmup, decay, floor
):
    keras_schedule = warmup_cosine_decay(peak, warmup, decay, floor)
    ours = WarmupStableDecay(peak, warmup, 0, decay, floor, "cosine")
    steps = np.arange(0, warmup + decay + 20, 0.5)
    values = lr_values(ours, steps)
    # CosineDecay computes in float32, WarmupStableDecay in float64: they
    # agree to float32 rounding of values of the order of the peak
    np.testing.assert_allclose(
        values, lr_values(keras_schedule, steps), rtol=1e-6, atol=1e-6 * peak
    )
    # and WarmupStableDecay takes a tensor of steps of any shape in one call
    grid = steps.reshape(1, -1, 1)
    assert_lr_close(ours(grid), values.reshape(grid.shape))
