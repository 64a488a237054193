"""Example schedules shared by the tests of lrhelpers.schedules."""

import keras
import numpy as np

from lrhelpers.schedules import (
    CosineRestarts,
    CyclicLR,
    Join,
    OneCycle,
    PerEpoch,
    Warmup,
    WarmupStableDecay,
)


def has_float64():
    """Whether the backend computes in float64 when asked (JAX only with x64)."""
    if keras.backend.backend() != "jax":
        return True
    import jax

    return jax.config.jax_enable_x64


def largest_step():
    """The largest step the tests use: 10**12, or int32's limit on JAX without x64."""
    return 10**12 if has_float64() else 2**31 - 1


def steps_up_to(last, *edges):
    """Whole steps from 0 to ``last``: 2000 spread over the range (seeded) and each
    edge with its neighbours, where a phase or cycle begins or ends."""
    spread = np.random.default_rng(0).integers(0, last, 2000)
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 1) + np.array([-1, 0, 1])
    steps = np.concatenate([spread, edges.ravel(), [0, last]])
    return np.unique(steps[(steps >= 0) & (steps <= last)]).astype(np.int64)


def cases():
    """Name -> (schedule, floor, peak), built afresh; all move within 24 steps."""
    decay = keras.optimizers.schedules.CosineDecay(0.1, 30, alpha=0.1)
    halving = keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    return {
        "Warmup": (Warmup(decay, 8, 0.001), 0.001, 0.1),
        "Warmup-exponential": (Warmup(decay, 8, 0.001, "exponential"), 0.001, 0.1),
        "CosineRestarts": (CosineRestarts(0.1, 5, 0.01, 2.0, 0.7, 2), 0.01, 0.1),
        "OneCycle": (OneCycle(0.1, 20), 0.1 / 25 / 1e4, 0.1),
        "OneCycle-three-phase": (
            OneCycle(0.1, 20, 0.25, 10.0, 100.0, "linear", True),
            0.1 / 10 / 100,
            0.1,
        ),
        "CyclicLR": (CyclicLR(0.01, 0.1, 3, 5, "exp_range", 0.98), 0.01, 0.1),
        "WarmupStableDecay": (
            WarmupStableDecay(0.1, 4, 6, 10, 0.01, "1-sqrt"),
            0.01,
            0.1,
        ),
        "Join": (
            Join([WarmupStableDecay(0.1, 4, 0, 6), CosineRestarts(0.05, 4)], [10]),
            0.0,
            0.1,
        ),
        "PerEpoch-values": (PerEpoch([0.1, 0.05, 0.01], 7, smooth=True), 0.01, 0.1),
        "PerEpoch-schedule": (PerEpoch(halving, 3), 0.0, 0.1),
    }


def assert_within_bound(actual, expected):
    """float32 learning rates within 1e-5 relative of a float64 ``expected``, the
    bound the schedules' docstrings state for every backend (no float64 needed)."""
    actual = np.asarray(actual)
    assert actual.dtype == np.float32
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-12)


def assert_lr_close(actual, expected):
    """float32 learning rates equal to ``expected`` to 1e-6 relative."""
    actual = np.asarray(actual)
    assert actual.dtype == np.float32
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-12)
