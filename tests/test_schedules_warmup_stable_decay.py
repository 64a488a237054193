"""WarmupStableDecay: warmup, plateau, cooldown."""

import numpy as np
import pytest
from schedule_cases import assert_lr_close, assert_within_bound, steps_up_to

from lrhelpers import lr_values
from lrhelpers.schedules import WarmupStableDecay

SHAPES = {
    "linear": lambda p: 1 - p,
    "cosine": lambda p: (1 + np.cos(np.pi * p)) / 2,
    "1-sqrt": lambda p: 1 - np.sqrt(p),
}


def reference(steps, peak, warmup, stable, decay, floor=0.0, shape="linear"):
    steps = np.asarray(steps, dtype=np.float64)
    p = np.clip((steps - warmup - stable) / decay, 0, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ramp = floor + (peak - floor) * steps / warmup
    return np.select(
        [steps < warmup, steps < warmup + stable, steps < warmup + stable + decay],
        [ramp, peak, floor + (peak - floor) * SHAPES[shape](p)],
        default=floor,
    )


CONFIGS = [
    (0.1, 10, 50, 20),
    (0.3, 7, 0, 13, 0.03, "cosine"),
    (1.0, 0, 25, 40, 0.1, "1-sqrt"),
    (0.01, 100, 1000, 300, 0.0, "1-sqrt"),
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_the_phase_by_phase_reference(config):
    steps = np.arange(0, 1600)
    assert_lr_close(
        lr_values(WarmupStableDecay(*config), steps), reference(steps, *config)
    )


@pytest.mark.parametrize("shape", list(SHAPES))
def test_phase_edges(shape):
    peak, floor = 0.1, 0.01
    schedule = WarmupStableDecay(peak, 10, 20, 30, floor, shape)
    values = lr_values(schedule, [0, 10, 29, 30, 60, 10**9])
    assert_lr_close(values, [floor, peak, peak, peak, floor, floor])


@pytest.mark.parametrize("shape", list(SHAPES))
def test_within_1e5_of_float64_up_to_1e7_steps(shape):
    config = (0.1, 10**5, 8 * 10**6, 10**6, 0.0, shape)
    steps = steps_up_to(10**7, 10**5, 81 * 10**5, 91 * 10**5)
    assert_within_bound(lr_values(WarmupStableDecay(*config), steps), reference(steps, *config))
