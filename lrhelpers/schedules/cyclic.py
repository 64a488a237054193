"""Cyclical learning rates, with the values of PyTorch's ``CyclicLR``."""

import math

import keras
from keras import ops

from .. import _checks


@keras.saving.register_keras_serializable(package="lrhelpers")
class CyclicLR(keras.optimizers.schedules.LearningRateSchedule):
    """Cyclical learning rate (Smith, 2017), step for step PyTorch's ``CyclicLR``.

    Each cycle rises linearly from ``base`` for ``step_size_up`` steps and
    falls back for ``step_size_down`` steps. With ``L = up + down``,
    ``cycle = floor(1 + step / L)`` and ``x = 1 + step / L - cycle``::

        scale = x / (up / L)                if x <= up / L
        scale = (x - 1) / (up / L - 1)      otherwise
        lr = base + (max - base) * scale * amplitude

    where ``amplitude`` is 1 (``"triangular"``), ``1 / 2**(cycle - 1)``
    (``"triangular2"``, halved every cycle) or ``gamma**step``
    (``"exp_range"``).

    Args:
        base_learning_rate: the floor, 0 <= base <= max.
        max_learning_rate: the top of the first cycle.
        step_size_up: steps from base to max, > 0.
        step_size_down: steps from max back to base, > 0; ``None`` means
            ``step_size_up``.
        mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"``.
        gamma: decay per step in ``"exp_range"``, 0 < gamma <= 1.

    Example:
        >>> schedule = CyclicLR(0.01, 0.1, step_size_up=10, mode="triangular2")
        >>> lr_values(schedule, [0, 5, 10, 20, 30, 40]).round(4)
        array([0.01 , 0.055, 0.1  , 0.01 , 0.055, 0.01 ], dtype=float32)
    """

    def __init__(
        self,
        base_learning_rate,
        max_learning_rate,
        step_size_up=2000,
        step_size_down=None,
        mode="triangular",
        gamma=1.0,
    ):
        self.max_learning_rate = _checks.non_negative(
            "max_learning_rate", max_learning_rate
        )
        self.base_learning_rate = _checks.at_most(
            "base_learning_rate",
            _checks.non_negative("base_learning_rate", base_learning_rate),
            self.max_learning_rate,
            "max_learning_rate",
        )
        self.step_size_up = _checks.positive("step_size_up", step_size_up)
        if step_size_down is not None:
            step_size_down = _checks.positive("step_size_down", step_size_down)
        self.step_size_down = step_size_down
        self.mode = _checks.choice(
            "mode", mode, ("triangular", "triangular2", "exp_range")
        )
        self.gamma = _checks.at_most("gamma", _checks.positive("gamma", gamma), 1)

    def __call__(self, step):
        step = ops.cast(step, "float64")
        down = self.step_size_up if self.step_size_down is None else self.step_size_down
        total = self.step_size_up + down
        ratio = self.step_size_up / total
        cycle = ops.floor(1.0 + step / total)
        x = 1.0 + step / total - cycle
        scale = ops.where(x <= ratio, x / ratio, (x - 1.0) / (ratio - 1.0))
        if self.mode == "triangular":
            amplitude = 1.0
        elif self.mode == "triangular2":
            amplitude = ops.exp((1.0 - cycle) * math.log(2.0))  # 1 / 2**(cycle - 1)
        else:
            amplitude = ops.exp(step * math.log(self.gamma))  # gamma**step
        height = (self.max_learning_rate - self.base_learning_rate) * scale
        return ops.cast(self.base_learning_rate + height * amplitude, "float32")

    def get_config(self):
        return {
            "base_learning_rate": self.base_learning_rate,
            "max_learning_rate": self.max_learning_rate,
            "step_size_up": self.step_size_up,
            "step_size_down": self.step_size_down,
            "mode": self.mode,
            "gamma": self.gamma,
        }
