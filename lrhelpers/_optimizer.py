"""What an optimizer's learning rate is, and where its step counters stand, on every backend.

Values are read with :func:`value_of`: ``int()``/``float()`` of a variable
fail under ``tf.distribute`` (a ``MirroredVariable`` is not a number).
"""

import keras
import numpy as np

from .evaluate import lr_values


def value_of(value):
    """A variable's or tensor's value as a NumPy scalar or array, on every backend and strategy.

    Not ``keras.ops.convert_to_numpy``: with NumPy 2 it goes through
    ``np.array(x)``, which warns (the ``__array__(copy=...)`` deprecation) for
    a TensorFlow variable and a torch tensor.
    """
    if isinstance(value, keras.Variable):
        value = value.value
    if hasattr(value, "detach"):  # a torch tensor
        return value.detach().cpu().numpy()
    if hasattr(value, "numpy"):  # a TensorFlow tensor or variable (a MirroredVariable too)
        return value.numpy()
    return keras.ops.convert_to_numpy(value)  # a JAX array, a NumPy value, a Python number


def _inner(optimizer):
    """The optimizer that holds the learning rate (a LossScaleOptimizer's inner one)."""
    return getattr(optimizer, "inner_optimizer", optimizer)


def schedule_of(optimizer):
    """The ``LearningRateSchedule`` the optimizer was built with, or None.

    None means the learning rate is a plain value (a variable) or a callable
    without arguments. A ``LossScaleOptimizer`` is looked through to its
    ``inner_optimizer``.
    """
    learning_rate = getattr(_inner(optimizer), "_learning_rate", None)
    if isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
        return learning_rate
    return None


def has_settable_learning_rate(optimizer):
    """True when the learning rate is a variable that ``optimizer.learning_rate = x`` assigns.

    False for a ``LearningRateSchedule`` or a callable learning rate, which are
    computed rather than stored. A ``LossScaleOptimizer`` is looked through to
    its ``inner_optimizer``.
    """
    return isinstance(getattr(_inner(optimizer), "_learning_rate", None), keras.Variable)


def accumulation_steps(optimizer):
    """Micro-batches per update: ``gradient_accumulation_steps``, or 1 without accumulation."""
    return int(getattr(_inner(optimizer), "gradient_accumulation_steps", None) or 1)


def micro_batch_counter(optimizer):
    """The optimizer's own step counter, ``optimizer._iterations``, as an int.

    It counts micro-batches: with ``gradient_accumulation_steps=k`` it grows by
    1 per batch and ``optimizer.iterations`` is ``_iterations // k`` (the
    updates); without accumulation the two are equal. Keras evaluates a
    schedule at this counter.
    """
    return int(value_of(_inner(optimizer)._iterations))


def set_micro_batch_counter(optimizer, value):
    """Assign the counter that :func:`micro_batch_counter` reads."""
    _inner(optimizer)._iterations.assign(value)


def next_update_step(micro_batches, k):
    """The micro-batch counter at which the next update is applied, from ``micro_batches`` on.

    Keras applies the update in the micro-batch where ``(counter + 1) % k == 0``
    and evaluates the schedule at that counter: update ``u`` applies
    ``schedule(k * u + k - 1)``.
    """
    return micro_batches + (k - 1 - micro_batches % k)


def current_learning_rate(optimizer):
    """``optimizer.learning_rate`` as a float (a plain or callable learning rate)."""
    return float(value_of(optimizer.learning_rate))


def schedule_values(schedule, steps):
    """``schedule`` at each integer step of ``steps``, as a 1-D NumPy array, warning-free on every backend.

    One step (what a callback needs at nearly every batch) is passed as a scalar, as the
    optimizer passes it: some Keras schedules do not take a vector of steps on every backend
    (PiecewiseConstantDecay on torch), and on JAX the scalar gives the same float32 as the
    compiled step. Several steps go through ``lrhelpers.lr_values`` in one call.
    """
    steps = np.asarray(steps, dtype=np.int64).reshape(-1)
    if steps.size == 0:
        return np.zeros(0)
    if steps.size == 1:
        return np.asarray(value_of(schedule(int(steps[0])))).reshape(1)
    return np.asarray(lr_values(schedule, steps))
