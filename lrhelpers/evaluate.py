"""Evaluate a learning-rate schedule over many steps at once."""

import numbers

import numpy as np
from keras import ops


def lr_values(schedule, steps):
    """Return the learning rate of ``schedule`` at every step of ``steps``.

    The whole array of steps goes through the schedule in one vectorised call,
    ``schedule(steps)``, so evaluating a million steps takes milliseconds
    instead of the minutes a Python loop over ``schedule(step)`` needs. A
    schedule that only accepts scalar steps (Keras' ``CosineDecay`` with
    warmup branches with ``ops.cond``) is mapped over the steps with
    ``keras.ops.vectorized_map``, which is still a single traced call.

    Args:
        schedule: a ``keras.optimizers.schedules.LearningRateSchedule``, any
            callable of the step, or a constant learning rate (a number).
        steps: an int or float array-like of optimizer steps, of any shape.

    Returns:
        A NumPy array with the shape of ``steps``: ``lr[i] = schedule(steps[i])``.

    Example:
        >>> decay = keras.optimizers.schedules.ExponentialDecay(0.1, 50, 0.1, staircase=True)
        >>> lr_values(decay, [0, 49, 50, 100])
        array([0.1  , 0.1  , 0.01 , 0.001], dtype=float32)
    """
    steps = np.asarray(steps)
    if steps.dtype.kind not in "iuf":
        raise ValueError(
            "Argument `steps` must hold integer or float step numbers. "
            f"Received: steps with dtype={steps.dtype}"
        )
    if isinstance(schedule, numbers.Real) and not isinstance(schedule, bool):
        return np.full(steps.shape, schedule, dtype=np.float32)
    if not callable(schedule):
        raise ValueError(
            "Argument `schedule` must be a LearningRateSchedule, a callable of "
            f"the step or a number. Received: schedule={schedule!r}"
        )
    tensor = ops.convert_to_tensor(steps)
    try:
        values = schedule(tensor)
    except (ValueError, TypeError) as vector_error:
        try:
            values = ops.vectorized_map(schedule, ops.reshape(tensor, (-1,)))
        except Exception:
            raise vector_error from None
    values = np.asarray(ops.convert_to_numpy(values))
    if values.size == 1:  # a schedule that ignores the step returns one value
        return np.full(steps.shape, values.item(), dtype=values.dtype)
    return values.reshape(steps.shape)
