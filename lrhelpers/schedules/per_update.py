"""A schedule written in optimizer updates, for an optimizer that accumulates gradients."""

import keras
from keras import ops

from .. import _checks


@keras.saving.register_keras_serializable(package="lrhelpers")
class PerUpdate(keras.optimizers.schedules.LearningRateSchedule):
    """Evaluate ``schedule`` at the update count of a gradient-accumulating optimizer::

        lr = schedule(step // k)        k = gradient_accumulation_steps

    With ``gradient_accumulation_steps=k`` Keras 3 advances the optimizer's
    step counter once per micro-batch and evaluates the schedule at it: update
    ``u`` (0, 1, 2, ...) is applied at counter ``k * u + k - 1``, so a schedule
    written in updates runs k times too fast and every update uses the value
    of its last micro-batch. Wrapped in ``PerUpdate(schedule, k)``, update
    ``u`` applies ``schedule(u)``: ``decay_steps``, boundaries, warmup and
    cycle lengths count optimizer updates, as they do without accumulation.
    ``k`` must equal the optimizer's ``gradient_accumulation_steps``.

    The division is in integers (int32, steps up to 2**31 - 1), so it is exact
    on every backend; fractional steps are floored first.

    Args:
        schedule: the ``LearningRateSchedule`` of the update count.
        gradient_accumulation_steps: k, an integer >= 1 (1 changes nothing).

    Example:
        >>> per_update = keras.optimizers.schedules.ExponentialDecay(0.1, 1, 0.1, staircase=True)
        >>> lr_values(PerUpdate(per_update, 4), [3, 7, 11])  # the counters of updates 0, 1, 2
        array([0.1  , 0.01 , 0.001], dtype=float32)
    """

    def __init__(self, schedule, gradient_accumulation_steps):
        self.schedule = _checks.schedule("schedule", schedule)
        self.gradient_accumulation_steps = _checks.positive_integer(
            "gradient_accumulation_steps", gradient_accumulation_steps
        )

    def __call__(self, step):
        step = ops.convert_to_tensor(step)
        if "float" in str(step.dtype):
            step = ops.floor(step)
        update = ops.floor_divide(ops.cast(step, "int32"), self.gradient_accumulation_steps)
        return self.schedule(update)

    def get_config(self):
        return {
            "schedule": keras.saving.serialize_keras_object(self.schedule),
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["schedule"] = keras.saving.deserialize_keras_object(config["schedule"])
        return cls(**config)
