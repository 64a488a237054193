"""Cyclical learning rates, with the values of PyTorch's ``CyclicLR``."""

import math

import keras
from keras import ops

from .. import _checks
from . import _steps


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

    Precision: for integer steps and integer step sizes the position in the
    cycle and the cycle number are integer arithmetic (exact at any step),
    the rest float32, with ``gamma**step`` as ``exp(step * log(gamma))`` and
    the logarithm taken in float64 once: within 1e-5 relative of the float64
    formula up to 10**7 steps on every backend. Non-integer step sizes or
    float steps: the position is float32 (an error of about ``step * 6e-8``).

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
        step = _steps.standardize(step)
        up = self.step_size_up
        down = up if self.step_size_down is None else self.step_size_down
        total = up + down
        if float(total).is_integer() and "int" in keras.backend.standardize_dtype(step.dtype):
            length = int(total)  # the position in the cycle in integers: exact
        else:
            step, length = ops.cast(step, "float32"), total
        into = ops.cast(step % length, "float32")
        cycle = step // length  # PyTorch's cycle - 1
        scale = ops.where(into <= up, into / up, (total - into) / down)
        height = self.max_learning_rate - self.base_learning_rate
        if self.mode == "triangular2":
            scale = scale * ops.power(0.5, ops.cast(cycle, "float32"))  # 1 / 2**(cycle - 1)
        elif self.mode == "exp_range":
            # gamma**step, with the logarithm in float64
            scale = scale * ops.exp(ops.cast(step, "float32") * math.log(self.gamma))
        return self.base_learning_rate + height * scale

    def get_config(self):
        return {
            "base_learning_rate": self.base_learning_rate,
            "max_learning_rate": self.max_learning_rate,
            "step_size_up": self.step_size_up,
            "step_size_down": self.step_size_down,
            "mode": self.mode,
            "gamma": self.gamma,
        }
