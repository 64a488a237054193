"""A schedule times a scale held in a variable, which callbacks can lower during training."""

import keras
import numpy as np
from keras import ops

# Keras 3.15 has no public name for the base class that its saving walk
# (keras/src/saving/saving_lib.py, `_save_state`/`_load_state`) recognises: an
# object of it reached from a model gets its `save_own_variables` and
# `load_own_variables` called by `save_weights`, `load_weights`, `.keras` files
# and `BackupAndRestore`.
from keras.src.saving.keras_saveable import KerasSaveable

from .. import _checks
from .._optimizer import _inner, value_of

# The optimizer attribute through which the saving walk reaches a Scaled schedule.
# The walk skips every attribute that a plain Keras optimizer has (`_learning_rate`
# among them, in Keras 3.15), so the schedule needs a name of its own there.
_OPTIMIZER_ATTRIBUTE = "_lrhelpers_scaled"


@keras.saving.register_keras_serializable(package="lrhelpers")
class Scaled(keras.optimizers.schedules.LearningRateSchedule, KerasSaveable):
    """Multiply any schedule by a scale that can change during training::

        lr = scale * schedule(step)

    ``scale`` is a float32 ``keras.Variable`` (the attribute ``scale``). The
    compiled train step reads the variable, so ``schedule.scale.assign(0.5)``
    between two batches or epochs takes effect at the next step without
    retracing, on the TensorFlow and PyTorch backends. (On JAX the compiled
    step holds the value it was traced with: call
    ``model.make_train_function(force=True)`` after assigning;
    :class:`lrhelpers.ReduceLROnPlateau` does.)

    What saving keeps:

    - ``get_config`` stores the current scale, so a model saved to ``.keras``
      and loaded again continues with the scale it had.
    - ``model.save_weights``/``load_weights`` and
      ``keras.callbacks.BackupAndRestore`` store weights and optimizer
      variables, and the scale is neither. They keep it once the optimizer
      carries the schedule: :meth:`attach_to` (which
      :class:`lrhelpers.ReduceLROnPlateau` calls when ``fit`` starts, before
      ``BackupAndRestore`` restores a backup) puts the schedule on the
      optimizer, and Keras' saving walk then writes the scale into the
      weights file (group ``optimizer/_lrhelpers_scaled``) and reads it back,
      without adding an optimizer variable. (The walk skips the optimizer's
      ``_learning_rate``, hence the second attribute; it recognises
      ``Scaled`` as a ``KerasSaveable``, a base class with no public name,
      from keras/src/saving/keras_saveable.py, Keras 3.15.) A model that
      loads weights before any ``fit`` needs ``attach_to(model.optimizer)``
      first. A file without the scale (a plain schedule, or saved before the
      optimizer carried it) leaves the scale as it is; a file with the scale
      loads into an optimizer without ``Scaled``, which ignores it. On JAX, retrace a
      train step that has run already (``model.make_train_function(force=True)``)
      after loading.

    This is how a plateau rule and a schedule combine: Keras'
    ``ReduceLROnPlateau`` cannot set the learning rate of an optimizer built
    with a schedule, while :class:`lrhelpers.ReduceLROnPlateau` lowers the
    scale of a ``Scaled`` one.

    Precision: the product is one float32 multiplication of the scale and the
    schedule's float32 value, within 2**-24 (6e-8) relative of their exact
    product. Saving stores the float32 scale exactly.

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

    # -- saving with the optimizer's state ----------------------------------------------

    def attach_to(self, optimizer):
        """Make ``optimizer``'s saved state (weights files, backups) carry this scale.

        Args:
            optimizer: the Keras optimizer built with this schedule (a
                ``LossScaleOptimizer`` is looked through to its inner one).
        """
        inner = _inner(optimizer)
        if getattr(inner, "_learning_rate", None) is not self:
            raise ValueError(
                "Argument `optimizer` must be the optimizer built with this Scaled schedule. "
                f"Received: optimizer={type(optimizer).__name__} with learning_rate="
                f"{type(getattr(inner, '_learning_rate', None)).__name__}"
            )
        setattr(inner, _OPTIMIZER_ATTRIBUTE, self)

    def save_own_variables(self, store):
        """Called by Keras' saving walk: write the scale into the weights store."""
        store["scale"] = np.float32(value_of(self.scale))

    def load_own_variables(self, store):
        """Called by Keras' saving walk: read the scale back, if the file has it."""
        if "scale" in store:
            self.scale.assign(np.float32(store["scale"]))

    def _obj_type(self):
        # The saving walk needs one of the kinds it knows to choose which attributes it
        # skips; a Loss's (name, reduction, call, get_config...) hides none of ours.
        return "Loss"

    # KerasSaveable pickles (and so deep-copies) an object by writing a .keras file and
    # loading it, which fails for a wrapped schedule that is not registered: a schedule is
    # pickled as a plain Python object, as before.
    __reduce__ = object.__reduce__
