"""Plots of learning-rate schedules."""

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from .evaluate import lr_values


def plot_schedule(schedules, steps, *, ax=None, log_scale=False, steps_per_epoch=None,
                  title=None):
    """Plot one or several schedules against the optimizer step.

    The learning rates come from one vectorised :func:`lr_values` call per
    schedule. Each curve is drawn with ``drawstyle="steps-post"`` so that a
    staircase schedule shows its jumps exactly at the step where they happen.

    Args:
        schedules: one schedule, or a mapping ``{label: schedule}``.
        steps: the steps to plot (1-D, integers).
        ax: the matplotlib Axes to draw on; a new figure is made when None.
        log_scale: use a logarithmic y axis (for exponential decays).
        steps_per_epoch: when given, the x axis is in epochs
            (``step / steps_per_epoch``) instead of steps.
        title: the Axes title.

    Returns:
        The matplotlib Axes, one line per schedule (``ax.lines``).

    Example:
        >>> decay = keras.optimizers.schedules.ExponentialDecay(0.1, 50, 0.1, staircase=True)
        >>> ax = plot_schedule({"staircase": decay}, range(200), log_scale=True)
    """
    steps = np.asarray(steps)
    if steps.ndim != 1 or steps.size == 0 or steps.dtype.kind not in "iu":
        raise ValueError(
            "Argument `steps` must be a non-empty 1-D sequence of integers. "
            f"Received: steps={steps!r}"
        )
    if steps_per_epoch is not None and (
        isinstance(steps_per_epoch, bool)
        or not isinstance(steps_per_epoch, (int, np.integer))
        or steps_per_epoch <= 0
    ):
        raise ValueError(
            "Argument `steps_per_epoch` must be a positive integer. "
            f"Received: steps_per_epoch={steps_per_epoch!r}"
        )
    if not isinstance(schedules, Mapping):
        schedules = {None: schedules}
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))

    x = steps if steps_per_epoch is None else steps / steps_per_epoch
    for label, schedule in schedules.items():
        ax.plot(x, lr_values(schedule, steps), drawstyle="steps-post", label=label)
    ax.set_xlabel("step" if steps_per_epoch is None else "epoch")
    ax.set_ylabel("learning rate")
    if log_scale:
        ax.set_yscale("log")
    if title is not None:
        ax.set_title(title)
    if any(label is not None for label in schedules):
        ax.legend()
    ax.grid(True, alpha=0.3)
    return ax
