"""Resumed training continues the schedule at the right step: save/load, recompile, initial_epoch, BackupAndRestore."""

import functools
import warnings

import keras
import numpy as np
import pytest
from keras.optimizers import schedules
from tiny_training import CrashBefore

from lrhelpers import LearningRateLogger, ResumeCheck, check_resume, lr_values

DECAY = schedules.ExponentialDecay(0.1, 8, 0.5)  # a different rate at every step
STEPS_PER_EPOCH = 4  # 16 examples in batches of 4
EPOCHS = 4


def fresh_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(DECAY), "mse")
    return model


def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 3)).astype("float32"), rng.normal(size=(16, 1)).astype("float32")


def fit(model, logger, initial_epoch, epochs, extra=()):
    x, y = data()
    model.fit(x, y, batch_size=4, shuffle=False, initial_epoch=initial_epoch, epochs=epochs,
              callbacks=[*extra, logger], verbose=0)


@pytest.fixture(scope="module")
def uninterrupted():
    model, logger = fresh_model(), LearningRateLogger()
    fit(model, logger, 0, EPOCHS)
    return model, logger


@pytest.fixture(scope="module")
def half_way(tmp_path_factory):
    """A .keras file saved after 2 of the EPOCHS epochs; the tests load it, none changes it."""
    first = fresh_model()
    fit(first, LearningRateLogger(), 0, 2)
    path = tmp_path_factory.mktemp("resume") / "half.keras"
    first.save(path)
    return path


def assert_same_run(resumed_logger, resumed_model, uninterrupted, from_step):
    model, logger = uninterrupted
    keep = logger.steps >= from_step
    np.testing.assert_array_equal(resumed_logger.steps, logger.steps[keep])
    np.testing.assert_array_equal(resumed_logger.learning_rates, logger.learning_rates[keep])  # step by step, exactly
    np.testing.assert_array_equal(resumed_logger.epochs, logger.epochs[keep])
    for a, b in zip(resumed_model.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_the_uninterrupted_run_follows_the_schedule(uninterrupted):
    _, logger = uninterrupted
    np.testing.assert_array_equal(logger.steps, np.arange(EPOCHS * STEPS_PER_EPOCH))
    np.testing.assert_allclose(logger.learning_rates, 0.1 * 0.5 ** (logger.steps / 8), rtol=1e-6)  # float32


def test_save_and_load_model_continues_step_by_step(half_way, uninterrupted):
    reloaded = keras.models.load_model(half_way)
    assert int(reloaded.optimizer.iterations) == 2 * STEPS_PER_EPOCH
    logger, check = LearningRateLogger(), ResumeCheck()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="optimizer.iterations")
        fit(reloaded, logger, 2, EPOCHS, extra=[check])
    assert check.ok is True
    assert_same_run(logger, reloaded, uninterrupted, from_step=2 * STEPS_PER_EPOCH)


def test_recompiling_restarts_the_schedule_and_resume_check_says_so(half_way, uninterrupted):
    recompiled = keras.models.load_model(half_way, compile=False)
    recompiled.compile(keras.optimizers.SGD(DECAY), "mse")
    logger, check = LearningRateLogger(), ResumeCheck()
    with pytest.warns(UserWarning) as caught:
        fit(recompiled, logger, 2, EPOCHS, extra=[check])
    message = str(caught[0].message)
    assert "optimizer.iterations is 0, but fit starts at epoch 2 with 4 steps per epoch, where it should be 8" in message
    assert f"learning rate of step 0 ({0.1:.6g}) instead of step 8's ({float(lr_values(DECAY, [8])[0]):.6g})" in message
    assert check.ok is False
    np.testing.assert_array_equal(logger.steps, np.arange(8))  # the schedule started over
    np.testing.assert_array_equal(logger.epochs, np.repeat([2, 3], 4))


def test_resume_check_fix_moves_the_counter(half_way, uninterrupted):
    recompiled = keras.models.load_model(half_way, compile=False)
    recompiled.compile(keras.optimizers.SGD(DECAY), "mse")  # fresh optimizer: SGD has no other state
    logger = LearningRateLogger()
    with pytest.warns(UserWarning, match="fix=True: optimizer.iterations was set to 8"):
        fit(recompiled, logger, 2, EPOCHS, extra=[ResumeCheck(fix=True)])
    assert_same_run(logger, recompiled, uninterrupted, from_step=8)


def test_backup_and_restore_after_a_crash_continues_step_by_step(tmp_path, uninterrupted):
    backup = tmp_path / "backup"
    crashed, crashed_log = fresh_model(), LearningRateLogger()
    with pytest.raises(RuntimeError, match="simulated crash"):
        fit(crashed, crashed_log, 0, EPOCHS, extra=[keras.callbacks.BackupAndRestore(backup), CrashBefore(10)])  # epoch 2, batch 2
    np.testing.assert_array_equal(crashed_log.steps, np.arange(10))

    restarted = fresh_model()  # a new process: new model, same backup directory
    logger, check = LearningRateLogger(), ResumeCheck()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="optimizer.iterations")
        fit(restarted, logger, 0, EPOCHS, extra=[keras.callbacks.BackupAndRestore(backup), check])
    assert check.ok is True
    # The backup is from the end of epoch 1: steps 8 and 9 are trained again, with the same rates.
    assert_same_run(logger, restarted, uninterrupted, from_step=8)


def test_a_backup_saved_inside_an_epoch_is_explained_not_blamed_on_initial_epoch(tmp_path):
    backup = tmp_path / "backup"
    crashed = fresh_model()
    with pytest.raises(RuntimeError, match="simulated crash"):
        fit(crashed, LearningRateLogger(), 0, EPOCHS,
            extra=[keras.callbacks.BackupAndRestore(backup, save_freq=2), CrashBefore(11)])  # epoch 2, batch 3

    restarted = fresh_model()  # a new process: new model, same backup directory
    logger, check = LearningRateLogger(), ResumeCheck(fix=True)
    with pytest.warns(UserWarning) as caught:
        fit(restarted, logger, 0, EPOCHS, extra=[keras.callbacks.BackupAndRestore(backup, save_freq=2), check])
    message = "\n".join(str(w.message) for w in caught)
    # The backup is from step 10, 2 batches into epoch 2: fit restarts epoch 2 at batch 0.
    assert "optimizer.iterations is 10, but fit starts at epoch 2 with 4 steps per epoch, where it should be 8" in message
    assert "saved 2 of 4 batches into epoch 2" in message and "BackupAndRestore(save_freq=N)" in message
    assert "initial_epoch training actually stopped at" not in message
    assert "fix=True: optimizer.iterations was left at 10" in message  # not rewound
    assert check.ok is False
    np.testing.assert_array_equal(logger.steps, np.arange(10, 18))  # the schedule continues where the weights are
    np.testing.assert_array_equal(logger.epochs, np.repeat([2, 3], 4))


def test_a_backup_saved_at_an_epochs_last_batch_is_explained_and_not_rewound(tmp_path):
    backup = tmp_path / "backup"  # saved after every STEPS_PER_EPOCH batches: at each epoch's last batch
    with pytest.raises(RuntimeError, match="simulated crash"):
        fit(fresh_model(), LearningRateLogger(), 0, EPOCHS,
            extra=[keras.callbacks.BackupAndRestore(backup, save_freq=STEPS_PER_EPOCH), CrashBefore(10)])  # epoch 2, batch 2

    restarted = fresh_model()
    logger, check = LearningRateLogger(), ResumeCheck(fix=True)
    with pytest.warns(UserWarning) as caught:
        fit(restarted, logger, 0, EPOCHS,
            extra=[keras.callbacks.BackupAndRestore(backup, save_freq=STEPS_PER_EPOCH), check])
    message = "\n".join(str(w.message) for w in caught)
    # The last backup is from the end of epoch 1 (step 8), and its metadata names epoch 1:
    # fit trains epoch 1 again, steps 8 to 11, and runs 4 steps longer than the uninterrupted run.
    assert "optimizer.iterations is 8, but fit starts at epoch 1 with 4 steps per epoch, where it should be 4" in message
    assert "saved at the last batch of epoch 1" in message and "pass initial_epoch=2" in message
    assert "fix=True: optimizer.iterations was left at 8" in message
    assert check.ok is False
    np.testing.assert_array_equal(logger.steps, np.arange(8, 20))
    np.testing.assert_array_equal(logger.epochs, np.repeat([1, 2, 3], 4))
    np.testing.assert_array_equal(logger.learning_rates, lr_values(DECAY, np.arange(8, 20)))  # where the weights are


def test_check_resume_function(uninterrupted):
    model = fresh_model()
    assert check_resume(model, 0, STEPS_PER_EPOCH) is True
    with pytest.warns(UserWarning, match=r"is 0, but fit starts at epoch 3 .* where it should be 12"):
        assert check_resume(model.optimizer, 3, STEPS_PER_EPOCH, fix=True) is False
    assert int(model.optimizer.iterations) == 12
    with pytest.warns(UserWarning, match=r"already made 8 more updates"):
        check_resume(model, 1, STEPS_PER_EPOCH)
    assert check_resume(model, np.int64(3), np.int64(STEPS_PER_EPOCH)) is True  # NumPy integers


def test_a_counter_less_than_an_epoch_ahead_is_not_rewound():
    model = fresh_model()
    model.optimizer.iterations.assign(13)
    with pytest.warns(UserWarning, match=r"saved 1 of 4 batches into epoch 3.*was left at 13") as caught:
        assert check_resume(model, 3, STEPS_PER_EPOCH, fix=True) is False
    assert "was set to" not in str(caught[0].message)
    assert int(model.optimizer.iterations) == 13


@pytest.mark.parametrize(
    "args, message",
    [
        ((-1, 4), r"Argument `initial_epoch` must be a non-negative integer. Received: initial_epoch=-1"),
        ((1.0, 4), r"Argument `initial_epoch` must be a non-negative integer. Received: initial_epoch=1.0"),
        ((True, 4), r"Argument `initial_epoch` must be a non-negative integer. Received: initial_epoch=True"),
        ((1, 0), r"Argument `steps_per_epoch` must be a positive integer. Received: steps_per_epoch=0"),
    ],
)
def test_bad_arguments_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        check_resume(keras.optimizers.SGD(0.1), *args)
    if args[1] == 0:
        with pytest.raises(ValueError, match=message):
            ResumeCheck(steps_per_epoch=0)


# -- gradient accumulation: the micro-batch counter is the one compared -------------------


def accumulating_model(k):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(DECAY, gradient_accumulation_steps=k), "mse")
    return model


@pytest.fixture(scope="module")
def accumulating_runs(tmp_path_factory):
    """k -> (the uninterrupted model, its logger, a .keras file saved after 2 epochs), made once per k;
    the tests read them and load the file, none changes them."""

    @functools.cache
    def run(k):
        uninterrupted, whole = accumulating_model(k), LearningRateLogger()
        fit(uninterrupted, whole, 0, EPOCHS)
        first = accumulating_model(k)
        fit(first, LearningRateLogger(), 0, 2)
        path = tmp_path_factory.mktemp(f"accumulation{k}") / "half.keras"
        first.save(path)
        return uninterrupted, whole, path

    return run


@pytest.mark.parametrize("k", [2, 4])
def test_with_accumulation_a_keras_file_resumes_and_the_check_passes(accumulating_runs, k):
    _, whole, half_way = accumulating_runs(k)
    reloaded = keras.models.load_model(half_way)
    logger, check = LearningRateLogger(), ResumeCheck()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*micro-batch counter")
        fit(reloaded, logger, 2, EPOCHS, extra=[check])
    assert check.ok is True
    keep = whole.steps >= 2 * STEPS_PER_EPOCH // k
    np.testing.assert_array_equal(logger.steps, whole.steps[keep])
    np.testing.assert_array_equal(logger.learning_rates, whole.learning_rates[keep])


def test_with_accumulation_a_recompiled_optimizer_is_caught_and_fixed(accumulating_runs):
    k = 2
    uninterrupted, whole, half_way = accumulating_runs(k)
    recompiled = keras.models.load_model(half_way, compile=False)
    recompiled.compile(keras.optimizers.SGD(DECAY, gradient_accumulation_steps=k), "mse")
    logger, check = LearningRateLogger(), ResumeCheck(fix=True)
    with pytest.warns(UserWarning) as caught:
        fit(recompiled, logger, 2, EPOCHS, extra=[check])
    message = "\n".join(str(w.message) for w in caught)
    assert ("micro-batch counter, optimizer._iterations, is 0 (optimizer.iterations = 0 updates of "
            "gradient_accumulation_steps=2), but fit starts at epoch 2 with 4 batches per epoch, where it should be 8") in message
    # The next update is applied at micro-batch 1 instead of 9.
    assert f"learning rate of step 1 ({float(lr_values(DECAY, [1])[0]):.6g}) instead of step 9's ({float(lr_values(DECAY, [9])[0]):.6g})" in message
    assert "fix=True: optimizer._iterations was set to 8" in message and check.ok is False
    keep = whole.steps >= 4
    np.testing.assert_array_equal(logger.steps, whole.steps[keep])
    np.testing.assert_array_equal(logger.micro_steps, whole.micro_steps[keep])
    np.testing.assert_array_equal(logger.learning_rates, whole.learning_rates[keep])
    for a, b in zip(recompiled.get_weights(), uninterrupted.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
