"""Join: optax join_schedules semantics."""

import keras
import numpy as np
from schedule_cases import assert_lr_close

from lrhelpers import lr_values
from lrhelpers.schedules import CosineRestarts, Join


def join_reference(functions, boundaries, steps):
    """optax.join_schedules, in NumPy."""
    output = functions[0](steps)
    for boundary, function in zip(boundaries, functions[1:]):
        output = np.where(steps < boundary, output, function(steps - boundary))
    return output


def test_each_schedule_sees_the_steps_since_its_boundary():
    schedules = [
        keras.optimizers.schedules.PolynomialDecay(0.0, 10, 0.1),  # linear 0 -> 0.1
        keras.optimizers.schedules.ExponentialDecay(0.1, 25, 0.5),
        keras.optimizers.schedules.PolynomialDecay(0.02, 40, 0.001),
    ]
    functions = [
        lambda s: 0.1 * np.minimum(s, 10) / 10,
        lambda s: 0.1 * 0.5 ** (s / 25),
        lambda s: (0.02 - 0.001) * (1 - np.minimum(s, 40) / 40) + 0.001,
    ]
    boundaries = [10, 60]
    steps = np.arange(0, 200, dtype=np.float64)
    values = lr_values(Join(schedules, boundaries), steps)
    assert_lr_close(values, join_reference(functions, boundaries, steps))
    # at each boundary the next schedule starts from its own step 0
    assert_lr_close(values[[9, 10, 59, 60]], [0.09, 0.1, 0.1 * 0.5 ** (49 / 25), 0.02])


def test_editing_the_config_leaves_the_schedule_alone():
    schedules = [
        keras.optimizers.schedules.PolynomialDecay(0.0, 10, 0.1),
        keras.optimizers.schedules.ExponentialDecay(0.1, 25, 0.5),
    ]
    join = Join(schedules, [10])
    steps = np.arange(0, 40)
    before = lr_values(join, steps)
    config = join.get_config()
    config["boundaries"][0] = 30
    config["boundaries"].append(35)
    config["schedules"].pop()
    assert join.boundaries == [10]
    assert len(join.schedules) == 2
    np.testing.assert_array_equal(lr_values(join, steps), before)
    assert join.get_config()["boundaries"] == [10]


def test_later_schedules_see_whole_steps_up_to_1e7():
    # A CosineRestarts that takes over at step 5e6 restarts at exactly its steps.
    restarts = CosineRestarts(0.1, 1000, cycle_mult=2.0)
    join = Join([keras.optimizers.schedules.ExponentialDecay(0.1, 1000, 0.5), restarts], [5 * 10**6])
    starts = 5 * 10**6 + 1000 * (2 ** np.arange(1, 12) - 1)
    steps = starts.reshape(-1, 1) + np.array([-1, 0])
    values = lr_values(join, steps)
    assert np.all(values[:, 1] == np.float32(0.1))
    assert np.all(values[:, 0] < 1e-6)  # the last step of a cycle: 0.1 * sin(pi / 2000)**2
