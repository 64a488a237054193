"""Plots of learning-rate schedules."""

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from . import _checks
from .evaluate import lr_values
from .callbacks import LearningRateLogger

# A restart is a rise, in one plotted step, right after the curve was going down,
# of at least a quarter of the curve's range or four times the descent before it.
RESTART_RANGE_FRACTION = 0.25
RESTART_DESCENT_RATIO = 4.0


def _recorded_mapping(recorded):
    if recorded is None:
        return {}
    if isinstance(recorded, LearningRateLogger):
        return {"recorded": recorded}
    if isinstance(recorded, Mapping) and recorded and all(
        isinstance(v, LearningRateLogger) for v in recorded.values()
    ):
        return dict(recorded)
    raise ValueError(
        "Argument `recorded` must be a LearningRateLogger or a non-empty mapping "
        f"{{label: LearningRateLogger}}. Received: recorded={recorded!r}"
    )


def find_restarts(values):
    """Indices where a curve restarts: a sharp rise right after a descent.

    ``i`` is a restart when the last change before it was a decrease and
    ``values[i] - values[i - 1]`` is at least a quarter of the curve's range
    or four times that decrease. A warmup (a rise that follows no descent) and
    the even rise of a triangular cycle are not restarts; the jumps of SGDR
    (``CosineDecayRestarts``) and of a staircase that goes back up are.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.size < 3 or values.max() == values.min():
        return np.array([], dtype=np.int64)
    span = values.max() - values.min()
    change = np.diff(values)  # change[j] = values[j + 1] - values[j]
    # For every j, the index of the last non-zero change before it (-1: none).
    nonzero_at = np.where(change != 0, np.arange(change.size), -1)
    last_nonzero = np.concatenate([[-1], np.maximum.accumulate(nonzero_at)[:-1]])
    previous = np.where(last_nonzero >= 0, change[np.maximum(last_nonzero, 0)], 0.0)
    sharp = (change >= RESTART_RANGE_FRACTION * span) | (change >= RESTART_DESCENT_RATIO * -previous)
    restart = (change > 0) & (previous < 0) & sharp
    return np.flatnonzero(restart) + 1


def _annotate(ax, x, values, color, unit, label, shift=0):
    """Start, peak, restarts and final value of one curve, as Annotation texts."""
    prefix = "" if label is None else f"{label}: "

    def where(i):
        return f"{unit} {x[i]:g}"

    def note(i, text, offset):
        # Curves after the first have their labels moved up, so that they do not overlap.
        ax.annotate(
            prefix + text, xy=(x[i], values[i]), xytext=(offset[0], offset[1] + shift), textcoords="offset points",
            fontsize=8, color=color, arrowprops={"arrowstyle": "->", "color": color, "lw": 0.8},
        )

    last = len(values) - 1
    peak = int(np.argmax(values))
    if peak == 0:
        note(0, f"start (peak) {values[0]:.3g}", (10, -14))
    else:
        note(0, f"start {values[0]:.3g}", (10, -14))
        note(peak, f"peak {values[peak]:.3g} at {where(peak)}", (10, 6))
    for i in find_restarts(values):
        note(int(i), f"restart at {where(int(i))}", (6, 10))
    if last > 0:
        note(last, f"final {values[last]:.3g}", (-70, 16))


def plot_schedule(schedules, steps, *, ax=None, log_scale=False, steps_per_epoch=None,
                  title=None, xaxis=None, annotate=False, recorded=None):
    """Plot one or several schedules against the optimizer step (or the epoch).

    The learning rates come from one vectorised :func:`lr_values` call per
    schedule. Each curve is drawn with ``drawstyle="steps-post"`` so that a
    staircase schedule shows its jumps exactly at the step where they happen.

    Args:
        schedules: one schedule, or a mapping ``{label: schedule}``.
        steps: the steps to plot (1-D, integers).
        ax: the matplotlib Axes to draw on; a new figure is made when None.
        log_scale: use a logarithmic y axis (for exponential decays).
        steps_per_epoch: optimizer steps per epoch; needed for epochs on the x
            axis.
        title: the Axes title.
        xaxis: ``"step"`` or ``"epoch"``; None (default) means epochs when
            ``steps_per_epoch`` is given, steps otherwise. With
            ``xaxis="step"`` and ``steps_per_epoch``, a secondary x axis at
            the top shows the epochs.
        annotate: mark each curve's start, peak, restarts (a sharp rise right
            after a descent, see :func:`find_restarts`) and final value with
            labelled arrows (``ax.texts``).
        recorded: a :class:`LearningRateLogger`, or a mapping
            ``{label: LearningRateLogger}``: the rates it recorded during
            training, within the range of ``steps``, drawn as dots over the
            planned curves (label ``"recorded"`` for a single logger).

    Returns:
        The matplotlib Axes: ``ax.lines`` holds one line per schedule, in
        order, then one per recorded logger.

    Example:
        >>> decay = keras.optimizers.schedules.ExponentialDecay(0.1, 50, 0.1, staircase=True)
        >>> ax = plot_schedule({"staircase": decay}, range(200), log_scale=True, annotate=True)
        >>> ax = plot_schedule(decay, range(200), recorded=logger, xaxis="step", steps_per_epoch=50)
    """
    steps = _checks.steps("steps", steps, non_empty=True)
    if steps_per_epoch is not None:
        steps_per_epoch = _checks.positive_integer("steps_per_epoch", steps_per_epoch)
    if xaxis is None:
        xaxis = "step" if steps_per_epoch is None else "epoch"
    if xaxis not in ("step", "epoch"):
        raise ValueError(f"Argument `xaxis` must be 'step', 'epoch' or None. Received: xaxis={xaxis!r}")
    if xaxis == "epoch" and steps_per_epoch is None:
        raise ValueError(
            "Argument `steps_per_epoch` must be given for xaxis='epoch'. Received: steps_per_epoch=None"
        )
    recorded = _recorded_mapping(recorded)
    if not isinstance(schedules, Mapping):
        schedules = {None: schedules}
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))

    def to_x(step_values):
        return step_values if xaxis == "step" else step_values / steps_per_epoch

    x = to_x(steps)
    for index, (label, schedule) in enumerate(schedules.items()):
        values = lr_values(schedule, steps)
        (line,) = ax.plot(x, values, drawstyle="steps-post", label=label)
        if annotate:
            _annotate(ax, x, np.asarray(values, dtype=np.float64), line.get_color(), xaxis, label,
                      shift=12 * index)
    for label, logger in recorded.items():
        inside = (logger.steps >= steps.min()) & (logger.steps <= steps.max())
        ax.plot(to_x(logger.steps[inside]), logger.learning_rates[inside], linestyle="none",
                marker=".", markersize=4, label=label)
    ax.set_xlabel(xaxis)
    ax.set_ylabel("learning rate")
    if xaxis == "step" and steps_per_epoch is not None:
        epoch_axis = ax.secondary_xaxis(
            "top", functions=(lambda s: s / steps_per_epoch, lambda e: e * steps_per_epoch)
        )
        epoch_axis.set_xlabel("epoch")
    if log_scale:
        ax.set_yscale("log")
    if title is not None:
        ax.set_title(title)
    if any(label is not None for label in schedules) or recorded:
        ax.legend()
    ax.grid(True, alpha=0.3)
    return ax
