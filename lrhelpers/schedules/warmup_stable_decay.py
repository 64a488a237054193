"""Warmup-stable-decay ("trapezoidal") schedule."""

import keras
from keras import ops

from .. import _checks
from ._steps import cosine_tail

# Each shape as a function of the fraction of the decay that remains, q = 1 - p,
# written so that it keeps float32 relative precision down to the last step.
_SHAPES = {
    "linear": lambda q: q,  # 1 - p
    "cosine": cosine_tail,  # (1 + cos(pi * p)) / 2
    "1-sqrt": lambda q: q / (1.0 + ops.sqrt(1.0 - q)),  # 1 - sqrt(p)
}


@keras.saving.register_keras_serializable(package="lrhelpers")
class WarmupStableDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warmup, a constant plateau, then a short cooldown to the floor.

    With ``W, S, D`` the warmup, stable and decay lengths::

        lr = min + (peak - min) * step / W         step < W
        lr = peak                                  W <= step < W + S
        lr = min + (peak - min) * f(p)             p = (step - W - S) / D <= 1
        lr = min                                   afterwards

    where the cooldown shape ``f`` is ``1 - p`` (``"linear"``),
    ``(1 + cos(pi * p)) / 2`` (``"cosine"``) or ``1 - sqrt(p)``
    (``"1-sqrt"``, Hägele et al. 2024). The warmup starts at the floor.

    Precision: float32 only; each shape is computed from the fraction of the
    decay that remains (``q``: ``q``, ``sin(pi / 2 * q)**2``, ``q / (1 +
    sqrt(1 - q))``), so the last steps keep their relative precision. Within
    1e-5 relative of the float64 formula up to 10**7 steps (exact steps in
    float32 up to 2**24).

    Args:
        peak_learning_rate: the plateau, >= 0.
        warmup_steps: >= 0.
        stable_steps: >= 0.
        decay_steps: > 0.
        min_learning_rate: the floor, 0 <= floor <= peak.
        decay_shape: ``"linear"``, ``"cosine"`` or ``"1-sqrt"``.

    Example:
        >>> schedule = WarmupStableDecay(0.1, 10, 80, 10, decay_shape="1-sqrt")
        >>> lr_values(schedule, [0, 5, 10, 90, 92.5, 100, 200]).round(4)
        array([0.  , 0.05, 0.1 , 0.1 , 0.05, 0.  , 0.  ], dtype=float32)
    """

    def __init__(
        self,
        peak_learning_rate,
        warmup_steps,
        stable_steps,
        decay_steps,
        min_learning_rate=0.0,
        decay_shape="linear",
    ):
        self.peak_learning_rate = _checks.non_negative(
            "peak_learning_rate", peak_learning_rate
        )
        self.warmup_steps = _checks.non_negative("warmup_steps", warmup_steps)
        self.stable_steps = _checks.non_negative("stable_steps", stable_steps)
        self.decay_steps = _checks.positive("decay_steps", decay_steps)
        self.min_learning_rate = _checks.at_most(
            "min_learning_rate",
            _checks.non_negative("min_learning_rate", min_learning_rate),
            self.peak_learning_rate,
            "peak_learning_rate",
        )
        self.decay_shape = _checks.choice("decay_shape", decay_shape, tuple(_SHAPES))

    def __call__(self, step):
        step = ops.cast(step, "float32")  # exact up to 2**24 steps
        decay_end = self.warmup_steps + self.stable_steps + self.decay_steps
        # The steps left of the decay, as a fraction of it: 1 until it starts, 0 at its end.
        remaining = ops.clip((decay_end - step) / self.decay_steps, 0.0, 1.0)
        factor = _SHAPES[self.decay_shape](remaining)
        if self.warmup_steps:  # each phase's factor is 1 outside it: the smaller one rules
            factor = ops.minimum(ops.clip(step / self.warmup_steps, 0.0, 1.0), factor)
        floor = self.min_learning_rate
        lr = (self.peak_learning_rate - floor) * factor
        return lr + floor if floor else lr

    def get_config(self):
        return {
            "peak_learning_rate": self.peak_learning_rate,
            "warmup_steps": self.warmup_steps,
            "stable_steps": self.stable_steps,
            "decay_steps": self.decay_steps,
            "min_learning_rate": self.min_learning_rate,
            "decay_shape": self.decay_shape,
        }
