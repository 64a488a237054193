"""SGDR: cosine annealing with warm restarts, and an optional warmup per cycle."""

import math

import keras
from keras import ops

from .. import _checks


@keras.saving.register_keras_serializable(package="lrhelpers")
class CosineRestarts(keras.optimizers.schedules.LearningRateSchedule):
    """Cosine annealing with warm restarts (SGDR) and a warmup in every cycle.

    Cycle ``i`` starts at step ``T * (1 + m + ... + m**(i-1))`` and lasts
    ``T * m**i`` steps (``T = first_cycle_steps``, ``m = cycle_mult``). With
    ``t`` the fraction of the cycle done, ``w = warmup_steps / T``,
    ``peak_i = min + (peak - min) * peak_decay**i``::

        lr = min + (peak_i - min) * t / w                                   t < w
        lr = min + (peak_i - min) * (1 + cos(pi * (t - w) / (1 - w))) / 2   t >= w

    With ``warmup_steps=0`` this equals Keras' ``CosineDecayRestarts(peak, T,
    t_mul=m, m_mul=peak_decay, alpha=min / peak)`` and, with ``peak_decay=1``
    and an integer ``cycle_mult``, PyTorch's ``CosineAnnealingWarmRestarts(T,
    m, min)``, except that every restart happens at exactly the right step:
    the cycle index is computed in float64 and checked against the cycle's
    start, where Keras trusts a logarithm and restarts some cycles a step late
    (e.g. at step 327670 for ``t_mul=2``, or step 10 in float64 for ``t_mul=3``).

    Args:
        peak_learning_rate: learning rate at the top of the first cycle, >= 0.
        first_cycle_steps: length of the first cycle, > 0.
        min_learning_rate: the floor, 0 <= floor <= peak.
        cycle_mult: each cycle is this many times longer than the previous
            one, >= 1.
        peak_decay: each cycle's peak height above the floor is this fraction
            of the previous one, 0 < peak_decay <= 1.
        warmup_steps: linear warmup from the floor at the start of the first
            cycle (scaled by ``cycle_mult**i`` in cycle i),
            0 <= warmup_steps < first_cycle_steps.

    Example:
        >>> schedule = CosineRestarts(0.1, first_cycle_steps=10, cycle_mult=2.0)
        >>> lr_values(schedule, [0, 5, 9, 10, 20, 30]).round(4)
        array([0.1   , 0.05  , 0.0024, 0.1   , 0.05  , 0.1   ], dtype=float32)
    """

    def __init__(
        self,
        peak_learning_rate,
        first_cycle_steps,
        min_learning_rate=0.0,
        cycle_mult=1.0,
        peak_decay=1.0,
        warmup_steps=0,
    ):
        self.peak_learning_rate = _checks.non_negative(
            "peak_learning_rate", peak_learning_rate
        )
        self.first_cycle_steps = _checks.positive(
            "first_cycle_steps", first_cycle_steps
        )
        self.min_learning_rate = _checks.at_most(
            "min_learning_rate",
            _checks.non_negative("min_learning_rate", min_learning_rate),
            self.peak_learning_rate,
            "peak_learning_rate",
        )
        self.cycle_mult = _checks.at_least("cycle_mult", cycle_mult, 1)
        self.peak_decay = _checks.at_most(
            "peak_decay", _checks.positive("peak_decay", peak_decay), 1
        )
        self.warmup_steps = _checks.below(
            "warmup_steps",
            _checks.non_negative("warmup_steps", warmup_steps),
            self.first_cycle_steps,
            "first_cycle_steps",
        )

    def __call__(self, step):
        step = ops.cast(step, "float64")
        first, mult = self.first_cycle_steps, self.cycle_mult
        if mult == 1:
            cycle = ops.floor(step / first)
            start = first * cycle
        else:
            cycle = ops.floor(
                ops.log1p(step / first * (mult - 1)) / math.log1p(mult - 1)
            )
            # first * (1 + m + ... + m**(i-1)): exact for integer lengths and mult
            start = first * (ops.power(mult, cycle) - 1.0) / (mult - 1)
        end = first + mult * start  # the start of the next cycle
        # The float estimate of the cycle can be one off next to a restart: fix it.
        early, late = step < start, step >= end
        cycle = ops.where(early, cycle - 1, ops.where(late, cycle + 1, cycle))
        start, end = (
            ops.where(early, (start - first) / mult, ops.where(late, end, start)),
            ops.where(early, start, ops.where(late, first + mult * end, end)),
        )

        t = ops.clip((step - start) / (end - start), 0.0, 1.0)
        w = self.warmup_steps / first
        cosine = 0.5 * (1.0 + ops.cos(math.pi * (t - w) / (1.0 - w)))
        factor = ops.where(t < w, ops.divide_no_nan(t, w), cosine)
        floor = self.min_learning_rate
        decay = ops.exp(cycle * math.log(self.peak_decay))  # peak_decay**cycle
        height = (self.peak_learning_rate - floor) * decay
        return ops.cast(floor + height * factor, "float32")

    def get_config(self):
        return {
            "peak_learning_rate": self.peak_learning_rate,
            "first_cycle_steps": self.first_cycle_steps,
            "min_learning_rate": self.min_learning_rate,
            "cycle_mult": self.cycle_mult,
            "peak_decay": self.peak_decay,
            "warmup_steps": self.warmup_steps,
        }
