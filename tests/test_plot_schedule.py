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


# -- epochs, annotations, recorded overlay ----------------------------------------------


def test_step_axis_with_a_secondary_epoch_axis():
    ax = plot_schedule(STAIRCASE, range(100), steps_per_epoch=25, xaxis="step")
    assert ax.get_xlabel() == "step"
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), np.arange(100))
    (top,) = ax.child_axes
    assert top.get_xlabel() == "epoch"
    assert top._functions[0](np.array([50.0])) == 2.0  # step 50 is epoch 2


def test_default_axis_without_steps_per_epoch_has_no_secondary_axis():
    ax = plot_schedule(STAIRCASE, range(100))
    assert ax.get_xlabel() == "step" and not ax.child_axes


def texts(ax):
    return {t.get_text(): t.xy for t in ax.texts}


def test_annotations_mark_start_peak_restarts_and_final_value():
    restarts = schedules.CosineDecayRestarts(0.1, first_decay_steps=20, t_mul=1.0, m_mul=0.5, alpha=0.0)
    steps = np.arange(60)
    ax = plot_schedule({"sgdr": restarts}, steps, annotate=True)
    lr = ax.lines[0].get_ydata()
    notes = texts(ax)
    assert notes.pop("sgdr: start (peak) 0.1") == (0, pytest.approx(0.1))
    assert notes.pop("sgdr: restart at step 20") == (20, pytest.approx(0.05))
    assert notes.pop("sgdr: restart at step 40") == (40, pytest.approx(0.025))
    assert notes.pop(f"sgdr: final {lr[-1]:.3g}") == (59, pytest.approx(lr[-1]))
    assert notes == {}


def test_annotations_of_a_warmup_peak_in_epochs():
    warmup = schedules.CosineDecay(0.0, decay_steps=80, warmup_target=0.1, warmup_steps=20)
    ax = plot_schedule(warmup, np.arange(100), steps_per_epoch=10, annotate=True)
    notes = texts(ax)
    assert notes["start 0"] == (0.0, 0.0)
    assert notes["peak 0.1 at epoch 2"] == (2.0, pytest.approx(0.1))  # no restart: the warmup rise follows no descent
    assert len(notes) == 3 and any(t.startswith("final ") for t in notes)


def test_recorded_rates_are_drawn_over_the_plan():
    import keras

    from lrhelpers import LearningRateLogger

    decay = schedules.ExponentialDecay(0.1, 2, 0.5)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(decay), "mse")
    logger = LearningRateLogger()
    model.fit(np.zeros((12, 2)), np.zeros((12, 1)), batch_size=2, verbose=0, callbacks=[logger])  # steps 0-5
    ax = plot_schedule({"planned": decay}, np.arange(1, 5), recorded=logger)
    planned, recorded = ax.lines
    assert recorded.get_label() == "recorded" and recorded.get_linestyle() == "None"
    np.testing.assert_array_equal(recorded.get_xdata(), [1, 2, 3, 4])  # only the plotted range
    np.testing.assert_allclose(recorded.get_ydata(), 0.1 * 0.5 ** (np.arange(1, 5) / 2), rtol=1e-6)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["planned", "recorded"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"xaxis": "batch"}, r"Argument `xaxis` must be 'step', 'epoch' or None. Received: xaxis='batch'"),
        ({"xaxis": "epoch"}, r"Argument `steps_per_epoch` must be given for xaxis='epoch'"),
        ({"recorded": [1, 2]}, r"Argument `recorded` must be a LearningRateLogger"),
    ],
)
def test_bad_new_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_schedule(STAIRCASE, range(10), **kwargs)


def test_find_restarts_ignores_warmup_and_gentle_cycles():
    from lrhelpers.plot import find_restarts

    assert list(find_restarts([0.0, 0.5, 1.0, 0.6, 0.2, 1.0, 0.5, 0.1, 0.9])) == [5, 8]
    assert list(find_restarts([0.0, 1.0, 0.5])) == []  # warmup from 0: no descent before the rise
    assert list(find_restarts([1.0, 1.0, 0.1, 0.1, 0.1, 1.0, 0.1])) == [5]  # a staircase back up
    assert list(find_restarts([1.0, 0.5, 0.1, 0.05, 0.06, 0.07])) == []  # small rise after a big drop
    triangle = np.concatenate([np.linspace(0, 1, 11), np.linspace(0.9, 0, 10)] * 2)
    assert list(find_restarts(triangle)) == []  # rises of a tenth of the range per step
