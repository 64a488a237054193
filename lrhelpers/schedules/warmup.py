"""Prefix warmup for any learning-rate schedule."""

import math

import keras
from keras import ops

from .. import _checks
from . import _steps


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

    ``target`` is evaluated once, when the Warmup is built. The wrapped
    schedule sees integer steps as integers (``step - W`` in integer
    arithmetic for an integer ``W``), so its own exactness (restarts of a
    ``CosineRestarts``) is kept. The ramp is float32: within 1e-5 relative
    of the float64 formula up to 10**7 steps, with no float64 on any backend.

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
        # schedule(0), evaluated once here rather than at every step.
        self._target = float(self.schedule(0))

    def __call__(self, step):
        step = _steps.standardize(step)
        # The wrapped schedule sees whole steps as whole steps (its restarts stay exact).
        after = self.schedule(ops.relu(_steps.minus(step, self.warmup_steps)))
        fraction = ops.cast(step, "float32") / self.warmup_steps
        start, target = self.initial_learning_rate, self._target
        if self.mode == "linear":
            ramp = (target - start) * fraction
            ramp = ramp + start if start else ramp
        else:  # start * (target / start)**fraction, the logarithm in float64
            ramp = start * ops.exp(fraction * math.log(target / start))
        return ops.where(fraction < 1.0, ramp, ops.cast(after, "float32"))

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
