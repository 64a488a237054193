"""Warn when a resumed fit starts at an epoch the optimizer's step counter does not match."""

import warnings

import keras

from .. import _checks
from .._optimizer import (
    accumulation_steps,
    micro_batch_counter,
    next_update_step,
    schedule_of,
    schedule_values,
    set_micro_batch_counter,
)


def check_resume(model, initial_epoch, steps_per_epoch, *, fix=False):
    """Check that ``optimizer.iterations`` is where ``fit(initial_epoch=...)`` starts.

    ``fit(initial_epoch=k)`` only changes the epoch numbers that ``fit``
    reports and passes to callbacks. A ``LearningRateSchedule`` is a function
    of the optimizer's own step, ``optimizer.iterations``, which ``initial_epoch``
    does not move: a new optimizer object (a fresh compile, or weights loaded
    into an unbuilt optimizer) starts at step 0 and the schedule starts over.
    This function compares the counter with ``initial_epoch * steps_per_epoch``
    and warns, with the numbers, when they differ.

    With ``gradient_accumulation_steps=k`` the counter compared is the one
    Keras evaluates a schedule at, the micro-batch counter
    ``optimizer._iterations`` (one per batch; ``optimizer.iterations`` is it
    divided by k), and ``steps_per_epoch`` counts batches, as ``fit`` does.

    Args:
        model: a compiled Keras model, or an optimizer.
        initial_epoch: the epoch ``fit`` starts at.
        steps_per_epoch: batches per epoch (the optimizer steps per epoch
            without gradient accumulation, the micro-batches with it).
        fix: when True and the numbers differ, also set
            ``optimizer.iterations`` to ``initial_epoch * steps_per_epoch``,
            except when the counter is ahead by at most one epoch: that is
            what a backup saved inside an epoch or at its last batch leaves
            (``BackupAndRestore(save_freq=N)``, whose restart trains that
            epoch again), the weights already hold those updates, and the
            counter is left where it is (the warning says so).

    Returns:
        True when the counter was where it should be, False when it was not
        (a warning was issued, and with ``fix=True`` the counter was moved,
        unless it was at most one epoch ahead).

    Example:
        >>> model.compile(keras.optimizers.SGD(decay), "mse")  # a fresh optimizer: step 0
        >>> check_resume(model, initial_epoch=3, steps_per_epoch=100, fix=True)
        >>> model.fit(x, y, initial_epoch=3, epochs=6)
    """
    initial_epoch = _checks.non_negative_integer("initial_epoch", initial_epoch)
    steps_per_epoch = _checks.positive_integer("steps_per_epoch", steps_per_epoch)
    optimizer = model if isinstance(model, keras.optimizers.Optimizer) else getattr(model, "optimizer", None)
    if optimizer is None:
        raise ValueError(
            "Argument `model` must be a compiled model or an optimizer. "
            f"Received: model={model!r} without an optimizer"
        )
    actual = micro_batch_counter(optimizer)
    expected = initial_epoch * steps_per_epoch
    if actual == expected:
        return True

    k = accumulation_steps(optimizer)
    if k == 1:
        counter = "optimizer.iterations"
        message = (
            f"optimizer.iterations is {actual}, but fit starts at epoch {initial_epoch} with "
            f"{steps_per_epoch} steps per epoch, where it should be {expected}."
        )
    else:
        counter = "optimizer._iterations"
        message = (
            f"The optimizer's micro-batch counter, optimizer._iterations, is {actual} "
            f"(optimizer.iterations = {actual // k} updates of gradient_accumulation_steps={k}), "
            f"but fit starts at epoch {initial_epoch} with {steps_per_epoch} batches per epoch, "
            f"where it should be {expected}."
        )
    schedule = schedule_of(optimizer)
    if schedule is not None:
        at_actual, at_expected = next_update_step(actual, k), next_update_step(expected, k)
        lr_actual, lr_expected = (float(schedule_values(schedule, [s])[0]) for s in (at_actual, at_expected))
        message += (
            f" The {type(schedule).__name__} schedule is a function of {counter}, "
            f"so the next update uses the learning rate of step {at_actual} ({lr_actual:.6g}) "
            f"instead of step {at_expected}'s ({lr_expected:.6g})."
        )
    mid_epoch = expected < actual < expected + steps_per_epoch
    last_batch = actual == expected + steps_per_epoch  # a batch-end backup at the epoch's last batch
    if actual < expected:
        message += (
            " `initial_epoch` does not move the step counter: a new optimizer object (a fresh "
            "compile, or weights loaded into an unbuilt optimizer) starts at 0. Load the optimizer "
            "with the model (keras.models.load_model, or optimizer.build before load_weights), or set "
            f"`model.{counter}.assign({expected})` before fit, which fixes the learning rate "
            "only: a fresh Adam-type optimizer then has empty moments but a bias correction "
            "computed for that counter, so its first updates differ in size from a resumed "
            "one's (with Adam's defaults and a steady gradient: below a counter of about 100 the "
            "first few smaller, then larger; several times larger at large counters)."
        )
    elif mid_epoch:
        done = actual - expected
        message += (
            f" This is what weights saved {done} of {steps_per_epoch} batches into epoch "
            f"{initial_epoch} leave, as keras.callbacks.BackupAndRestore(save_freq=N) saves them: "
            f"fit restarts that epoch at its first batch, so its first {done} batches are "
            "trained again, while the weights and the step counter keep the updates already "
            "made. The schedule continues from the step the weights are at, and this fit "
            f"ends {done} steps later than an uninterrupted one would; nothing needs fixing."
        )
    elif last_batch:
        message += (
            f" This is what weights saved at the last batch of epoch {initial_epoch} leave, as "
            "keras.callbacks.BackupAndRestore(save_freq=N) saves them: its backup names the epoch "
            "it was saved in, so fit trains that whole epoch again, while the weights and the step "
            "counter keep its updates. The schedule continues from the step the weights are at, and "
            f"this fit ends {steps_per_epoch} steps later than an uninterrupted one would. If no such "
            f"backup was restored, the training stopped after epoch {initial_epoch}: pass "
            f"initial_epoch={initial_epoch + 1}."
        )
    else:
        message += (
            f" The optimizer has already made {actual - expected} more "
            f"{'updates' if k == 1 else 'micro-batches'} than the epochs "
            "before initial_epoch hold: pass the initial_epoch training actually stopped at."
        )
    if fix and (mid_epoch or last_batch):
        message += (
            f" fix=True: {counter} was left at {actual}: setting it back would make "
            "the schedule repeat steps the weights have already taken."
        )
    elif fix:
        set_micro_batch_counter(optimizer, expected)
        message += f" fix=True: {counter} was set to {expected}."
    warnings.warn(message, stacklevel=2)
    return False


class ResumeCheck(keras.callbacks.Callback):
    """At the start of every ``fit``, :func:`check_resume` the optimizer's step counter.

    The check runs at the first ``on_epoch_begin`` of each ``fit`` call, with
    the epoch ``fit`` really starts at (which includes the one restored by
    ``keras.callbacks.BackupAndRestore``) and ``steps_per_epoch`` (by default
    the number of batches per epoch that ``fit`` reports). A backup saved
    inside an epoch or at its last batch (``BackupAndRestore(save_freq=N)``)
    leaves the counter ahead of that epoch's start by the batches it had done;
    the warning explains this, ``ok`` is False, and ``fix=True`` leaves the
    counter alone.

    Args:
        steps_per_epoch: batches per epoch; None uses ``fit``'s own count
            (``self.params["steps"]``).
        fix: when True, also move ``optimizer.iterations`` to
            ``initial_epoch * steps_per_epoch`` when they differ (not when it
            is at most one epoch ahead: see :func:`check_resume`).

    Attributes:
        ok: after ``fit``, whether the last check found the counter in place
            (None before any check).

    Example:
        >>> model.fit(x, y, initial_epoch=3, epochs=6, callbacks=[ResumeCheck()])
    """

    def __init__(self, steps_per_epoch=None, *, fix=False):
        super().__init__()
        if steps_per_epoch is not None:
            steps_per_epoch = _checks.positive_integer("steps_per_epoch", steps_per_epoch)
        self.steps_per_epoch = steps_per_epoch
        self.fix = bool(fix)
        self.ok = None
        self._checked = False

    def on_train_begin(self, logs=None):
        self._checked = False

    def on_epoch_begin(self, epoch, logs=None):
        if self._checked:
            return
        self._checked = True
        steps = self.steps_per_epoch or (self.params or {}).get("steps")
        if not steps:
            warnings.warn(
                "ResumeCheck: fit does not know the number of steps per epoch (a dataset of "
                "unknown length?), so the step counter cannot be checked. Pass "
                "ResumeCheck(steps_per_epoch=...).",
                stacklevel=2,
            )
            return
        self.ok = check_resume(self.model, int(epoch), int(steps), fix=self.fix)
