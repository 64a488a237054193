"""LearningRateLogger records the LR each batch trained with and prints the next one."""

import keras
import numpy as np
import pytest
from keras.optimizers import schedules

from lrhelpers import LearningRateLogger

STAIRCASE = schedules.ExponentialDecay(0.1, 5, 0.1, staircase=True)


def tiny_model(learning_rate, steps_per_execution=1):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(learning_rate), "mse", steps_per_execution=steps_per_execution)
    return model


def data(n=48):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")


def staircase(steps):
    return 0.1 * 0.1 ** (np.asarray(steps) // 5)


@pytest.mark.parametrize("steps_per_execution", [1, 4])
def test_records_every_step_across_fit_calls(steps_per_execution):
    model = tiny_model(STAIRCASE, steps_per_execution)
    logger = LearningRateLogger()
    x, y = data()
    model.fit(x, y, batch_size=4, epochs=1, callbacks=[logger], verbose=0)  # 12 steps
    model.fit(x, y, batch_size=4, epochs=1, callbacks=[logger], verbose=0)  # 12 more
    np.testing.assert_array_equal(logger.steps, np.arange(24))
    np.testing.assert_allclose(logger.learning_rates, staircase(np.arange(24)), rtol=1e-6)


def test_recorded_rate_is_the_one_the_update_used():
    # With loss = w and SGD, every update moves w by exactly -lr.
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(keras.optimizers.SGD(STAIRCASE), loss=lambda y_true, y_pred: keras.ops.mean(y_pred))
    weights = []
    probe = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: weights.append(float(model.weights[0][0, 0])))
    logger = LearningRateLogger()
    model.fit(np.ones((12, 1)), np.zeros((12, 1)), batch_size=1, callbacks=[logger, probe], verbose=0)
    applied = -np.diff(np.concatenate([[0.0], weights]))
    np.testing.assert_allclose(applied, logger.learning_rates, rtol=1e-5, atol=1e-7)  # float32 weights


def test_plain_learning_rate_changed_by_a_callback_is_recorded():
    model = tiny_model(0.5)
    x, y = data(16)
    halve = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.5 * 0.5**epoch)
    logger = LearningRateLogger()
    model.fit(x, y, batch_size=4, epochs=3, callbacks=[halve, logger], verbose=0)
    np.testing.assert_allclose(logger.learning_rates, np.repeat([0.5, 0.25, 0.125], 4), rtol=1e-6)


@pytest.mark.parametrize("steps_per_execution", [1, 4])
def test_prints_the_next_learning_rate_every_n_iterations(capsys, steps_per_execution):
    model = tiny_model(STAIRCASE, steps_per_execution)
    x, y = data()
    model.fit(x, y, batch_size=4, epochs=1, callbacks=[LearningRateLogger(print_every=2)], verbose=0)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "iteration  lr"
    expected = [f"{i:>9d}  {staircase(i):.6g}" for i in range(2, 13, 2)]
    assert lines[1:] == expected


@pytest.mark.parametrize("kwargs", [{"print_every": 0}, {"print_every": 2.5}, {"digits": 0}])
def test_bad_arguments_are_named(kwargs):
    name, value = next(iter(kwargs.items()))
    with pytest.raises(ValueError, match=f"Argument `{name}` must be .*Received: {name}={value}"):
        LearningRateLogger(**kwargs)
