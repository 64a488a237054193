"""Properties every schedule of lrhelpers.schedules shares."""

import json

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from schedule_cases import assert_lr_close, cases

from lrhelpers import lr_values

NAMES = list(cases())


def schedule_named(name):
    return cases()[name][0]


@pytest.mark.parametrize("name", NAMES)
def test_is_a_registered_keras_schedule(name):
    schedule = schedule_named(name)
    assert isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule)
    registered = keras.saving.get_registered_name(type(schedule))
    assert registered == f"lrhelpers>{type(schedule).__name__}"


@pytest.mark.parametrize("name", NAMES)
def test_any_shape_and_dtype_of_steps_gives_the_per_step_values(name):
    schedule = schedule_named(name)
    steps = np.arange(24).reshape(2, 3, 4)
    one_by_one = np.array([float(schedule(int(s))) for s in steps.ravel()])
    for dtype in ("int32", "int64", "float32", "float64"):
        values = schedule(tf.constant(steps, dtype))
        assert values.shape == steps.shape
        assert_lr_close(values, one_by_one.reshape(steps.shape))
    assert_lr_close(schedule(tf.constant(5, "int64")), one_by_one[5])


@pytest.mark.parametrize("name", NAMES)
def test_xla_compiled_tf_function_gives_the_eager_values(name):
    schedule = schedule_named(name)
    scalar = tf.constant(7, "int64")
    grid = tf.constant(np.arange(30).reshape(5, 6), "int32")
    floats = tf.constant(np.linspace(0.0, 40.0, 17), "float32")

    compiled = tf.function(lambda a, b, c: [schedule(a), schedule(b), schedule(c)])
    xla = tf.function(compiled.python_function, jit_compile=True)
    for steps, graph, jit in zip(
        (scalar, grid, floats),
        compiled(scalar, grid, floats),
        xla(scalar, grid, floats),
    ):
        eager = schedule(steps)
        assert_lr_close(graph, eager)
        assert_lr_close(jit, eager)


@pytest.mark.parametrize("name", NAMES)
def test_json_config_round_trip_keeps_the_curve(name):
    schedule = schedule_named(name)
    text = json.dumps(keras.saving.serialize_keras_object(schedule))
    restored = keras.saving.deserialize_keras_object(json.loads(text))
    assert type(restored) is type(schedule)
    assert restored.get_config() == schedule.get_config()
    steps = np.arange(200)
    assert_lr_close(lr_values(restored, steps), lr_values(schedule, steps))


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25, deadline=None)
@given(steps=st.lists(st.integers(0, 10**12), min_size=1, max_size=40))
def test_finite_and_between_floor_and_peak_up_to_1e12(name, steps):
    schedule, floor, peak = cases()[name]
    values = lr_values(schedule, np.array([0, 10**12, *steps], dtype=np.int64))
    assert np.all(np.isfinite(values))
    assert np.all(values >= np.float32(floor))
    assert np.all(values <= np.float32(peak))


@pytest.mark.parametrize("name", NAMES)
def test_a_million_steps_in_one_vectorised_call(name):
    # Speed is measured by benchmarks/schedule_eval.py, not asserted here.
    steps = np.arange(10**6)
    values = lr_values(schedule_named(name), steps)
    assert values.shape == steps.shape and np.all(np.isfinite(values))
