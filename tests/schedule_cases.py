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


def assert_lr_close(actual, expected):
    """float32 learning rates equal to ``expected`` to 1e-6 relative."""
    actual = np.asarray(actual)
    assert actual.dtype == np.float32
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-12)
