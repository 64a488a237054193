"""Bad arguments raise a Keras-style ValueError naming the argument and value."""

import re

import keras
import pytest

from lrhelpers.schedules import (
    CosineRestarts,
    CyclicLR,
    Join,
    OneCycle,
    PerEpoch,
    Warmup,
    WarmupStableDecay,
    warmup_cosine_decay,
)

DECAY = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
NAN, INF = float("nan"), float("inf")

# (constructor, arguments, the argument named in the error, its value as printed)
BAD = [
    (Warmup, (DECAY, 0), "warmup_steps", "0"),
    (Warmup, (DECAY, -5), "warmup_steps", "-5"),
    (Warmup, (DECAY, NAN), "warmup_steps", "nan"),
    (Warmup, (DECAY, 10, 0.0, "exponential"), "initial_learning_rate", "0.0"),
    (Warmup, (DECAY, 10, 0.01, "cubic"), "mode", "cubic"),
    (Warmup, (lambda step: 0.1, 10), "schedule", "<function"),
    (CosineRestarts, (0.1, 0), "first_cycle_steps", "0"),
    (CosineRestarts, (0.1, 10, 0.2), "min_learning_rate", "0.2"),
    (CosineRestarts, (0.1, 10, 0.0, 0.5), "cycle_mult", "0.5"),
    (CosineRestarts, (0.1, 10, 0.0, 1.0005), "cycle_mult", "1.0005"),
    (CosineRestarts, (0.1, 10, 0.0, 1.0, 1.5), "peak_decay", "1.5"),
    (CosineRestarts, (0.1, 10, 0.0, 1.0, 1.0, 10), "warmup_steps", "10"),
    (CosineRestarts, (INF, 10), "peak_learning_rate", "inf"),
    (CosineRestarts, (-0.1, 10), "peak_learning_rate", "-0.1"),
    (OneCycle, (0.1, 0), "total_steps", "0"),
    (OneCycle, (0.1, 100, 30), "pct_start", "30"),
    (OneCycle, (0.1, 100, 0.005), "pct_start", "0.005"),
    (OneCycle, (0.1, 100, 0.6, 25.0, 1e4, "cos", True), "pct_start", "0.6"),
    (OneCycle, (0.1, 100, 0.3, 0.5), "div_factor", "0.5"),
    (OneCycle, (0.1, 100, 0.3, 25.0, NAN), "final_div_factor", "nan"),
    (OneCycle, (0.1, 100, 0.3, 25.0, 1e4, "cosine"), "anneal_strategy", "cosine"),
    (OneCycle, (0.1, 100, 0.3, 25.0, 1e4, "cos", 1), "three_phase", "1"),
    (CyclicLR, (0.2, 0.1), "base_learning_rate", "0.2"),
    (CyclicLR, (0.01, 0.1, 0), "step_size_up", "0"),
    (CyclicLR, (0.01, 0.1, 10, -1), "step_size_down", "-1"),
    (CyclicLR, (0.01, 0.1, 10, None, "sawtooth"), "mode", "sawtooth"),
    (CyclicLR, (0.01, 0.1, 10, None, "exp_range", 1.01), "gamma", "1.01"),
    (WarmupStableDecay, (0.1, -1, 10, 10), "warmup_steps", "-1"),
    (WarmupStableDecay, (0.1, 10, -1, 10), "stable_steps", "-1"),
    (WarmupStableDecay, (0.1, 10, 10, 0), "decay_steps", "0"),
    (WarmupStableDecay, (0.1, 10, 10, 10, 0.5), "min_learning_rate", "0.5"),
    (WarmupStableDecay, (0.1, 10, 10, 10, 0.0, "sqrt"), "decay_shape", "sqrt"),
    (WarmupStableDecay, (True, 10, 10, 10), "peak_learning_rate", "True"),
    (Join, ([DECAY, DECAY], [10, 20]), "schedules", "with 2 schedules"),
    (Join, ([DECAY, DECAY, DECAY], [20, 20]), "boundaries[1]", "20"),
    (Join, ([DECAY, DECAY, DECAY], [20, 10]), "boundaries[1]", "10"),
    (Join, ([DECAY, DECAY], [0]), "boundaries[0]", "0"),
    (Join, ([DECAY, 0.1], [5]), "schedules[1]", "0.1"),
    (PerEpoch, ([], 10), "schedule_or_values", "[]"),
    (PerEpoch, ([0.1, -0.1], 10), "schedule_or_values[1]", "-0.1"),
    (PerEpoch, ("0.1", 10), "schedule_or_values", "0.1"),
    (PerEpoch, ([0.1], 0), "steps_per_epoch", "0"),
    (PerEpoch, ([0.1], 10, "yes"), "smooth", "yes"),
    (warmup_cosine_decay, (0.0, 10, 100), "peak_learning_rate", "0.0"),
    (warmup_cosine_decay, (0.1, 10, 0), "decay_steps", "0"),
    (warmup_cosine_decay, (0.1, 10, 100, 0.2), "min_learning_rate", "0.2"),
]


@pytest.mark.parametrize(
    "constructor, args, name, value",
    BAD,
    ids=[f"{c.__name__}-{name}-{value}" for c, _, name, value in BAD],
)
def test_bad_argument_is_named_with_its_value(constructor, args, name, value):
    pattern = rf"Argument `{re.escape(name)}` must .*Received: .*{re.escape(value)}"
    with pytest.raises(ValueError, match=pattern):
        constructor(*args)
