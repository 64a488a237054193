"""lr_table: explicit formatting, stable text."""

import numpy as np
import pytest
from keras.optimizers import schedules

from lrhelpers import lr_table

STAIRCASE = schedules.ExponentialDecay(0.1, 50, 0.1, staircase=True)


def test_rows_hold_the_closed_form_values_with_explicit_format():
    steps = list(range(0, 250, 50))
    rows = lr_table(STAIRCASE, steps).splitlines()
    assert rows[0].split() == ["step", "learning_rate"]
    for row, step in zip(rows[1:], steps):
        printed_step, printed_lr = row.split()
        assert int(printed_step) == step
        assert printed_lr == f"{0.1 * 0.1 ** (step // 50):.6g}"


def test_exact_text_of_a_small_table():
    table = lr_table({"staircase": STAIRCASE, "constant": 0.5}, [0, 50, 100], steps_per_epoch=25, digits=3)
    assert table == (
        "step  epoch  batch  staircase  constant\n"
        "   0      0      0        0.1       0.5\n"
        "  50      2      0       0.01       0.5\n"
        " 100      4      0      0.001       0.5"
    )


def test_digits_controls_significant_figures():
    decay = schedules.ExponentialDecay(1.0, 3, 0.5)  # 0.5 ** (1/3) = 0.793700525...
    assert lr_table(decay, [1], digits=4).splitlines()[1].split()[1] == "0.7937"
    assert lr_table(decay, [1], digits=8).splitlines()[1].split()[1] == f"{np.float32(0.5 ** (1 / 3)):.8g}"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"steps": [-1, 0]}, r"Argument `steps` must be a 1-D sequence of non-negative integers. Received: steps=array\(\[-1,  0\]\)"),
        ({"steps": [[0, 1]]}, "Argument `steps` must be a 1-D sequence of non-negative integers"),
        ({"steps": [0.5]}, "Argument `steps` must be"),
        ({"steps": [0], "steps_per_epoch": 0}, r"Argument `steps_per_epoch` must be a positive integer. Received: steps_per_epoch=0"),
        ({"steps": [0], "digits": 0}, r"Argument `digits` must be an integer from 1 to 17. Received: digits=0"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lr_table(STAIRCASE, **kwargs)


def test_no_steps_give_the_header_only():
    assert lr_table(STAIRCASE, np.arange(0)) == "step  learning_rate"


@pytest.mark.parametrize(
    "schedules, steps_per_epoch, message",
    [
        ({"step": STAIRCASE}, None, "must not have a key named 'step'"),
        ({"lr": STAIRCASE, "epoch": 0.1}, 25, "must not have a key named 'epoch'"),
        ({"batch": STAIRCASE}, 25, "must not have a key named 'batch'"),
        ({1: STAIRCASE, "1": 0.1}, None, "Received: schedules with the keys 1 and '1', both named '1'"),
    ],
)
def test_a_key_that_would_overwrite_a_column_raises(schedules, steps_per_epoch, message):
    with pytest.raises(ValueError, match=message):
        lr_table(schedules, [0, 3, 7], steps_per_epoch=steps_per_epoch)


def test_exact_message_for_a_key_named_step():
    with pytest.raises(ValueError) as info:
        lr_table({"step": STAIRCASE}, [0, 3, 7])
    assert str(info.value) == (
        "Argument `schedules` must not have a key named 'step': the table already has a 'step' column "
        "(its columns are 'step', then one per key). Received: schedules with the key 'step'"
    )


def test_epoch_and_batch_are_free_names_without_steps_per_epoch():
    assert lr_table({"epoch": 0.5, "batch": 0.25}, [0]) == (
        "step  epoch  batch\n"
        "   0    0.5   0.25"
    )


def test_a_logger_column_shows_the_recorded_rates_next_to_the_plan():
    import keras

    from lrhelpers import LearningRateLogger

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(schedules.ExponentialDecay(0.1, 2, 0.1, staircase=True)), "mse")
    logger = LearningRateLogger()
    model.fit(np.zeros((8, 2)), np.zeros((8, 1)), batch_size=2, verbose=0, callbacks=[logger])  # steps 0-3
    table = lr_table({"planned": schedules.ExponentialDecay(0.1, 2, 0.1, staircase=True), "recorded": logger}, [1, 2, 3, 4])
    assert table == (
        "step  planned  recorded\n"
        "   1      0.1       0.1\n"
        "   2     0.01      0.01\n"
        "   3     0.01      0.01\n"
        "   4    0.001         -"
    )
