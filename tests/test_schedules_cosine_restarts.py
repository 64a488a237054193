"""CosineRestarts: SGDR with warmup, exact restarts."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from schedule_cases import assert_lr_close, assert_within_bound, has_float64, largest_step, steps_up_to

from lrhelpers import lr_values
from lrhelpers.schedules import CosineRestarts


def cycle_starts(last_step, first, mult):
    """Start of every cycle up to past ``last_step``, added up cycle by cycle."""
    if mult == 1:
        return first * np.arange(last_step // first + 2, dtype=np.float64)
    starts, length = [0.0], float(first)
    while starts[-1] <= last_step:
        starts.append(starts[-1] + length)
        length *= mult
    return np.array(starts)


def reference(steps, peak, first, floor=0.0, mult=1.0, decay=1.0, warmup=0):
    steps = np.asarray(steps, dtype=np.float64)
    starts = cycle_starts(steps.max(), first, mult)
    cycle = np.searchsorted(starts, steps, side="right") - 1
    into = steps - starts[cycle]
    length = first * mult**cycle
    warm = warmup * mult**cycle
    top = floor + (peak - floor) * decay**cycle
    with np.errstate(divide="ignore", invalid="ignore"):
        ramp = floor + (top - floor) * into / warm
    cosine = floor + (top - floor) * 0.5 * (
        1 + np.cos(np.pi * (into - warm) / (length - warm))
    )
    return np.where(into < warm, ramp, cosine)


CONFIGS = [
    dict(peak=0.1, first=3),
    dict(peak=0.1, first=10, decay=0.999),
    dict(peak=0.1, first=10, floor=0.01, mult=2.0, decay=0.5, warmup=3),
    dict(peak=1.0, first=16, floor=0.0, mult=1.5, decay=0.8),
    dict(peak=1.0, first=7, floor=0.1, mult=1.25, decay=0.9, warmup=2),
    dict(peak=0.5, first=5, floor=0.05, mult=3.0),
    dict(peak=0.3, first=12, floor=0.03, warmup=4),
    # over 128 cycles below 2**40 steps: the cycle is found by binary search
    dict(peak=0.1, first=3, floor=0.001, mult=1.01, decay=0.99, warmup=1),
]


def build(config):
    names = {"peak": 0, "first": 1, "floor": 2, "mult": 3, "decay": 4, "warmup": 5}
    args = [None] * 6
    defaults = [None, None, 0.0, 1.0, 1.0, 0]
    for key, index in names.items():
        args[index] = config.get(key, defaults[index])
    return CosineRestarts(*args)


@pytest.mark.parametrize("config", CONFIGS)
def test_matches_the_cycle_by_cycle_reference(config):
    steps = np.arange(0, 3000)
    assert_within_bound(lr_values(build(config), steps), reference(steps, **config))


@pytest.mark.parametrize("config", CONFIGS)
def test_restarts_are_exact_up_to_1e7(config):
    schedule = build(config)
    starts = cycle_starts(10**7, config["first"], config.get("mult", 1.0))[1:]
    starts = starts[starts <= 10**7]
    if len(starts) > 2000:  # constant cycles: the first and the last thousand
        starts = np.concatenate([starts[:1000], starts[-1000:]])
    first_steps = np.ceil(starts).astype(np.int64)  # the first whole step of each cycle
    steps = np.concatenate([first_steps - 1, first_steps, first_steps + 1])
    assert_within_bound(lr_values(schedule, steps), reference(steps, **config))


@pytest.mark.parametrize("config", [c for c in CONFIGS if not c.get("warmup")])
def test_without_warmup_equals_keras_cosine_decay_restarts(config):
    if keras.backend.backend() != "tensorflow":
        pytest.skip("Keras' CosineDecayRestarts computes in float32 on this backend: no float64 reference")
    peak, floor = config["peak"], config.get("floor", 0.0)
    mult, decay = config.get("mult", 1.0), config.get("decay", 1.0)
    # Keras computes in the dtype of its arguments: float64 here, so the
    # comparison is not limited by Keras' float32 rounding.
    keras_schedule = keras.optimizers.schedules.CosineDecayRestarts(
        *np.float64([peak, config["first"], mult, decay, floor / peak])
    )
    steps = np.arange(0, 2000)
    # Keras takes the cycle index from a logarithm, which puts some restarts one
    # step late (even in float64, e.g. t_mul=3 at step 5 here); the restarts are
    # checked against the reference above, the rest of the curve against Keras.
    restarts = cycle_starts(steps.max(), config["first"], mult)
    steps = np.setdiff1d(steps, restarts)
    expected = lr_values(keras_schedule, steps)
    assert_lr_close(lr_values(build(config), steps), expected)


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(1, 10**4),
    mult=st.sampled_from([1.0, 1.25, 2.0, 3.0]) | st.floats(1.001, 4.0),
    decay=st.floats(0.01, 1.0),
    warmup_fraction=st.floats(0.0, 0.99),
    steps=st.lists(st.integers(0, largest_step()), min_size=1, max_size=30),
)
def test_finite_and_between_floor_and_peak_for_any_cycles(
    first, mult, decay, warmup_fraction, steps
):
    schedule = CosineRestarts(
        0.1, first, 0.001, mult, decay, int(warmup_fraction * first)
    )
    values = lr_values(schedule, np.array([0, largest_step(), *steps], dtype=np.int64))
    assert np.all(np.isfinite(values))
    assert np.all((values >= np.float32(0.001)) & (values <= np.float32(0.1)))


@pytest.mark.parametrize("config", CONFIGS)
def test_within_1e5_of_float64_up_to_1e7_steps(config):
    starts = cycle_starts(10**7, config["first"], config.get("mult", 1.0))
    steps = steps_up_to(10**7, *np.ceil(starts[-200:]))
    assert_within_bound(lr_values(build(config), steps), reference(steps, **config))
