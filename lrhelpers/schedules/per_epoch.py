"""A schedule defined in epochs, applied per optimizer step."""

import keras
import numpy as np
from keras import ops

from .. import _checks
from . import _steps


@keras.saving.register_keras_serializable(package="lrhelpers")
class PerEpoch(keras.optimizers.schedules.LearningRateSchedule):
    """Evaluate an epoch-based schedule, or a list of per-epoch values, per step.

    ``epoch = step // steps_per_epoch`` (``step / steps_per_epoch`` when
    ``smooth=True``)::

        lr = schedule(epoch)                  a schedule
        lr = values[min(epoch, len - 1)]      a list, smooth=False
        lr = linear interpolation of values   a list, smooth=True

    so the optimizer, which only knows steps, follows a curve written in
    epochs without a callback. After the list ends its last value holds.

    Precision: ``step // steps_per_epoch`` is integer arithmetic for integer
    steps and an integer ``steps_per_epoch`` (exact at any step); the smooth
    epoch is float32 (within 1e-5 relative of float64 up to 10**7 steps).
    No float64 on any backend.

    Args:
        schedule_or_values: a ``LearningRateSchedule`` of the epoch, or a
            non-empty list of learning rates (>= 0), one per epoch.
        steps_per_epoch: > 0.
        smooth: use the fractional epoch instead of whole epochs.

    Example:
        >>> schedule = PerEpoch([0.1, 0.05, 0.01], steps_per_epoch=100)
        >>> lr_values(schedule, [0, 99, 100, 250, 1000])
        array([0.1 , 0.1 , 0.05, 0.01, 0.01], dtype=float32)
    """

    def __init__(self, schedule_or_values, steps_per_epoch, smooth=False):
        if isinstance(schedule_or_values, (list, tuple)) and schedule_or_values:
            schedule_or_values = [
                float(_checks.non_negative(f"schedule_or_values[{k}]", v))
                for k, v in enumerate(schedule_or_values)
            ]
        elif not isinstance(
            schedule_or_values, keras.optimizers.schedules.LearningRateSchedule
        ):
            raise ValueError(
                "Argument `schedule_or_values` must be a LearningRateSchedule or a "
                "non-empty list of learning rates. "
                f"Received: schedule_or_values={schedule_or_values}"
            )
        self.schedule_or_values = schedule_or_values
        self.steps_per_epoch = _checks.positive("steps_per_epoch", steps_per_epoch)
        self.smooth = _checks.boolean("smooth", smooth)
        if isinstance(schedule_or_values, list):
            values = np.array(schedule_or_values, dtype=np.float64)
            self._values = values.astype(np.float32)
            # (value, slope to the next value) of every epoch; the last one holds
            slopes = np.append(np.diff(values), 0.0)
            self._segments = np.stack([values, slopes], axis=-1).astype(np.float32)

    def __call__(self, step):
        step = _steps.standardize(step)
        if self.smooth:
            epoch = ops.cast(step, "float32") / self.steps_per_epoch
        else:
            epoch = _steps.floor_divide(step, self.steps_per_epoch)
        if not isinstance(self.schedule_or_values, list):
            return ops.cast(self.schedule_or_values(epoch), "float32")
        last = len(self.schedule_or_values) - 1
        if not self.smooth:
            if "int" in keras.backend.standardize_dtype(epoch.dtype):
                index = ops.clip(epoch, _steps.same_integer(epoch, 0), _steps.same_integer(epoch, last))
            else:
                index = ops.cast(ops.clip(epoch, 0.0, float(last)), "int32")
            return ops.take(self._values, index)
        epoch = ops.clip(epoch, 0.0, last)
        whole = ops.floor(epoch)
        low, slope = ops.unstack(ops.take(self._segments, ops.cast(whole, "int32"), axis=0), axis=-1)
        return low + slope * (epoch - whole)

    def get_config(self):
        values = self.schedule_or_values
        if isinstance(values, list):
            values = list(values)  # a copy: editing the config leaves self alone
        else:
            values = keras.saving.serialize_keras_object(values)
        return {
            "schedule_or_values": values,
            "steps_per_epoch": self.steps_per_epoch,
            "smooth": self.smooth,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config["schedule_or_values"], dict):
            config["schedule_or_values"] = keras.saving.deserialize_keras_object(
                config["schedule_or_values"]
            )
        return cls(**config)
