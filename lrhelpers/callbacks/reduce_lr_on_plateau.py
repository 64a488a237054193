"""Keras' ReduceLROnPlateau, also for an optimizer built with a schedule wrapped in Scaled."""

import warnings

import keras
import numpy as np
from keras import ops

from .. import _checks
from .._optimizer import (
    _inner,
    accumulation_steps,
    current_learning_rate,
    has_settable_learning_rate,
    micro_batch_counter,
    next_update_step,
    schedule_of,
    schedule_values,
    value_of,
)
from ..schedules.scaled import Scaled


class ReduceLROnPlateau(keras.callbacks.Callback):
    """Reduce the learning rate when a metric has stopped improving, with or without a schedule.

    The arguments, the plateau rule (``patience``, ``min_delta``,
    ``cooldown``, ``mode``), the ``learning_rate`` it adds to the epoch logs
    and the ``verbose`` messages are those of
    ``keras.callbacks.ReduceLROnPlateau`` (Keras 3.15). What it reduces
    depends on the optimizer's learning rate:

    - a float: exactly as Keras does, ``lr = max(lr * factor, min_lr)``,
      only while ``lr > min_lr``;
    - a :class:`lrhelpers.Scaled` schedule: the scale, so the schedule keeps
      its shape and every later step applies ``scale * schedule(step)``.
      ``min_lr`` bounds the rate the next update applies, ``r =
      schedule(s)`` at its step ``s``: ``scale = max(scale * factor, min_lr /
      r)``, only while ``scale * r > min_lr``. (The schedule may itself go
      lower later: the plateau rule never pushes it below ``min_lr``, the
      schedule's own decay can.) The epoch logs get the rate the next
      update applies;
    - any other schedule or a callable learning rate: a ``TypeError`` at the
      start of ``fit`` (Keras' callback raises one at the first reduction),
      which says to wrap the schedule in ``Scaled``.

    Saving keeps a reduced scale: a ``.keras`` file has it in the schedule's
    configuration, and ``keras.callbacks.BackupAndRestore`` and
    ``save_weights`` write it with the optimizer's state, because this
    callback attaches the ``Scaled`` schedule to the optimizer when ``fit``
    starts (:meth:`lrhelpers.Scaled.attach_to`), before ``BackupAndRestore``
    restores a backup. A run restarted from a backup so continues at the
    right step with the reduced scale; the plateau counters (``wait``,
    ``best``, cooldown) start afresh, as Keras' callback's do. List this
    callback before ``BackupAndRestore``: a backup taken at the end of an
    epoch then holds that epoch's reduction. On JAX the train step is
    retraced after each reduction of a scale (the compiled step holds the
    value it was traced with).

    Keras' callback warns and falls back to ``"auto"`` for an unknown
    ``mode``; this one raises a ``ValueError``, like every argument check of
    lrhelpers.

    Args:
        monitor: the quantity to monitor, a key of the epoch logs.
        factor: the factor the learning rate (or the scale) is multiplied by,
            >= 0 and < 1.
        patience: epochs without improvement before a reduction.
        verbose: 0 quiet, 1 a message at each reduction.
        mode: ``"min"``, ``"max"``, or ``"auto"`` (``"min"`` for a loss, the
            metric's own direction otherwise, as Keras infers it).
        min_delta: the smallest change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: lower bound on the learning rate.

    Example:
        >>> cosine = keras.optimizers.schedules.CosineDecay(0.1, decay_steps=10_000)
        >>> model.compile(keras.optimizers.SGD(lrhelpers.Scaled(cosine)), "mse")
        >>> model.fit(x, y, validation_split=0.2, epochs=50,
        ...           callbacks=[lrhelpers.ReduceLROnPlateau(factor=0.5, patience=3)])
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0):
        super().__init__()
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(
                f"Argument `monitor` must be a non-empty string. Received: monitor={monitor!r}"
            )
        self.monitor = monitor
        self.factor = _checks.below("factor", _checks.non_negative("factor", factor), 1.0)
        self.patience = _checks.non_negative_integer("patience", patience)
        # verbose=True is common, and Keras accepts it.
        self.verbose = int(verbose) if isinstance(verbose, bool) else _checks.non_negative_integer("verbose", verbose)
        self.mode = _checks.choice("mode", mode, ("auto", "min", "max"))
        self.min_delta = abs(_checks.number("min_delta", min_delta))
        self.cooldown = _checks.non_negative_integer("cooldown", cooldown)
        self.min_lr = _checks.non_negative("min_lr", min_lr)
        self.monitor_op = None
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0
        self._scaled = None

    def set_model(self, model):
        # fit calls set_model before any callback's on_train_begin, so the optimizer
        # carries a Scaled schedule before BackupAndRestore restores a backup into it.
        super().set_model(model)
        schedule = schedule_of(model.optimizer) if getattr(model, "optimizer", None) else None
        if isinstance(schedule, Scaled):
            schedule.attach_to(model.optimizer)

    def on_train_begin(self, logs=None):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0
        optimizer = self.model.optimizer
        schedule = schedule_of(optimizer)
        if isinstance(schedule, Scaled):
            self._scaled = schedule
        elif schedule is not None:
            name = type(schedule).__name__
            raise TypeError(
                "ReduceLROnPlateau lowers the learning rate, but this optimizer was built with the "
                f"schedule {name}, which computes the rate from the step and cannot be set. Wrap "
                f"the schedule in lrhelpers.Scaled, e.g. `SGD(lrhelpers.Scaled({name}(...)))`: "
                "ReduceLROnPlateau then lowers its scale and the schedule keeps its shape."
            )
        elif not has_settable_learning_rate(optimizer):
            raise TypeError(
                "ReduceLROnPlateau lowers the learning rate, but this optimizer's learning rate is "
                f"a {type(getattr(_inner(optimizer), '_learning_rate', None)).__name__} (a callable "
                "learning rate), which is computed when it is read and cannot be set. Use a float "
                "learning rate, or a LearningRateSchedule wrapped in lrhelpers.Scaled."
            )
        else:
            self._scaled = None

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:  # the model's metrics exist now
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        logs["learning_rate"] = self._next_rate()[0]
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                "Learning rate reduction is conditioned on metric "
                f"`{self.monitor}` which is not available. Available metrics "
                f"are: {','.join(list(logs.keys()))}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    # -- as keras.callbacks.MonitorCallback (Keras 3.15) --------------------------------

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = ops.less
        elif self.mode == "max":
            self.monitor_op = ops.greater
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = ops.less
            for metric in self._model_metrics():
                if metric.name == name and hasattr(metric, "_direction"):
                    self.monitor_op = ops.greater if metric._direction == "up" else ops.less
            if self.monitor_op is None:
                raise ValueError(
                    f"ReduceLROnPlateau callback received monitor={self.monitor}, but the direction "
                    "of that metric is unknown. Pass `mode='max'` to reduce when the highest value "
                    "stops improving, or `mode='min'` for the lowest."
                )
        if self.monitor_op is ops.less:
            self.min_delta = -abs(self.min_delta)

    def _model_metrics(self):
        """The model's metrics, with those inside compile's metric containers."""
        found = []
        for metric in getattr(self.model, "metrics", []):
            found.extend(getattr(metric, "metrics", None) or [metric])
        return found

    def _is_improvement(self, current):
        if self.best is None:
            return True
        return bool(self.monitor_op(current - self.min_delta, self.best))

    # -- the reduction -----------------------------------------------------------------

    def _next_rate(self):
        """(rate the next update applies, its step, the unscaled schedule value at that step)."""
        optimizer = self.model.optimizer
        if self._scaled is None:
            return current_learning_rate(optimizer), None, None
        step = next_update_step(micro_batch_counter(optimizer), accumulation_steps(optimizer))
        unscaled = float(schedule_values(self._scaled.schedule, [step])[0])
        scale = float(value_of(self._scaled.scale))
        return float(np.float32(scale) * np.float32(unscaled)), step, unscaled

    def _reduce(self, epoch):
        optimizer = self.model.optimizer
        old_lr, step, unscaled = self._next_rate()
        if not old_lr > np.float32(self.min_lr):
            return False
        if self._scaled is None:
            new_lr = max(old_lr * self.factor, self.min_lr)
            optimizer.learning_rate = new_lr
            message = f"learning rate to {new_lr}."
        else:
            scale = float(value_of(self._scaled.scale))
            new_scale = max(scale * self.factor, self.min_lr / unscaled)
            self._scaled.scale.assign(new_scale)
            if keras.backend.backend() == "jax":  # the compiled step holds the scale it was traced with
                self.model.make_train_function(force=True)
            applied = float(np.float32(new_scale) * np.float32(unscaled))
            message = (
                f"learning rate to {applied:.6g} at step {step} (Scaled: scale "
                f"{np.float32(new_scale):.6g} x schedule {unscaled:.6g})."
            )
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing {message}")
        return True
