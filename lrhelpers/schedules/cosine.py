"""Single-cycle warmup + cosine decay, as a configured Keras ``CosineDecay``."""

import keras

from .. import _checks


def warmup_cosine_decay(
    peak_learning_rate, warmup_steps, decay_steps, min_learning_rate=0.0
):
    """Linear warmup from the floor to the peak, then a half cosine to the floor.

    Keras' ``CosineDecay`` already draws this curve; this sets its arguments
    from the numbers people think in (peak and floor rather than ``alpha``)::

        lr = min + (peak - min) * step / W                          step < W
        lr = min + (peak - min) * (1 + cos(pi * (step - W) / D)) / 2  step < W + D
        lr = min                                                    afterwards

    Unlike the other schedules of ``lrhelpers.schedules``, the result is Keras'
    own ``CosineDecay``, which chooses between warmup and decay with
    ``ops.cond`` and so takes a scalar step only. That is all an optimizer
    passes it, and ``lrhelpers.lr_values`` maps it over an array of steps
    with ``keras.ops.vectorized_map``. To call one schedule on a tensor of
    steps of any shape, use the vectorised equivalent
    ``WarmupStableDecay(peak, W, 0, D, min, "cosine")``, which gives the same
    values to float32 rounding.

    Args:
        peak_learning_rate: > 0.
        warmup_steps: ``W``, >= 0.
        decay_steps: ``D``, the steps after the warmup, > 0.
        min_learning_rate: the floor, 0 <= floor <= peak.

    Returns:
        A ``keras.optimizers.schedules.CosineDecay``.

    Example:
        >>> schedule = warmup_cosine_decay(0.1, 10, 90, min_learning_rate=0.01)
        >>> [round(float(schedule(step)), 4) for step in (0, 5, 10, 55, 100)]
        [0.01, 0.055, 0.1, 0.055, 0.01]
    """
    # CosineDecay computes in the dtype of its arguments: Python ints would
    # make it work in int32, so the learning rates go to it as floats.
    peak = float(_checks.positive("peak_learning_rate", peak_learning_rate))
    floor = float(
        _checks.at_most(
            "min_learning_rate",
            _checks.non_negative("min_learning_rate", min_learning_rate),
            peak,
            "peak_learning_rate",
        )
    )
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=floor,
        decay_steps=_checks.positive("decay_steps", decay_steps),
        alpha=floor / peak,
        warmup_target=peak,
        warmup_steps=_checks.non_negative("warmup_steps", warmup_steps),
    )
