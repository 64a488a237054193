"""The per-batch counterpart of keras.callbacks.LearningRateScheduler."""

import warnings

import keras
import numpy as np

from .._optimizer import (
    accumulation_steps,
    current_learning_rate,
    has_settable_learning_rate,
    micro_batch_counter,
    schedule_of,
)


class BatchLearningRateScheduler(keras.callbacks.Callback):
    """Set the learning rate before every training batch from a function of the step.

    ``keras.callbacks.LearningRateScheduler`` calls its function once per
    epoch, with the epoch index. This callback calls ``schedule(step, lr)``
    before every batch, where ``step`` is the optimizer's global step
    (``optimizer.iterations``: the number of updates done so far, which
    continues across epochs, ``fit`` calls and ``load_model``) and ``lr`` the
    current learning rate, and sets the learning rate of the coming batch to
    the value it returns. Without gradient accumulation ``schedule(step,
    lr)`` sees the same ``step`` a ``LearningRateSchedule`` object would be
    evaluated at for that update.

    With ``gradient_accumulation_steps=k`` a batch is a micro-batch: the
    function is called before each of them with the number of updates done
    so far (k times in a row with the same ``step``), and the rate set before
    the k-th micro-batch is the one its update applies. ``step`` counts
    updates, as it does without accumulation, where a ``LearningRateSchedule``
    object would see the micro-batch counter (see :class:`lrhelpers.PerUpdate`).

    The optimizer must have a plain (float) learning rate: one built with a
    ``LearningRateSchedule`` or a callable (``learning_rate=lambda: ...``)
    computes its rate and cannot be set, and the callback raises a
    ``TypeError`` at the start of ``fit``. With
    ``steps_per_execution=N > 1`` Keras runs N steps per callback call, so the
    rate can only change every N steps (``schedule`` is called with steps
    0, N, 2N, ...); the callback warns.

    When it is used with :class:`LearningRateLogger`, put the scheduler first
    in ``callbacks`` so that the logger reads the rate after it was set.

    Args:
        schedule: a function ``(step: int, lr: float) -> float``.

    Example:
        >>> warmup = BatchLearningRateScheduler(lambda step, lr: 0.1 * min(1.0, (step + 1) / 100))
        >>> model.fit(x, y, epochs=3, callbacks=[warmup, LearningRateLogger()])
    """

    def __init__(self, schedule):
        super().__init__()
        if not callable(schedule):
            raise ValueError(
                "Argument `schedule` must be a callable `(step, lr) -> float`. "
                f"Received: schedule={schedule!r}"
            )
        self.schedule = schedule

    def on_train_begin(self, logs=None):
        optimizer = self.model.optimizer
        schedule = schedule_of(optimizer)
        if schedule is not None:
            raise TypeError(
                "BatchLearningRateScheduler sets the optimizer's learning rate before every "
                f"batch, but this optimizer was built with the schedule {type(schedule).__name__}, "
                "which computes the rate from the step and cannot be set. Either compile with a "
                "float `learning_rate` and let the callback's function compute it, or drop the "
                "callback: the schedule object already changes the rate at every step."
            )
        if not has_settable_learning_rate(optimizer):
            inner = getattr(optimizer, "inner_optimizer", optimizer)
            raise TypeError(
                "BatchLearningRateScheduler sets the optimizer's learning rate before every "
                "batch, but this optimizer's learning rate is a "
                f"{type(getattr(inner, '_learning_rate', None)).__name__} (a callable "
                "learning rate), which is computed when it is read and cannot be set. "
                "Compile with a float `learning_rate` and let the callback's function "
                "compute it."
            )
        steps_per_execution = int(self.model.steps_per_execution)
        if steps_per_execution > 1:
            warnings.warn(
                f"BatchLearningRateScheduler: the model was compiled with "
                f"steps_per_execution={steps_per_execution}, so Keras calls the callback once "
                f"every {steps_per_execution} steps and the learning rate can only change every "
                f"{steps_per_execution} steps (the function is called with steps 0, "
                f"{steps_per_execution}, {2 * steps_per_execution}, ...). Use a "
                "LearningRateSchedule object to change it at every step.",
                stacklevel=2,
            )

    def on_train_batch_begin(self, batch, logs=None):
        optimizer = self.model.optimizer
        step = micro_batch_counter(optimizer) // accumulation_steps(optimizer)
        lr = self.schedule(step, current_learning_rate(optimizer))
        value = None if isinstance(lr, (bool, str, bytes)) or lr is None else np.asarray(lr)
        if value is None or value.shape != () or value.dtype.kind not in "iuf":
            raise ValueError(
                "The function passed to BatchLearningRateScheduler must return a float. "
                f"Received, at step {step}: {lr!r}"
            )
        optimizer.learning_rate = float(value)
