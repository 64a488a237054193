"""Learning-rate tables as plain, stable text."""

from collections.abc import Mapping

from . import _checks
from .evaluate import lr_values
from .callbacks import LearningRateLogger


def _recorded_cells(logger, steps, digits):
    """The logger's learning rate at each step ("-" where it recorded none; the last record wins)."""
    recorded = dict(zip(logger.steps.tolist(), logger.learning_rates.tolist()))
    return [f"{recorded[int(s)]:.{digits}g}" if int(s) in recorded else "-" for s in steps]


def _check_column_names(schedules, reserved):
    """Each key of ``schedules`` must head a column of its own: a clash would overwrite a column."""
    seen = {}
    for key in schedules:
        name = str(key)
        if name in reserved:
            raise ValueError(
                f"Argument `schedules` must not have a key named {name!r}: the table already has a "
                f"{name!r} column (its columns are {', '.join(map(repr, reserved))}, then one per key). "
                f"Received: schedules with the key {key!r}"
            )
        if name in seen:
            raise ValueError(
                "Argument `schedules` must have keys that give different column names. "
                f"Received: schedules with the keys {seen[name]!r} and {key!r}, both named {name!r}"
            )
        seen[name] = key


def lr_table(schedules, steps, *, steps_per_epoch=None, digits=6):
    """Return a text table of learning rates, one row per step.

    Every number is written with an explicit format (``{:.{digits}g}``), never
    a repr, so the table is identical on any machine and can be compared
    character by character (the notebooks' tables are checked by nbval).

    Args:
        schedules: one schedule (a ``LearningRateSchedule``, a callable of the
            step or a number), or a mapping ``{column name: schedule}`` for
            several columns side by side. A :class:`LearningRateLogger` in
            their place gives the rates it recorded during training (``-``
            for a step it did not record; where a step was trained twice, as
            after ``BackupAndRestore``, the last record), which puts planned
            and recorded rates side by side.
        steps: the optimizer steps to tabulate (non-negative integers).
        steps_per_epoch: when given, adds ``epoch`` and ``batch`` columns
            (``step // steps_per_epoch`` and ``step % steps_per_epoch``).
            Column names must not repeat: a key of ``schedules`` named
            ``step`` (or ``epoch``/``batch`` with ``steps_per_epoch``), or
            two keys with the same ``str()``, raise a ``ValueError``.
        digits: significant digits of each learning rate.

    Returns:
        The table as one string, columns right-aligned, no trailing newline.

    Example:
        >>> decay = keras.optimizers.schedules.ExponentialDecay(0.1, 50, 0.1, staircase=True)
        >>> print(lr_table(decay, [0, 50, 100]))
        step  learning_rate
           0            0.1
          50           0.01
         100          0.001
    """
    steps = _checks.steps("steps", steps, non_negative=True)
    if steps_per_epoch is not None:
        steps_per_epoch = _checks.positive_integer("steps_per_epoch", steps_per_epoch)
    digits = _checks.digits("digits", digits)
    if not isinstance(schedules, Mapping):
        schedules = {"learning_rate": schedules}
    if not schedules:
        raise ValueError("Argument `schedules` must not be empty. Received: schedules={}")

    columns = {"step": [str(int(s)) for s in steps]}
    if steps_per_epoch is not None:
        columns["epoch"] = [str(int(s) // steps_per_epoch) for s in steps]
        columns["batch"] = [str(int(s) % steps_per_epoch) for s in steps]
    _check_column_names(schedules, reserved=list(columns))
    for name, schedule in schedules.items():
        if isinstance(schedule, LearningRateLogger):
            columns[str(name)] = _recorded_cells(schedule, steps, digits)
            continue
        values = lr_values(schedule, steps)
        columns[str(name)] = [f"{float(v):.{digits}g}" for v in values]

    widths = {name: max([len(name)] + [len(c) for c in cells]) for name, cells in columns.items()}
    lines = ["  ".join(name.rjust(widths[name]) for name in columns)]
    for row in zip(*columns.values()):
        lines.append("  ".join(cell.rjust(widths[name]) for name, cell in zip(columns, row)))
    return "\n".join(lines)
