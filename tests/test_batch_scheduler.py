"""BatchLearningRateScheduler sets the rate of every batch from the optimizer's global step."""

import warnings

import keras
import numpy as np
import pytest
from keras.optimizers import schedules

from lrhelpers import BatchLearningRateScheduler, LearningRateLogger, applied_learning_rates, lr_values
from tiny_training import data, tiny_model

DECAY = schedules.ExponentialDecay(0.1, 6, 0.5)  # smooth: a different rate at every step


def from_schedule(step, lr):
    return float(lr_values(DECAY, [step])[0])


def test_reproduces_the_schedule_object_step_by_step_across_fit_calls():
    x, y = data(32)
    calls = []

    def rule(step, lr):
        calls.append((step, lr))
        return from_schedule(step, lr)

    by_callback = tiny_model(0.1)
    logger = LearningRateLogger()
    for _ in range(2):  # 8 steps per fit; the step continues in the second call
        by_callback.fit(x, y, batch_size=4, shuffle=False, callbacks=[BatchLearningRateScheduler(rule), logger], verbose=0)
    np.testing.assert_array_equal(logger.steps, np.arange(16))
    np.testing.assert_allclose(logger.learning_rates, 0.1 * 0.5 ** (np.arange(16) / 6), rtol=1e-6)  # float32
    assert [step for step, _ in calls] == list(range(16))
    np.testing.assert_allclose([lr for _, lr in calls[1:]], logger.learning_rates[:-1], rtol=1e-6)  # lr: the current rate

    # Same updates as the schedule object itself.
    by_schedule = tiny_model(DECAY)
    by_schedule.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(by_callback.get_weights(), by_schedule.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


@pytest.mark.skipif(keras.backend.backend() == "torch", reason="steps_per_execution must be 1 on torch")
def test_steps_per_execution_warns_and_acts_every_n_steps():
    model = tiny_model(0.1, steps_per_execution=4)
    x, y = data(32)
    seen_steps = []

    def rule(step, lr):
        seen_steps.append(step)
        return from_schedule(step, lr)

    logger = LearningRateLogger()
    with pytest.warns(UserWarning, match=r"steps_per_execution=4.*only change every 4 steps"):
        model.fit(x, y, batch_size=4, callbacks=[BatchLearningRateScheduler(rule), logger], verbose=0)
    assert seen_steps == [0, 4]
    np.testing.assert_allclose(logger.learning_rates, np.repeat(lr_values(DECAY, [0, 4]), 4), rtol=1e-6)


def test_no_warning_with_one_step_per_execution():
    x, y = data(8)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="BatchLearningRateScheduler")
        tiny_model(0.1).fit(x, y, batch_size=4, callbacks=[BatchLearningRateScheduler(lambda s, lr: lr)], verbose=0)


def test_clear_error_with_an_optimizer_built_on_a_schedule():
    x, y = data(8)
    with pytest.raises(TypeError, match=r"built with the schedule ExponentialDecay.*compile with a float `learning_rate`"):
        tiny_model(DECAY).fit(x, y, callbacks=[BatchLearningRateScheduler(from_schedule)], verbose=0)


def test_clear_error_with_a_callable_learning_rate():
    x, y = data(8)
    with pytest.raises(TypeError, match=r"learning rate is a function \(a callable learning rate\).*cannot be set"):
        tiny_model(lambda: 0.1).fit(x, y, callbacks=[BatchLearningRateScheduler(from_schedule)], verbose=0)


@pytest.mark.parametrize("returned", [None, "0.1", [0.1, 0.2]])
def test_function_must_return_a_number(returned):
    x, y = data(8)
    with pytest.raises(ValueError, match="must return a float. Received, at step 0"):
        tiny_model(0.1).fit(x, y, callbacks=[BatchLearningRateScheduler(lambda s, lr: returned)], verbose=0)


def test_schedule_must_be_callable():
    with pytest.raises(ValueError, match=r"Argument `schedule` must be a callable .*Received: schedule=0.1"):
        BatchLearningRateScheduler(0.1)


@pytest.mark.parametrize("k", [2, 4])
def test_with_accumulation_the_function_sees_updates_and_sets_the_rate_they_apply(k):
    seen = []

    def rule(step, lr):
        seen.append(step)
        return 0.1 * 0.5**step

    applied = applied_learning_rates(0.1, 5, gradient_accumulation_steps=k, callbacks=[BatchLearningRateScheduler(rule)])
    assert seen == list(np.repeat(np.arange(5), k))  # called before every micro-batch, with the update number
    np.testing.assert_array_equal(applied, np.float32(0.1 * 0.5 ** np.arange(5)))
