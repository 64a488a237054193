"""plot_schedule draws the schedule's own values."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from keras.optimizers import schedules

from lrhelpers import plot_schedule

STAIRCASE = schedules.ExponentialDecay(0.1, 50, 0.1, staircase=True)


def test_one_line_per_schedule_with_closed_form_data():
    steps = np.arange(200)
    ax = plot_schedule({"staircase": STAIRCASE, "smooth": schedules.ExponentialDecay(0.1, 50, 0.1)}, steps)
    assert [line.get_label() for line in ax.lines] == ["staircase", "smooth"]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), steps)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 0.1 * 0.1 ** (steps // 50), rtol=1e-6)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), 0.1 * 0.1 ** (steps / 50), rtol=2e-6)
    assert ax.lines[0].get_drawstyle() == "steps-post"


def test_epoch_axis_log_scale_and_given_axes():
    import matplotlib.pyplot as plt

    _, given = plt.subplots()
    ax = plot_schedule(STAIRCASE, range(0, 100), ax=given, log_scale=True, steps_per_epoch=25, title="t")
    assert ax is given
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and ax.get_title() == "t"
    np.testing.assert_allclose(ax.lines[0].get_xdata(), np.arange(100) / 25)
    assert ax.get_legend() is None


def test_bad_steps_are_named():
    with pytest.raises(ValueError, match="Argument `steps` must be a non-empty 1-D sequence"):
        plot_schedule(STAIRCASE, [])
