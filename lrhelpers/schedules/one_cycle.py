"""The one-cycle policy, with the values of PyTorch's ``OneCycleLR``."""

import keras
from keras import ops

from .. import _checks
from ._steps import cosine_tail


@keras.saving.register_keras_serializable(package="lrhelpers")
class OneCycle(keras.optimizers.schedules.LearningRateSchedule):
    """One-cycle learning rate (Smith & Topin), step for step PyTorch's ``OneCycleLR``.

    With ``N = total_steps``, ``start = max / div_factor`` and
    ``end = start / final_div_factor``, the learning rate anneals between
    these points (the phase ends are PyTorch's)::

        two phases:    start -> max   over steps 0 .. pct_start*N - 1
                       max   -> end   over steps .. N - 1
        three phases:  start -> max   over steps 0 .. pct_start*N - 1
                       max   -> start over steps .. 2*pct_start*N - 2
                       start -> end   over steps .. N - 1

    Within a phase from ``a`` to ``b`` at fraction ``p`` done, ``"cos"`` gives
    ``b + (a - b) * (1 + cos(pi * p)) / 2`` and ``"linear"`` gives
    ``a + (b - a) * p``. After step ``N - 1`` the final value ``end`` holds.

    Precision: float32 only (no float64 on any backend); each phase is
    computed from its lower end (``sin(pi / 2 * p)**2`` rather than ``1 +
    cos``), so small rates keep their relative precision. Within 1e-5
    relative of the float64 formula for every step up to 10**7 (steps are
    exact in float32 up to 2**24).

    Args:
        max_learning_rate: the peak, >= 0.
        total_steps: length of the cycle, > 0.
        pct_start: fraction of the cycle spent rising, 0 < pct_start < 1;
            each phase must end strictly after the one before it (the height
            after step 0), i.e. ``pct_start * N > 1`` and, with three phases,
            ``2 * (pct_start * N - 1) < N - 1``. A phase may be shorter than
            one step, as in PyTorch.
        div_factor: ``start = max_learning_rate / div_factor``, >= 1.
        final_div_factor: ``end = start / final_div_factor``, >= 1.
        anneal_strategy: ``"cos"`` or ``"linear"``.
        three_phase: come back down to ``start`` before the final anneal.

    Example:
        >>> schedule = OneCycle(0.1, total_steps=101, pct_start=0.5)
        >>> lr_values(schedule, [0, 25, 49.5, 100, 200]).round(4)
        array([0.004 , 0.0528, 0.1   , 0.    , 0.    ], dtype=float32)
    """

    def __init__(
        self,
        max_learning_rate,
        total_steps,
        pct_start=0.3,
        div_factor=25.0,
        final_div_factor=1e4,
        anneal_strategy="cos",
        three_phase=False,
    ):
        self.max_learning_rate = _checks.non_negative(
            "max_learning_rate", max_learning_rate
        )
        self.total_steps = _checks.positive("total_steps", total_steps)
        self.pct_start = _checks.below(
            "pct_start", _checks.positive("pct_start", pct_start), 1
        )
        self.div_factor = _checks.at_least("div_factor", div_factor, 1)
        self.final_div_factor = _checks.at_least(
            "final_div_factor", final_div_factor, 1
        )
        self.anneal_strategy = _checks.choice(
            "anneal_strategy", anneal_strategy, ("cos", "linear")
        )
        self.three_phase = _checks.boolean("three_phase", three_phase)

        height_end = self.pct_start * self.total_steps - 1
        start = self.max_learning_rate / self.div_factor
        end = start / self.final_div_factor
        # (step, learning rate) at the start of the cycle and at each phase end
        self._knots = [(0.0, start), (height_end, self.max_learning_rate)]
        if self.three_phase:
            self._knots.append((2 * height_end, start))
        self._knots.append((self.total_steps - 1, end))
        # (last step, the step at the lower end, signed length, lower value, height)
        self._phases = [
            (step_b, step_a, step_b - step_a, a, b - a) if a <= b
            else (step_b, step_b, step_a - step_b, b, a - b)
            for (step_a, a), (step_b, b) in zip(self._knots, self._knots[1:])
        ]
        ends = [knot[0] for knot in self._knots]
        if any(b <= a for a, b in zip(ends, ends[1:])):
            raise ValueError(
                "Argument `pct_start` must make each phase of the cycle end "
                "strictly after the previous one (the first after step 0); "
                f"the phases end at steps {ends[1:]} with "
                f"total_steps={self.total_steps}, three_phase={self.three_phase}. "
                f"Received: pct_start={self.pct_start}"
            )

    def __call__(self, step):
        # float32 steps: exact up to 2**24, and the phase ends are where they fall.
        step = ops.clip(ops.cast(step, "float32"), 0.0, self.total_steps - 1)
        # Each phase is written from its lower end, so that small rates keep their
        # relative precision: lr = low + (high - low) * shape(steps from the low end /
        # length), with the length negative when the phase falls. The phase's
        # constants are chosen from the last phase back.
        anchor, length, low, height = self._phases[-1][1:]
        for end, *phase in self._phases[-2::-1]:
            inside = step <= end
            anchor, length, low, height = (
                ops.where(inside, new, old)
                for new, old in zip(phase, (anchor, length, low, height))
            )
        fraction = (step - anchor) / length
        if self.anneal_strategy == "cos":
            fraction = cosine_tail(fraction)  # (1 - cos(pi * fraction)) / 2
        return low + height * fraction

    def get_config(self):
        return {
            "max_learning_rate": self.max_learning_rate,
            "total_steps": self.total_steps,
            "pct_start": self.pct_start,
            "div_factor": self.div_factor,
            "final_div_factor": self.final_div_factor,
            "anneal_strategy": self.anneal_strategy,
            "three_phase": self.three_phase,
        }
