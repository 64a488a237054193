"""LearningRateLogger records the LR each batch trained with and prints the next one."""

import functools

import keras
import numpy as np
import pytest
from keras.optimizers import schedules

from lrhelpers import LearningRateLogger, applied_learning_rates
from tiny_training import data, probe_fit, probe_model, probe_rates, tiny_model

STAIRCASE = schedules.ExponentialDecay(0.1, 5, 0.1, staircase=True)
ON_TORCH = keras.backend.backend() == "torch"


def several_steps_per_execution(*values):
    """steps_per_execution values > 1, skipped on torch (Keras allows only 1 there)."""
    return [pytest.param(v, marks=pytest.mark.skipif(ON_TORCH and v > 1, reason="steps_per_execution must be 1 on torch"))
            for v in values]
needs_tensorflow = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason=f"needs TensorFlow (tf.executing_eagerly, TensorBoard event files); the backend is {keras.backend.backend()}",
)


def staircase(steps):
    return 0.1 * 0.1 ** (np.asarray(steps) // 5)


@functools.cache
def _built_staircase_model(steps_per_execution):
    """(tiny_model(STAIRCASE, steps_per_execution), its initial weights), built once per process."""
    model = tiny_model(STAIRCASE, steps_per_execution)
    return model, [keras.ops.convert_to_numpy(w) for w in model.weights]


def staircase_model(steps_per_execution):
    """tiny_model(STAIRCASE, steps_per_execution), built, compiled and traced once: each call puts its weights
    and optimizer.iterations back to their initial values (plain SGD has no other state), so a test starts
    from a fresh model's state without paying for building and tracing fit again."""
    model, initial = _built_staircase_model(steps_per_execution)
    for weight, value in zip(model.weights, initial):
        weight.assign(value)
    model.optimizer.iterations.assign(0)
    return model


@pytest.mark.parametrize("steps_per_execution", several_steps_per_execution(1, 4))
def test_records_every_step_across_fit_calls(steps_per_execution):
    model = staircase_model(steps_per_execution)
    logger = LearningRateLogger()
    x, y = data(48)
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


class CountingDecay(schedules.ExponentialDecay):
    """STAIRCASE, counting its eager calls (the train step's traced call is not one)."""

    eager_calls = 0

    def __call__(self, step):
        import tensorflow as tf

        if tf.executing_eagerly():
            CountingDecay.eager_calls += 1
        return super().__call__(step)


@needs_tensorflow
@pytest.mark.parametrize("steps_per_execution", several_steps_per_execution(1, 4))
def test_a_schedule_is_evaluated_once_per_batch_call_plus_once_per_printout(capsys, steps_per_execution):
    model = tiny_model(CountingDecay(0.1, 5, 0.1, staircase=True), steps_per_execution)
    x, y = data(48)  # 12 steps
    for print_every, printouts in ((None, 0), (8, 2)):  # steps 0-11, then 12-23: prints at 16 and 24
        logger = LearningRateLogger(print_every=print_every)
        CountingDecay.eager_calls = 0
        model.fit(x, y, batch_size=4, epochs=1, callbacks=[logger], verbose=0)
        # Not at batch begin: only the batch-end evaluation of the covered steps.
        assert CountingDecay.eager_calls == 12 // steps_per_execution + printouts
    np.testing.assert_allclose(logger.learning_rates, staircase(np.arange(12, 24)), rtol=1e-6)
    assert capsys.readouterr().out.splitlines() == ["iteration  lr"] + [f"{i:>9d}  {staircase(i):.6g}" for i in (16, 24)]


def test_a_callable_learning_rate_is_recorded():
    model = tiny_model(lambda: 0.05)
    x, y = data(16)
    logger = LearningRateLogger()
    model.fit(x, y, batch_size=4, callbacks=[logger], verbose=0)
    np.testing.assert_allclose(logger.learning_rates, np.full(4, 0.05), rtol=1e-6)


@pytest.mark.parametrize("steps_per_execution", several_steps_per_execution(1, 4))
def test_prints_the_next_learning_rate_every_n_iterations(capsys, steps_per_execution):
    model = staircase_model(steps_per_execution)
    x, y = data(48)
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


# -- outputs: arrays, batch logs, CSV, TensorBoard -------------------------------------


def read_events(log_dir, tag):
    """(step, value) of every scalar `tag` in the event files under log_dir, read back with TensorFlow."""
    import tensorflow as tf

    rows = []
    for path in sorted(log_dir.rglob("events.out.tfevents.*")):
        for record in tf.data.TFRecordDataset(str(path)):
            event = tf.compat.v1.Event.FromString(record.numpy())
            for value in event.summary.value:
                if value.tag == tag:
                    rows.append((event.step, float(tf.make_ndarray(value.tensor))))
    return rows


def read_csv(path):
    lines = path.read_text().splitlines()
    return lines[0], [tuple(line.split(",")) for line in lines[1:]]


def fit_three_epochs_in_two_calls(logger, steps_per_execution):
    model = staircase_model(steps_per_execution)
    x, y = data(48)
    model.fit(x, y, batch_size=4, epochs=2, callbacks=[logger], verbose=0)  # 2 x 12 steps
    model.fit(x, y, batch_size=4, epochs=3, initial_epoch=2, callbacks=[logger], verbose=0)  # 12 more


@pytest.mark.parametrize("steps_per_execution", several_steps_per_execution(1, 4))
def test_csv_holds_every_step_with_the_schedules_value(tmp_path, steps_per_execution):
    logger = LearningRateLogger(csv_path=tmp_path / "lr.csv")
    fit_three_epochs_in_two_calls(logger, steps_per_execution)
    steps = np.arange(36)
    header, rows = read_csv(tmp_path / "lr.csv")
    assert header == "step,epoch,batch,learning_rate"
    assert [int(r[0]) for r in rows] == list(steps)
    assert [int(r[1]) for r in rows] == list(steps // 12)
    assert [int(r[2]) for r in rows] == list(steps % 12)
    np.testing.assert_allclose([float(r[3]) for r in rows], staircase(steps), rtol=1e-6)
    # The CSV's text reads back as exactly the float32 the optimizer computed.
    np.testing.assert_array_equal(np.float32([r[3] for r in rows]), np.float32(logger.learning_rates))
    np.testing.assert_array_equal(logger.epochs, steps // 12)
    np.testing.assert_array_equal(logger.batches, steps % 12)


@needs_tensorflow
@pytest.mark.parametrize("steps_per_execution", several_steps_per_execution(1, 4))
def test_event_file_holds_every_step_with_the_schedules_value(tmp_path, steps_per_execution):
    logger = LearningRateLogger(tensorboard_dir=tmp_path / "lr")
    fit_three_epochs_in_two_calls(logger, steps_per_execution)
    steps = np.arange(36)
    events = read_events(tmp_path / "lr", "learning_rate")
    assert [step for step, _ in events] == list(steps)
    np.testing.assert_allclose([v for _, v in events], staircase(steps), rtol=1e-6)


@pytest.mark.skipif(keras.backend.backend() == "tensorflow", reason="the message for the other backends")
def test_an_event_file_without_tensorflow_says_it_needs_tensorflow(tmp_path):
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=r"tensorboard_dir=\.\.\.\) writes the TensorBoard event file with TensorFlow"):
            LearningRateLogger(tensorboard_dir=tmp_path)
    else:
        pytest.skip("TensorFlow is installed: the event file is written on this backend too")


def test_csv_is_replaced_unless_append(tmp_path):
    x, y = data(8)
    path = tmp_path / "lr.csv"
    path.write_text("old content\n")
    tiny_model(0.1).fit(x, y, batch_size=4, callbacks=[LearningRateLogger(csv_path=path)], verbose=0)
    assert read_csv(path)[0] == "step,epoch,batch,learning_rate" and len(read_csv(path)[1]) == 2
    tiny_model(0.1).fit(x, y, batch_size=4, callbacks=[LearningRateLogger(csv_path=path, append=True)], verbose=0)
    header, rows = read_csv(path)
    assert header == "step,epoch,batch,learning_rate"
    assert [r[0] for r in rows] == ["0", "1", "0", "1"]  # two models, one header


@pytest.mark.parametrize("steps_per_execution", several_steps_per_execution(1, 4))
def test_batch_logs_carry_the_rate_of_the_last_step_each_call_covered(steps_per_execution):
    seen = []
    consumer = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(logs["learning_rate"]))
    model = staircase_model(steps_per_execution)
    x, y = data(48)
    model.fit(x, y, batch_size=4, epochs=1, callbacks=[LearningRateLogger(), consumer], verbose=0)
    last_steps = np.arange(steps_per_execution - 1, 12, steps_per_execution)
    np.testing.assert_allclose(seen, staircase(last_steps), rtol=1e-6)


def test_logs_key_none_leaves_the_logs_alone():
    seen = []
    consumer = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(sorted(logs)))
    x, y = data(8)
    tiny_model(0.1).fit(x, y, batch_size=4, callbacks=[LearningRateLogger(logs_key=None), consumer], verbose=0)
    assert seen == [["loss"], ["loss"]]


@needs_tensorflow
@pytest.mark.parametrize("steps_per_execution", several_steps_per_execution(1, 4))
def test_keras_tensorboard_callback_writes_the_per_batch_rate(tmp_path, steps_per_execution):
    # keras.callbacks.TensorBoard needs the tensorboard package: a pinned dependency (requirements.txt), so no skip.
    model = staircase_model(steps_per_execution)
    x, y = data(48)
    board = keras.callbacks.TensorBoard(tmp_path, update_freq="batch", write_graph=False)
    model.fit(x, y, batch_size=4, epochs=2, callbacks=[LearningRateLogger(), board], verbose=0)
    events = read_events(tmp_path / "train", "batch_learning_rate")
    # TensorBoard numbers the callback calls from 1; call k ended with step k * steps_per_execution - 1.
    calls = np.arange(1, 24 // steps_per_execution + 1)
    assert [step for step, _ in events] == list(calls)
    np.testing.assert_allclose([v for _, v in events], staircase(calls * steps_per_execution - 1), rtol=1e-6)


def test_warns_when_the_rate_is_set_by_a_callback_after_it():
    model = tiny_model(0.5)
    setter = keras.callbacks.LambdaCallback(
        on_train_batch_begin=lambda batch, logs: setattr(model.optimizer, "learning_rate", 0.1 * (batch + 1))
    )
    x, y = data(8)
    with pytest.warns(UserWarning, match="put it before the LearningRateLogger"):
        model.fit(x, y, batch_size=4, callbacks=[LearningRateLogger(), setter], verbose=0)


@pytest.mark.parametrize(
    "kwargs",
    [{"csv_path": 3}, {"tensorboard_dir": ["logs"]}, {"logs_key": ""}],
)
def test_bad_output_arguments_are_named(kwargs):
    name, value = next(iter(kwargs.items()))
    with pytest.raises(ValueError, match=rf"Argument `{name}` must be .*Received: {name}="):
        LearningRateLogger(**kwargs)


# -- gradient accumulation: one row per update, measured with the probe -----------------

PIECEWISE = schedules.PiecewiseConstantDecay([3, 6], [0.1, 0.01, 0.001])
EXPONENTIAL = schedules.ExponentialDecay(0.1, 6, 0.5)


@pytest.mark.parametrize("k", [2, 4])
@pytest.mark.parametrize("steps_per_execution", several_steps_per_execution(1, 3))
def test_with_accumulation_each_update_is_recorded_with_the_rate_it_applied(k, steps_per_execution):
    for schedule, rtol in ((PIECEWISE, 0), (EXPONENTIAL, 2e-7)):  # eager vs compiled: the last bit of a power
        logger = LearningRateLogger()
        applied = applied_learning_rates(schedule, 6, gradient_accumulation_steps=k,
                                         steps_per_execution=steps_per_execution, callbacks=[logger])
        np.testing.assert_array_equal(logger.steps, np.arange(6))
        np.testing.assert_array_equal(logger.micro_steps, k * np.arange(6) + k - 1)
        np.testing.assert_array_equal(logger.batches, k * np.arange(6) + k - 1)  # one epoch: batch = micro-batch
        np.testing.assert_allclose(np.float32(logger.learning_rates), applied, rtol=rtol)
    # The trap the rows show: the second update already applies what the schedule gives step k * 1 + k - 1.
    assert logger.learning_rates[1] != PIECEWISE(1)


@pytest.mark.parametrize("k", [2, 4])
def test_with_accumulation_a_plain_rate_changed_per_epoch_is_the_applied_one(k):
    halve = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.5 * 0.5**epoch)
    logger = LearningRateLogger()
    model = probe_model(0.5, rows=6, gradient_accumulation_steps=k)
    probe_fit(model, 0, 2, 3, [halve, logger])
    np.testing.assert_array_equal(logger.steps, np.arange(6))
    np.testing.assert_array_equal(np.float32(logger.learning_rates), probe_rates(model, 0, 6))
    np.testing.assert_array_equal(logger.batches, np.tile(k * np.arange(2) + k - 1, 3))
    np.testing.assert_array_equal(logger.epochs, np.repeat([0, 1, 2], 2))


def test_with_accumulation_prints_the_rate_the_next_update_applies(capsys):
    logger = LearningRateLogger(print_every=2)
    applied = applied_learning_rates(PIECEWISE, 7, gradient_accumulation_steps=2, callbacks=[logger])
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["iteration  lr"] + [f"{i:>9d}  {applied[i]:.6g}" for i in (2, 4, 6)]


def test_with_accumulation_csv_has_a_micro_step_column_and_logs_only_update_batches(tmp_path):
    seen = []
    consumer = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(logs.get("learning_rate")))
    logger = LearningRateLogger(csv_path=tmp_path / "lr.csv")
    # k = 4, a power of 2: the probe's averaged gradient (1 + 3) / 4 is exactly 1 (with k = 3 the
    # compiled step may divide by multiplying with 1/3 and measure the rate 1 ulp high).
    applied = applied_learning_rates(PIECEWISE, 4, gradient_accumulation_steps=4, callbacks=[logger, consumer])
    header, rows = read_csv(tmp_path / "lr.csv")
    assert header == "step,epoch,batch,learning_rate,micro_step"
    assert [(r[0], r[2], r[4]) for r in rows] == [(str(u), str(4 * u + 3), str(4 * u + 3)) for u in range(4)]
    np.testing.assert_array_equal(np.float32([r[3] for r in rows]), applied)
    assert seen[:3] == [None] * 3 and seen[3::4] == [float(v) for v in applied]


def test_without_accumulation_micro_steps_are_the_steps():
    logger = LearningRateLogger()
    applied = applied_learning_rates(PIECEWISE, 8, callbacks=[logger])
    np.testing.assert_array_equal(logger.micro_steps, logger.steps)
    np.testing.assert_array_equal(np.float32(logger.learning_rates), applied)
