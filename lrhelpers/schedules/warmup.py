"""Prefix warmup for any learning-rate schedule."""

import keras
from keras import ops

from .. import _checks


@keras.saving.register_keras_serializable(package="lrhelpers")
class Warmup(keras.optimizers.schedules.LearningRateSchedule):
    """Ramp up to ``schedule(0)`` over ``warmup_steps``, then run ``schedule``.

    With ``target = schedule(0)`` and ``s = initial_learning_rate``::

        lr = s + (target - s) * step / W       step < W, mode "linear"
        lr = s * (target / s) ** (step / W)    step < W, mode "exponential"
        lr = schedule(step - W)                step >= W   (W = warmup_steps)

    ``Warmup(CosineDecay(P, D, alpha), W, s)`` equals Keras'
    ``CosineDecay(s, D, alpha, warmup_target=P, warmup_steps=W)``, but wraps
    any schedule and accepts a whole tensor of steps at once.

    Args:
        schedule: the ``LearningRateSchedule`` to warm up into.
        warmup_steps: length of the warmup, > 0.
        initial_learning_rate: learning rate at step 0, >= 0 (> 0 for
            ``"exponential"``, a geometric ramp).
        mode: ``"linear"`` or ``"exponential"``.

    Example:
        >>> decay = keras.optimizers.schedules.CosineDecay(0.1, decay_steps=900)
        >>> lr_values(Warmup(decay, warmup_steps=100), [0, 50, 100, 550, 1000])
        array([0.  , 0.05, 0.1 , 0.05, 0.  ], dtype=float32)
    """

    def __init__(
        self, schedule, warmup_steps, initial_learning_rate=0.0, mode="linear"
    ):
        self.schedule = _checks.schedule("schedule", schedule)
        self.warmup_steps = _checks.positive("warmup_steps", warmup_steps)
        self.mode = _checks.choice("mode", mode, ("linear", "exponential"))
        check = _checks.positive if mode == "exponential" else _checks.non_negative
        self.initial_learning_rate = check(
            "initial_learning_rate", initial_learning_rate
        )

    def __call__(self, step):
        step = ops.cast(step, "float64")
        start = self.initial_learning_rate
        target = ops.cast(self.schedule(ops.zeros((), "float64")), "float64")
        fraction = step / self.warmup_steps
        if self.mode == "linear":
            ramp = start + (target - start) * fraction
        else:
            ramp = start * ops.power(target / start, fraction)
        after = self.schedule(ops.maximum(step - self.warmup_steps, 0.0))
        after = ops.cast(after, "float64")
        return ops.cast(ops.where(step < self.warmup_steps, ramp, after), "float32")

    def get_config(self):
        return {
            "schedule": keras.saving.serialize_keras_object(self.schedule),
            "warmup_steps": self.warmup_steps,
            "initial_learning_rate": self.initial_learning_rate,
            "mode": self.mode,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["schedule"] = keras.saving.deserialize_keras_object(config["schedule"])
        return cls(**config)
