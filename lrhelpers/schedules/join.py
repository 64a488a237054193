"""Run schedules one after the other (optax ``join_schedules``)."""

import keras
from keras import ops

from .. import _checks
from . import _steps


@keras.saving.register_keras_serializable(package="lrhelpers")
class Join(keras.optimizers.schedules.LearningRateSchedule):
    """Schedule ``k`` runs from ``boundaries[k-1]`` and sees ``step - boundaries[k-1]``.

    The semantics of optax's ``join_schedules``::

        lr = schedules[0](step)               step < b[0]
        lr = schedules[k](step - b[k - 1])    b[k - 1] <= step < b[k]   (b = boundaries)

    Integer steps and integer boundaries stay integers (``step - b`` is
    exact at any step), so each schedule keeps its own precision; no
    float64 is used. Adds 4 graph ops per boundary to the schedules' own.

    Args:
        schedules: ``LearningRateSchedule`` instances, one more than
            ``boundaries``.
        boundaries: strictly increasing steps > 0 where the next schedule
            takes over.

    Example:
        >>> warmup = keras.optimizers.schedules.PolynomialDecay(0.0, 10, 0.1)
        >>> decay = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
        >>> lr_values(Join([warmup, decay], [10]), [0, 5, 10, 20, 30])
        array([0.   , 0.05 , 0.1  , 0.05 , 0.025], dtype=float32)
    """

    def __init__(self, schedules, boundaries):
        schedules, boundaries = list(schedules), list(boundaries)
        if len(schedules) != len(boundaries) + 1:
            raise ValueError(
                "Argument `schedules` must hold one more schedule than "
                f"`boundaries` has boundaries ({len(boundaries)}). "
                f"Received: schedules with {len(schedules)} schedules"
            )
        self.schedules = [
            _checks.schedule(f"schedules[{k}]", s) for k, s in enumerate(schedules)
        ]
        self.boundaries = [
            _checks.positive(f"boundaries[{k}]", b) for k, b in enumerate(boundaries)
        ]
        for k in range(1, len(self.boundaries)):
            _checks.greater(
                f"boundaries[{k}]",
                self.boundaries[k],
                self.boundaries[k - 1],
                f"boundaries[{k - 1}]",
            )

    def __call__(self, step):
        step = _steps.standardize(step)
        lr = ops.cast(self.schedules[0](step), "float32")
        for boundary, schedule in zip(self.boundaries, self.schedules[1:]):
            # Whole steps stay whole steps for the later schedule.
            later = schedule(ops.relu(_steps.minus(step, boundary)))
            lr = ops.where(step < boundary, lr, ops.cast(later, "float32"))
        return lr

    def get_config(self):
        return {
            "schedules": [
                keras.saving.serialize_keras_object(s) for s in self.schedules
            ],
            "boundaries": list(self.boundaries),
        }

    @classmethod
    def from_config(cls, config):
        schedules = [
            keras.saving.deserialize_keras_object(s) for s in config["schedules"]
        ]
        return cls(schedules, config["boundaries"])
