"""CyclicLR: triangular, triangular2 and exp_range cycles of PyTorch's CyclicLR."""

import numpy as np
import pytest
from schedule_cases import assert_lr_close, assert_within_bound, steps_up_to

from lrhelpers import lr_values
from lrhelpers.schedules import CyclicLR


def reference(steps, base, top, up, down=None, mode="triangular", gamma=1.0):
    down = up if down is None else down
    steps = np.asarray(steps, dtype=np.float64)
    cycle = np.floor(steps / (up + down))  # 0-based
    position = steps - cycle * (up + down)
    height = np.where(position <= up, position / up, (up + down - position) / down)
    amplitude = {
        "triangular": np.ones_like(steps),
        "triangular2": 0.5**cycle,
        "exp_range": gamma**steps,
    }[mode]
    return base + (top - base) * height * amplitude


CONFIGS = [
    (0.001, 0.1, 10),
    (0.01, 0.1, 7, 13, "triangular2"),
    (0.0, 1.0, 5, 9, "exp_range", 0.99),
    (0.02, 0.2, 2000),
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_the_position_in_cycle_reference(config):
    steps = np.arange(0, 10_000)
    assert_lr_close(lr_values(CyclicLR(*config), steps), reference(steps, *config))


@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_turning_points(mode):
    base, top, up, down, gamma = 0.01, 0.1, 4, 6, 0.9
    values = lr_values(CyclicLR(base, top, up, down, mode, gamma), [0, 4, 10, 14, 20])
    first, second = {
        "triangular": (1.0, 1.0),
        "triangular2": (1.0, 0.5),
        "exp_range": (gamma**4, gamma**14),
    }[mode]
    height = top - base
    assert_lr_close(
        values, [base, base + height * first, base, base + height * second, base]
    )


@pytest.mark.parametrize("config", [
    (0.001, 0.1, 2000),
    (0.0, 0.1, 1500, 3500, "triangular2"),
    (0.0, 0.1, 999, 1001, "exp_range", 0.9999999),
])
def test_within_1e5_of_float64_up_to_1e7_steps(config):
    total = config[2] + (config[3] if len(config) > 3 else config[2])
    last = 10**7
    edges = np.arange(0, last, total)
    steps = steps_up_to(last, *edges[-300:], *(edges[-300:] + config[2]))
    assert_within_bound(lr_values(CyclicLR(*config), steps), reference(steps, *config))
