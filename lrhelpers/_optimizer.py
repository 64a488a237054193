"""What an optimizer's learning rate is: a schedule, a settable variable, or neither."""

import keras


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

