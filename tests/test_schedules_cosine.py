"""warmup_cosine_decay: a configured Keras CosineDecay."""

import keras
import numpy as np
from schedule_cases import assert_lr_close

from lrhelpers import lr_values
from lrhelpers.schedules import warmup_cosine_decay


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
