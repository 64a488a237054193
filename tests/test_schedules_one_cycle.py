"""OneCycle: the one-cycle policy of PyTorch's OneCycleLR."""

import numpy as np
import pytest
from schedule_cases import assert_lr_close, assert_within_bound, steps_up_to

from lrhelpers import lr_values
from lrhelpers.schedules import OneCycle


def reference(
    steps, max_lr, total, pct=0.3, div=25.0, final=1e4, anneal="cos", three=False
):
    start, end = max_lr / div, max_lr / div / final
    if three:
        ends, levels = (
            [pct * total - 1, 2 * pct * total - 2, total - 1],
            [start, max_lr, start, end],
        )
    else:
        ends, levels = [pct * total - 1, total - 1], [start, max_lr, end]
    steps = np.minimum(np.asarray(steps, dtype=np.float64), total - 1)
    phase = np.searchsorted(ends, steps)  # the first phase that ends at or after step
    phase_start = np.array([0.0, *ends])[phase]
    p = (steps - phase_start) / (np.array(ends)[phase] - phase_start)
    a, b = np.array(levels)[phase], np.array(levels)[phase + 1]
    if anneal == "cos":
        return b + (a - b) * (1 + np.cos(np.pi * p)) / 2
    return a + (b - a) * p


CONFIGS = [
    (0.1, 100),
    (1.0, 257, 0.25, 10.0, 100.0, "linear"),
    (0.05, 120, 0.3, 25.0, 1e4, "cos", True),
    (0.5, 33, 0.4, 5.0, 20.0, "linear", True),
]


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_the_phase_by_phase_reference(config):
    steps = np.arange(0, config[1] + 50)
    assert_lr_close(lr_values(OneCycle(*config), steps), reference(steps, *config))


def test_first_step_peak_last_step_and_after():
    max_lr, total = 0.1, 100  # the rise ends at step 0.3 * 100 - 1 = 29
    values = lr_values(OneCycle(max_lr, total), [0, 29, 99, 100, 10**9])
    start = max_lr / 25
    end = start / 1e4
    assert_lr_close(values, [start, max_lr, end, end, end])


def test_three_phases_come_back_to_the_start_value():
    max_lr, total = 0.1, 100  # phases end at steps 29, 58 and 99
    values = lr_values(OneCycle(max_lr, total, three_phase=True), [0, 29, 58, 99])
    assert_lr_close(values, [max_lr / 25, max_lr, max_lr / 25, max_lr / 25 / 1e4])


def test_a_phase_may_be_shorter_than_one_step_as_in_pytorch():
    # the rise ends at step 0.15 * 10 - 1 = 0.5: accepted, as OneCycleLR does
    max_lr, total = 0.1, 10
    values = lr_values(OneCycle(max_lr, total, 0.15), [0, 0.5, 9])
    assert_lr_close(values, [max_lr / 25, max_lr, max_lr / 25 / 1e4])


@pytest.mark.parametrize(
    "pct, three_phase", [(0.1, False), (0.05, False), (0.55, True)]
)
def test_each_phase_must_end_after_the_previous_one(pct, three_phase):
    # 0.1 * 10 - 1 = 0: the rise would end at step 0; three phases with
    # pct_start=0.55 would end the second phase (step 9) at the last step
    with pytest.raises(ValueError, match="end strictly after the previous one"):
        OneCycle(0.1, 10, pct, three_phase=three_phase)


@pytest.mark.parametrize("config", [
    (0.1, 10**7),
    (0.05, 10**7, 0.3, 25.0, 1e4, "cos", True),
    (1.0, 10**7 - 3, 0.25, 10.0, 100.0, "linear", True),
])
def test_within_1e5_of_float64_up_to_1e7_steps(config):
    total, pct = config[1], (config[2] if len(config) > 2 else 0.3)
    steps = steps_up_to(10**7, pct * total - 1, 2 * pct * total - 2, total - 1)
    assert_within_bound(lr_values(OneCycle(*config), steps), reference(steps, *config))
