"""Scaled: scale * schedule(step), the scale a variable read by the compiled step, kept by .keras and weights files."""

import copy
import doctest
import json
import pickle
import warnings

import keras
import numpy as np
import pytest
from keras.optimizers import schedules
from tiny_training import probe_fit, probe_model, probe_rates

import lrhelpers._optimizer
import lrhelpers.schedules.scaled
from lrhelpers import Scaled, lr_values

DECAY = schedules.ExponentialDecay(0.1, 6, 0.5)  # a different rate at every step


def decay(steps):
    """DECAY's closed form; Keras computes it in float32, within 2e-7 relative of this."""
    return np.float32(0.1 * 0.5 ** (np.asarray(steps) / 6))


def test_docstring_example():
    results = doctest.testmod(lrhelpers.schedules.scaled, extraglobs={"keras": keras, "lr_values": lr_values},
                              optionflags=doctest.NORMALIZE_WHITESPACE, raise_on_error=True)
    assert results.attempted > 0


def test_is_a_registered_keras_schedule():
    assert keras.saving.get_registered_name(Scaled) == "lrhelpers>Scaled"
    assert isinstance(Scaled(DECAY), schedules.LearningRateSchedule)


def test_values_are_the_float32_product_for_any_shape_of_steps():
    scaled = Scaled(DECAY, scale=0.3)
    steps = np.arange(24).reshape(2, 3, 4)
    expected = np.float32(0.3) * np.float32(lr_values(DECAY, steps))
    np.testing.assert_array_equal(lr_values(scaled, steps), expected)
    scaled.scale.assign(0.7)
    np.testing.assert_array_equal(lr_values(scaled, steps), np.float32(0.7) * np.float32(lr_values(DECAY, steps)))


def test_config_keeps_the_current_scale_and_round_trips_through_json():
    scaled = Scaled(DECAY)
    scaled.scale.assign(0.25)
    restored = keras.saving.deserialize_keras_object(json.loads(json.dumps(keras.saving.serialize_keras_object(scaled))))
    assert type(restored) is Scaled and restored.get_config()["scale"] == 0.25
    np.testing.assert_array_equal(lr_values(restored, np.arange(20)), lr_values(scaled, np.arange(20)))


def test_a_scale_assigned_between_fit_calls_is_applied_by_the_compiled_step():
    # Measured by the probe (SGD on an Embedding: -w[u] is the rate update u applied).
    scaled = Scaled(DECAY)
    model = probe_model(scaled, rows=12)
    probe_fit(model, 0, 4, 1)
    scaled.scale.assign(0.5)
    probe_fit(model, 4, 4, 1)
    expected = decay(np.arange(8)) * np.float32([1.0] * 4 + [0.5] * 4)
    if keras.backend.backend() == "jax":  # the jitted step holds the scale it was traced with
        np.testing.assert_allclose(probe_rates(model, 4, 4), decay(np.arange(4, 8)), rtol=2e-7)
        model.make_train_function(force=True)
        probe_fit(model, 8, 4, 1)
        np.testing.assert_allclose(probe_rates(model, 8, 4), np.float32(0.5) * decay(np.arange(8, 12)), rtol=2e-7)
    else:
        np.testing.assert_allclose(probe_rates(model, 0, 8), expected, rtol=2e-7)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="counts tf.function traces")
def test_changing_the_scale_does_not_retrace_a_tf_function():
    import tensorflow as tf

    scaled, traces = Scaled(DECAY), []

    @tf.function(jit_compile=True)
    def rate(step):
        traces.append(1)
        return scaled(step)

    first = float(rate(tf.constant(6, "int64")))
    scaled.scale.assign(0.5)
    second = float(rate(tf.constant(6, "int64")))
    assert len(traces) == 1
    np.testing.assert_allclose([first, second], [decay(6), np.float32(0.5) * decay(6)], rtol=2e-7)


def test_a_keras_file_resumes_with_the_scale(tmp_path):
    scaled = Scaled(DECAY)
    model = probe_model(scaled, rows=8)
    probe_fit(model, 0, 4, 1)
    scaled.scale.assign(0.125)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.optimizer._learning_rate.get_config()["scale"] == 0.125
    probe_fit(loaded, 4, 4, 1)
    np.testing.assert_allclose(probe_rates(loaded, 4, 4), np.float32(0.125) * decay(np.arange(4, 8)), rtol=2e-7)


def attached_probe(scale, rows=8):
    """A probe model whose optimizer carries its Scaled schedule, built as BackupAndRestore builds it."""
    scaled = Scaled(DECAY, scale=scale)
    model = probe_model(scaled, rows=rows)
    scaled.attach_to(model.optimizer)
    model.optimizer.build(model.trainable_variables)
    return scaled, model


def test_weights_files_keep_the_scale_of_an_attached_schedule(tmp_path):
    scaled, model = attached_probe(1.0)
    probe_fit(model, 0, 4, 1)
    scaled.scale.assign(0.125)
    model.save_weights(tmp_path / "m.weights.h5")
    fresh_scaled, fresh = attached_probe(1.0)  # a new process: the scale its code builds
    fresh.load_weights(tmp_path / "m.weights.h5")
    assert float(lrhelpers._optimizer.value_of(fresh_scaled.scale)) == 0.125
    assert len(fresh.optimizer.variables) == len(probe_model(DECAY, rows=8).optimizer.variables)  # no extra variable
    probe_fit(fresh, 4, 4, 1)
    np.testing.assert_allclose(probe_rates(fresh, 0, 8), decay(np.arange(8)) * np.float32([1.0] * 4 + [0.125] * 4),
                               rtol=2e-7)


def test_a_file_without_the_scale_leaves_it_and_a_file_with_it_loads_anywhere(tmp_path):
    old = probe_model(Scaled(DECAY, scale=0.3), rows=8)  # not attached: as saved before, or a plain schedule
    probe_fit(old, 0, 2, 1)
    old.save_weights(tmp_path / "old.weights.h5")
    scaled, model = attached_probe(0.75)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "Skipping variable loading")  # optimizer variables that do not match
        model.load_weights(tmp_path / "old.weights.h5")
    assert float(lrhelpers._optimizer.value_of(scaled.scale)) == 0.75
    assert int(lrhelpers._optimizer.value_of(model.optimizer.iterations)) == 2
    model.save_weights(tmp_path / "new.weights.h5")  # with the scale, into an optimizer without Scaled
    plain = probe_model(DECAY, rows=8)
    plain.optimizer.build(plain.trainable_variables)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "Skipping variable loading")
        plain.load_weights(tmp_path / "new.weights.h5")
    assert int(lrhelpers._optimizer.value_of(plain.optimizer.iterations)) == 2


def test_a_keras_file_of_an_attached_schedule_loads_with_the_scale(tmp_path):
    scaled, model = attached_probe(1.0)
    scaled.scale.assign(0.25)
    model.save(tmp_path / "m.keras")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "Skipping variable loading")
        loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.optimizer._learning_rate.get_config()["scale"] == 0.25


def test_attach_to_refuses_another_optimizer():
    with pytest.raises(ValueError, match=r"Argument `optimizer` must be the optimizer built with this Scaled "
                                         r"schedule\. Received: optimizer=SGD with learning_rate=ExponentialDecay"):
        Scaled(DECAY).attach_to(keras.optimizers.SGD(DECAY))


class Unregistered(schedules.LearningRateSchedule):
    """A user's schedule, not registered for Keras serialisation."""

    def __call__(self, step):
        return 0.1 * 0.5 ** (keras.ops.cast(step, "float32") / 6)

    def get_config(self):
        return {}


def test_copies_and_pickles_are_plain_schedules_with_the_scale():
    scaled = Scaled(Unregistered(), scale=0.5)  # Keras' way of pickling a KerasSaveable would need it registered
    for other in (copy.deepcopy(scaled), pickle.loads(pickle.dumps(scaled))):
        assert type(other) is Scaled and other.scale is not scaled.scale
        np.testing.assert_array_equal(lr_values(other, np.arange(12)), lr_values(scaled, np.arange(12)))


@pytest.mark.parametrize("arguments, message", [
    ({"schedule": 0.1}, "Argument `schedule` must be a keras.optimizers.schedules.LearningRateSchedule. Received: schedule=0.1"),
    ({"schedule": DECAY, "scale": -1.0}, "Argument `scale` must be >= 0. Received: scale=-1.0"),
    ({"schedule": DECAY, "scale": float("nan")}, "Argument `scale` must be finite. Received: scale=nan"),
    ({"schedule": DECAY, "scale": "1"}, "Argument `scale` must be a number. Received: scale=1"),
])
def test_bad_arguments_are_named(arguments, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        Scaled(**arguments)
