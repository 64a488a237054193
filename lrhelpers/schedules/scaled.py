"""A schedule times a scale held in a variable, which callbacks can lower during training."""

import keras
from keras import ops

from .. import _checks
from .._optimizer import value_of


@keras.saving.register_keras_serializable(package="lrhelpers")
class Scaled(keras.optimizers.schedules.LearningRateSchedule):
    """Multiply any schedule by a scale that can change during training::

        lr = scale * schedule(step)

    ``scale`` is a float32 ``keras.Variable`` (the attribute ``scale``). The
    compiled train step reads the variable, so ``schedule.scale.assign(0.5)``
    between two batches or epochs takes effect at the next step without
    retracing, on the TensorFlow and PyTorch backends. (On JAX the compiled
    step holds the value it was traced with: call
    ``model.make_train_function(force=True)`` after assigning;
    :class:`lrhelpers.ReduceLROnPlateau` does.) ``get_config`` stores the
    current scale, so a model saved to ``.keras`` and loaded again continues
    with the scale it had. (``keras.callbacks.BackupAndRestore`` saves
    weights and optimizer variables, not the schedule: a run restarted from
    a backup has the scale its code builds.)

    This is how a plateau rule and a schedule combine: Keras'
    ``ReduceLROnPlateau`` cannot set the learning rate of an optimizer built
    with a schedule, while :class:`lrhelpers.ReduceLROnPlateau` lowers the
    scale of a ``Scaled`` one.

    Precision: the product is one float32 multiplication of the scale and the
    schedule's float32 value, within 2**-24 (6e-8) relative of their exact
    product.

    Args:
        schedule: the ``LearningRateSchedule`` to scale.
        scale: the initial scale, a number >= 0.

    Example:
        >>> decay = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
        >>> scaled = Scaled(decay, scale=0.5)  # later: scaled.scale.assign(0.25)
        >>> lr_values(scaled, [0, 10, 20])
        array([0.05  , 0.025 , 0.0125], dtype=float32)
    """

    def __init__(self, schedule, scale=1.0):
        self.schedule = _checks.schedule("schedule", schedule)
        scale = _checks.non_negative("scale", scale)
        self.scale = keras.Variable(float(scale), dtype="float32", trainable=False, name="scale")

    def __call__(self, step):
        rate = ops.convert_to_tensor(self.schedule(step))
        return ops.cast(self.scale, rate.dtype) * rate

    def get_config(self):
        return {
            "schedule": keras.saving.serialize_keras_object(self.schedule),
            "scale": float(value_of(self.scale)),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["schedule"] = keras.saving.deserialize_keras_object(config["schedule"])
        return cls(**config)
