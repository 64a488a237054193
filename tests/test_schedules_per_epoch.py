"""PerEpoch: epoch-based schedules and per-epoch value lists, evaluated per step."""

import keras
import numpy as np
import pytest
from schedule_cases import assert_lr_close, assert_within_bound, steps_up_to

from lrhelpers import lr_values
from lrhelpers.schedules import PerEpoch

VALUES = [0.1, 0.08, 0.05, 0.02, 0.01]


@pytest.mark.parametrize("smooth", [False, True])
def test_list_of_values(smooth):
    steps_per_epoch = 13
    steps = np.arange(0, 100)
    epochs = steps / steps_per_epoch
    if smooth:
        expected = np.interp(epochs, np.arange(len(VALUES)), VALUES)
    else:
        expected = np.take(
            VALUES, np.minimum(steps // steps_per_epoch, len(VALUES) - 1)
        )
    values = lr_values(PerEpoch(VALUES, steps_per_epoch, smooth), steps)
    assert_lr_close(values, expected)
    # the last step of epoch 0, the first of epoch 1, long after the list ends
    edges = lr_values(PerEpoch(VALUES, steps_per_epoch, smooth), [12, 13, 10**9])
    first = VALUES[0] + (VALUES[1] - VALUES[0]) * 12 / 13 if smooth else VALUES[0]
    assert_lr_close(edges, [first, VALUES[1], VALUES[-1]])


@pytest.mark.parametrize("smooth", [False, True])
def test_schedule_of_the_epoch(smooth):
    per_epoch = keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    steps = np.arange(0, 300)
    epochs = steps / 25 if smooth else steps // 25
    values = lr_values(PerEpoch(per_epoch, 25, smooth), steps)
    assert_lr_close(values, 0.1 * 0.5 ** (epochs / 2))


def test_editing_the_config_leaves_the_schedule_alone():
    schedule = PerEpoch(VALUES, 10)
    steps = np.arange(0, 60)
    before = lr_values(schedule, steps)
    config = schedule.get_config()
    config["schedule_or_values"][0] = 1.0
    config["schedule_or_values"].append(0.5)
    assert schedule.schedule_or_values == VALUES
    np.testing.assert_array_equal(lr_values(schedule, steps), before)
    assert schedule.get_config()["schedule_or_values"] == VALUES


@pytest.mark.parametrize("smooth", [False, True])
def test_within_1e5_of_float64_up_to_1e7_steps(smooth):
    steps_per_epoch = 1_000_003  # epochs change at steps a float32 cannot divide exactly
    steps = steps_up_to(10**7, *(steps_per_epoch * np.arange(1, 10)))
    epochs = steps / steps_per_epoch
    if smooth:
        expected = np.interp(epochs, np.arange(len(VALUES)), VALUES)
    else:
        expected = np.take(VALUES, np.minimum(steps // steps_per_epoch, len(VALUES) - 1))
    values = lr_values(PerEpoch(VALUES, steps_per_epoch, smooth), steps)
    assert_within_bound(values, expected)
    per_epoch = keras.optimizers.schedules.ExponentialDecay(0.1, 1, 0.5)
    values = lr_values(PerEpoch(per_epoch, steps_per_epoch, smooth), steps)
    assert_within_bound(values, 0.1 * 0.5 ** (epochs if smooth else np.floor(epochs)))
