"""A callback that records, and optionally prints, the learning rate per batch."""

import keras
import numpy as np

from .evaluate import lr_values


def _schedule_of(optimizer):
    """The optimizer's LearningRateSchedule, or None when its LR is a plain value."""
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # LossScaleOptimizer
    schedule = getattr(optimizer, "_learning_rate", None)
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        return schedule
    return None


class LearningRateLogger(keras.callbacks.Callback):
    """Record the learning rate every training batch was trained with.

    At the start of each batch the callback notes the optimizer's global step
    (``optimizer.iterations``); at its end, the steps that batch covered (more
    than one with ``steps_per_execution > 1``) are recorded with the learning
    rate each was trained with: the schedule's value at that step, or, for a
    plain learning rate, the value read before the update. Because the step is
    the optimizer's own counter, records continue correctly across several
    ``fit`` calls.

    With ``print_every=N`` it also prints ``iteration  lr`` whenever the global
    step reaches a multiple of N: ``iteration`` is the number of updates done
    so far and ``lr`` the learning rate the *next* update will use (that is
    what ``optimizer.learning_rate`` returns at the end of a batch).

    Args:
        print_every: print every N steps; None (default) prints nothing.
        digits: significant digits of the printed learning rates.

    Attributes:
        steps: NumPy int array of the recorded optimizer steps.
        learning_rates: NumPy float array, the learning rate of each step.

    Example:
        >>> logger = LearningRateLogger(print_every=10)
        >>> model.fit(x, y, epochs=1, callbacks=[logger], verbose=0)
        >>> logger.learning_rates[:3]
    """

    def __init__(self, print_every=None, digits=6):
        super().__init__()
        if print_every is not None and (
            isinstance(print_every, bool) or not isinstance(print_every, int) or print_every <= 0
        ):
            raise ValueError(
                "Argument `print_every` must be a positive integer or None. "
                f"Received: print_every={print_every!r}"
            )
        if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 17:
            raise ValueError(
                f"Argument `digits` must be an integer from 1 to 17. Received: digits={digits!r}"
            )
        self.print_every = print_every
        self.digits = digits
        self._steps = []
        self._learning_rates = []
        self._header_printed = False

    @property
    def steps(self):
        return np.asarray(self._steps, dtype=np.int64)

    @property
    def learning_rates(self):
        return np.asarray(self._learning_rates, dtype=np.float64)

    def on_train_batch_begin(self, batch, logs=None):
        optimizer = self.model.optimizer
        self._first_step = int(optimizer.iterations)
        self._lr_before_update = float(optimizer.learning_rate)

    def on_train_batch_end(self, batch, logs=None):
        optimizer = self.model.optimizer
        end = int(optimizer.iterations)
        covered = np.arange(self._first_step, end)
        schedule = _schedule_of(optimizer)
        if schedule is None:
            trained_with = np.full(covered.shape, self._lr_before_update)
        else:
            trained_with = lr_values(schedule, covered)
        self._steps.extend(int(s) for s in covered)
        self._learning_rates.extend(float(v) for v in trained_with)
        if self.print_every is not None:
            self._print_reached(covered + 1, schedule, optimizer)

    def _print_reached(self, iterations, schedule, optimizer):
        due = iterations[iterations % self.print_every == 0]
        if due.size == 0:
            return
        if schedule is None:
            upcoming = np.full(due.shape, float(optimizer.learning_rate))
        else:
            upcoming = lr_values(schedule, due)
        if not self._header_printed:
            print("iteration  lr")
            self._header_printed = True
        for iteration, lr in zip(due, upcoming):
            print(f"{int(iteration):>9d}  {float(lr):.{self.digits}g}")
