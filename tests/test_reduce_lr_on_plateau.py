"""lrhelpers.ReduceLROnPlateau: Keras' callback for a float rate, the scale of a Scaled schedule otherwise."""

import keras
import numpy as np
import pytest
from keras.optimizers import schedules
from tiny_training import CrashBefore, ScriptedMetric, data, drive, expected_scales, probe_fit, probe_model, probe_rates, tiny_model

import lrhelpers
from lrhelpers._optimizer import value_of

DECAY = schedules.ExponentialDecay(0.1, 6, 0.5)

# A validation curve with plateaus, near-ties around min_delta=1e-4 and a late improvement.
CURVE = [1.0, 0.8, 0.8, 0.79995, 0.8, 0.8, 0.7, 0.7, 0.70001, 0.7, 0.7, 0.7, 0.69985, 0.7, 0.7, 0.7,
         0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5] + [0.5] * 30

CONFIGURATIONS = [
    {},
    {"factor": 0.5, "patience": 2, "cooldown": 3, "min_lr": 0.004, "verbose": 1},
    {"factor": 0.2, "patience": 0, "min_delta": 0.0, "verbose": True},
    {"monitor": "val_score", "mode": "max", "factor": 0.5, "patience": 1, "min_delta": 0.05, "verbose": 1},
    {"monitor": "loss", "mode": "min", "factor": 0.3, "patience": 3, "cooldown": 1, "min_lr": 1e-3},
]


@pytest.mark.parametrize("arguments", CONFIGURATIONS, ids=str)
def test_a_float_rate_is_reduced_exactly_as_keras_reduces_it(arguments):
    monitor = arguments.get("monitor", "val_loss")
    curve = CURVE if arguments.get("mode") != "max" else [-v for v in CURVE]
    ours = drive(lrhelpers.ReduceLROnPlateau(**arguments), tiny_model(0.1), curve, monitor)
    keras_own = drive(keras.callbacks.ReduceLROnPlateau(**arguments), tiny_model(0.1), curve, monitor)
    assert ours == keras_own
    assert len(set(ours[0])) > 1 and ours[0][0] == pytest.approx(0.1)  # it did reduce, after epoch 0 or later


def test_auto_mode_takes_a_metrics_direction_as_keras_does():
    x, y = data(16)
    models = []
    for _ in range(2):
        model = tiny_model(0.1)
        model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae", keras.metrics.R2Score(name="r2")])
        model.evaluate(x, y, verbose=0)  # builds the compiled metrics, whose directions auto mode reads
        models.append(model)
    for monitor, curve in (("val_r2", [0.1, 0.2, 0.2, 0.2, 0.1, 0.3]), ("val_mae", [0.5, 0.4, 0.4, 0.45, 0.4, 0.3])):
        ours = drive(lrhelpers.ReduceLROnPlateau(monitor, patience=1, verbose=1), models[0], curve, monitor)
        keras_own = drive(keras.callbacks.ReduceLROnPlateau(monitor, patience=1, verbose=1), models[1], curve, monitor)
        assert ours == keras_own and "reducing learning rate" in ours[2]


def test_a_missing_metric_warns_as_keras_does():
    messages = []
    for callback in (lrhelpers.ReduceLROnPlateau(), keras.callbacks.ReduceLROnPlateau()):
        with pytest.warns(UserWarning) as caught:
            drive(callback, tiny_model(0.1), [1.0], "val_other")
        messages.append([str(w.message) for w in caught if "Learning rate reduction" in str(w.message)])
    assert messages[0] == messages[1] and "`val_loss` which is not available" in messages[0][0]


# -- a Scaled schedule: the scale is lowered, measured with the probe ----------------------


def test_on_a_scaled_schedule_the_applied_rate_is_scale_times_schedule_after_each_reduction(capsys):
    curve, per_epoch, arguments = [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5], 3, {"factor": 0.5, "patience": 1}
    scaled = lrhelpers.Scaled(DECAY)
    model = probe_model(scaled, rows=24)
    logger = lrhelpers.LearningRateLogger()
    callbacks = [ScriptedMetric(curve), lrhelpers.ReduceLROnPlateau(verbose=1, **arguments), logger]
    probe_fit(model, 0, per_epoch, len(curve), callbacks)
    scales, reductions = expected_scales(curve, **arguments)
    scales = np.repeat(scales, per_epoch)
    assert reductions >= 3
    schedule = np.float32(lrhelpers.lr_values(DECAY, np.arange(24)))
    applied = probe_rates(model, 0, 24)
    np.testing.assert_allclose(applied, scales * schedule, rtol=2e-7)  # the compiled step vs eager float32
    np.testing.assert_allclose(np.float32(logger.learning_rates), applied, rtol=2e-7)  # eager: the last bit may differ
    lines = [line for line in capsys.readouterr().out.splitlines() if line]
    assert lines[0] == (f"Epoch 2: ReduceLROnPlateau reducing learning rate to {0.5 * schedule[6]:.6g} at step 6 "
                        f"(Scaled: scale 0.5 x schedule {schedule[6]:.6g}).")
    assert len(lines) == reductions


def test_min_lr_bounds_the_rate_the_next_update_applies():
    curve, per_epoch = [1.0] * 6, 2
    constant = schedules.PiecewiseConstantDecay([1000], [0.1, 0.1])
    scaled = lrhelpers.Scaled(constant)
    model = probe_model(scaled, rows=12)
    probe_fit(model, 0, per_epoch, 6, [ScriptedMetric(curve),
                                       lrhelpers.ReduceLROnPlateau(factor=0.1, patience=1, min_lr=0.004)])
    # 0.1, then 0.1 * 0.1 = 0.01, then bounded at 0.004 (scale 0.04), then no further reduction.
    expected = np.float32([1.0, 1.0, 0.1, 0.04, 0.04, 0.04]).repeat(per_epoch) * np.float32(0.1)
    np.testing.assert_allclose(probe_rates(model, 0, 12), expected, rtol=1e-7)


def test_the_scale_survives_a_keras_file(tmp_path):
    curve, per_epoch = [1.0, 1.0, 1.0], 2
    scaled = lrhelpers.Scaled(DECAY)
    model = probe_model(scaled, rows=12)
    probe_fit(model, 0, per_epoch, 3, [ScriptedMetric(curve), lrhelpers.ReduceLROnPlateau(factor=0.5, patience=1)])
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.optimizer._learning_rate.get_config()["scale"] == 0.25
    improving = ScriptedMetric([-1.0 * epoch for epoch in range(6)])  # no further reduction
    probe_fit(loaded, 6, per_epoch, 6, [improving, lrhelpers.ReduceLROnPlateau(factor=0.5, patience=1)], initial_epoch=3)
    schedule = np.float32(lrhelpers.lr_values(DECAY, np.arange(12)))
    # Reductions at the ends of epochs 1 and 2 (curve 1, 1, 1 with patience 1); the loaded model keeps 0.25.
    expected = np.float32([1.0] * 4 + [0.5] * 2 + [0.25] * 6) * schedule
    np.testing.assert_allclose(probe_rates(loaded, 0, 12), expected, rtol=2e-7)


def test_an_unwrapped_schedule_gets_a_type_error_naming_scaled():
    x, y = data(8)
    with pytest.raises(TypeError, match=r"built with the schedule ExponentialDecay.*Wrap the schedule in lrhelpers\.Scaled"):
        tiny_model(DECAY).fit(x, y, callbacks=[lrhelpers.ReduceLROnPlateau()], verbose=0)
    with pytest.raises(TypeError, match="callable learning rate"):
        tiny_model(lambda: 0.1).fit(x, y, callbacks=[lrhelpers.ReduceLROnPlateau()], verbose=0)
    # Keras' own callback fails too, at the first reduction: the reason this one exists.
    with pytest.raises(TypeError, match="not settable"):
        tiny_model(DECAY).fit(x, y, epochs=2, callbacks=[ScriptedMetric([1.0, 1.0]),
                                                         keras.callbacks.ReduceLROnPlateau(patience=0)], verbose=0)


@pytest.mark.parametrize("arguments, message", [
    ({"factor": 1.0}, "Argument `factor` must be < 1.0. Received: factor=1.0"),
    ({"factor": -0.1}, "Argument `factor` must be >= 0. Received: factor=-0.1"),
    ({"patience": 1.5}, "Argument `patience` must be a non-negative integer. Received: patience=1.5"),
    ({"mode": "up"}, "Argument `mode` must be one of 'auto', 'min', 'max'. Received: mode=up"),
    ({"min_lr": -1.0}, "Argument `min_lr` must be >= 0. Received: min_lr=-1.0"),
    ({"monitor": ""}, "Argument `monitor` must be a non-empty string. Received: monitor=''"),
])
def test_bad_arguments_are_named(arguments, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.").replace("(", r"\(")):
        lrhelpers.ReduceLROnPlateau(**arguments)


def test_a_run_restarted_by_backup_and_restore_applies_the_reduced_scale(tmp_path):
    # BackupAndRestore saves weights and optimizer variables; the optimizer carries the Scaled
    # schedule (ReduceLROnPlateau attaches it), so the backup holds the scale too.
    curve, per_epoch, arguments = [1.0] * 5, 3, {"factor": 0.5, "patience": 1}

    def callbacks(*extra):
        return [ScriptedMetric(curve), lrhelpers.ReduceLROnPlateau(**arguments),
                keras.callbacks.BackupAndRestore(tmp_path / "backup"), *extra]

    crashed_scale = lrhelpers.Scaled(DECAY)
    with pytest.raises(RuntimeError, match="simulated crash"):
        probe_fit(probe_model(crashed_scale, rows=15), 0, per_epoch, len(curve), callbacks(CrashBefore(7)))  # epoch 2, batch 1
    assert crashed_scale.get_config()["scale"] == 0.5  # reduced at the end of epoch 1, then backed up

    restarted_scale = lrhelpers.Scaled(DECAY)  # a new process: scale 1.0 again
    restarted = probe_model(restarted_scale, rows=15)
    probe_fit(restarted, 6, per_epoch, len(curve), callbacks(), initial_epoch=0)
    assert int(value_of(restarted.optimizer.iterations)) == 15  # resumed at step 6 (epoch 2)
    # Keras' rule on a float rate: epochs 0-1 of the crashed run, then epochs 2-4 from the restored
    # scale (the plateau counters restart, as Keras' own callback's do).
    scales = np.concatenate([expected_scales(curve[:2], **arguments)[0],
                             0.5 * expected_scales(curve[2:], **arguments)[0]])
    assert list(scales) == [1.0, 1.0, 0.5, 0.5, 0.25]
    schedule = np.float32(lrhelpers.lr_values(DECAY, np.arange(15)))
    np.testing.assert_allclose(probe_rates(restarted, 0, 15), np.repeat(scales, per_epoch) * schedule, rtol=2e-7)


def test_weights_saved_after_reductions_load_into_a_fresh_compiled_model(tmp_path):
    scaled = lrhelpers.Scaled(DECAY)
    model = probe_model(scaled, rows=12)
    probe_fit(model, 0, 2, 3, [ScriptedMetric([1.0] * 3), lrhelpers.ReduceLROnPlateau(factor=0.5, patience=1)])
    assert scaled.get_config()["scale"] == 0.25
    model.save_weights(tmp_path / "m.weights.h5")
    fresh_scaled = lrhelpers.Scaled(DECAY)
    fresh = probe_model(fresh_scaled, rows=12)
    fresh_scaled.attach_to(fresh.optimizer)  # before any fit; ReduceLROnPlateau does it when fit starts
    fresh.load_weights(tmp_path / "m.weights.h5")
    probe_fit(fresh, 6, 2, 3)
    expected = np.float32([1.0] * 4 + [0.5] * 2 + [0.25] * 6) * np.float32(lrhelpers.lr_values(DECAY, np.arange(12)))
    np.testing.assert_allclose(probe_rates(fresh, 0, 12), expected, rtol=2e-7)
